from django.urls import path

from qingdan.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("generate/", views.generate, name="generate"),
    path("<isodate:week>/v<int:version>/", views.internal, name="internal"),
    path(
        "<isodate:week>/v<int:version>/publish/confirm/",
        views.confirm_publish,
        name="confirm_publish",
    ),
    path("<isodate:week>/v<int:version>/<str:action>/", views.act, name="act"),
    path("<isodate:week>/v<int:version>/file.<str:kind>", views.download, name="download"),
]
