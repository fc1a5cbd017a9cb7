from django.contrib.auth import views as auth_views
from django.urls import path

from qingdan.accounts import views
from qingdan.api import views as api_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("preferences/", views.preferences, name="preferences"),
    path("language/", views.switch_language, name="switch_language"),
    path("tokens/", api_views.tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", api_views.revoke, name="api_token_revoke"),
]
