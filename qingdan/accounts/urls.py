from django.contrib.auth import views as auth_views
from django.urls import path

from qingdan.accounts import unit_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("preferences/", views.preferences, name="preferences"),
    path("units/", unit_views.units, name="units"),
    path("units/new/", unit_views.unit_detail, name="unit_new"),
    path("units/<int:pk>/", unit_views.unit_detail, name="unit_detail"),
    path("people/<int:pk>/", unit_views.person_edit, name="person_edit"),
    path("language/", views.switch_language, name="switch_language"),
]
