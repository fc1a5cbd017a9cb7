from django.urls import path

from qingdan.challenges import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("new/", views.create, name="new"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/act/<str:action>/", views.act, name="act"),
    path("<str:code>/evidence/<int:pk>/", views.evidence, name="evidence"),
    path(
        "<str:code>/applications/<int:pk>/attachment/",
        views.application_attachment,
        name="application_attachment",
    ),
]
