from django.urls import path

from qingdan.carriers import views

app_name = "carriers_public"

urlpatterns = [
    path("", views.public_vacancies, name="vacancies"),
]
