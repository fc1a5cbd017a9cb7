from django.urls import path

from qingdan.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.create_programme, name="new"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/whitelist/", views.whitelist, name="whitelist"),
    path("<int:pk>/loans/", views.grant, name="grant"),
    path("loans/<int:pk>/repayments/", views.repayment, name="repayment"),
    path("loans/<int:pk>/default/", views.default, name="default"),
]
