from django.contrib import admin
from django.urls import include, path

from qingdan.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("qingdan.accounts.urls")),
    path("problems/", include("qingdan.problems.urls")),
    path("admin/", admin.site.urls),
]
