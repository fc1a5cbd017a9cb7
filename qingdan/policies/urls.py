from django.urls import path

from qingdan.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.create, name="new"),
    path("applications/", views.application_list, name="applications"),
    path("checkup/", views.checkup_subscription, name="checkup"),
    path("applications/<str:code>/", views.application_detail, name="application"),
    path("applications/<str:code>/act/<str:action>/", views.act, name="act"),
    path("applications/<str:code>/materials/<int:pk>/", views.material, name="material"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/conditions/", views.add_condition, name="add_condition"),
    path("<str:code>/conditions/<int:pk>/delete/", views.remove_condition, name="remove_condition"),
    path("<str:code>/grant/", views.grant, name="grant"),
    path("<str:code>/apply/", views.apply, name="apply"),
]
