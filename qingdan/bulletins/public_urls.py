from django.urls import path

from qingdan.bulletins import views
from qingdan.challenges import views as challenge_views

app_name = "public"

urlpatterns = [
    path("bulletins/", views.public_list, name="bulletins"),
    path("bulletins/<isodate:week>/v<int:version>/", views.public_detail, name="bulletin"),
    path(
        "bulletins/<isodate:week>/v<int:version>/file.<str:kind>",
        views.public_download,
        name="bulletin_file",
    ),
    path("challenges/", challenge_views.public_board, name="challenges"),
    path("challenges/<str:code>/", challenge_views.public_detail, name="challenge"),
]
