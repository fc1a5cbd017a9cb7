from django.urls import path

from qingdan.bulletins import views

app_name = "public"

urlpatterns = [
    path("bulletins/", views.public_list, name="bulletins"),
    path("bulletins/<isodate:week>/v<int:version>/", views.public_detail, name="bulletin"),
]
