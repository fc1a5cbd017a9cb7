from django.contrib import admin
from django.urls import include, path, register_converter

from qingdan.api import views as api_views
from qingdan.api.v1 import api as api_v1
from qingdan.core import views as core_views
from qingdan.core.converters import IsoDateConverter
from qingdan.notifications import views as notification_views
from qingdan.web import views as web_views

register_converter(IsoDateConverter, "isodate")

urlpatterns = [
    path("", web_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("qingdan.accounts.urls")),
    path("accounts/tokens/", api_views.tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", api_views.revoke, name="api_token_revoke"),
    path("problems/", include("qingdan.problems.urls")),
    path("notifications/", notification_views.inbox, name="notifications"),
    path("following/", notification_views.following, name="following"),
    path("following/change/", notification_views.follow, name="follow"),
    path("following/alerts/", notification_views.alerts, name="alerts"),
    path("exchange/", include("qingdan.exchange.urls")),
    path("challenges/", include("qingdan.challenges.urls")),
    path("projects/", include("qingdan.projects.urls")),
    path("enterprises/", include("qingdan.enterprises.urls")),
    path("policies/", include("qingdan.policies.urls")),
    path("finance/", include("qingdan.finance.urls")),
    path("carriers/", include("qingdan.carriers.urls")),
    path("public/vacancies/", include("qingdan.carriers.public_urls")),
    path("search/", include("qingdan.search.urls")),
    path("bulletins/", include("qingdan.bulletins.urls")),
    path("public/", include("qingdan.bulletins.public_urls")),
    path("api/v1/", api_v1.urls),
    path("open311/v2/", include("qingdan.api.open311_urls")),
    path("admin/", admin.site.urls),
]
