from django.urls import path

from qingdan.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.day_list, name="list"),
    path("template.xlsx", views.template_file, name="template"),
    path("enterprises/", views.enterprise_suggestions, name="enterprise_suggestions"),
    path("<isodate:day>/", views.detail, name="detail"),
    path("<isodate:day>/batch/", views.batch, name="batch"),
    path("<isodate:day>/import/", views.upload, name="import"),
    path("<isodate:day>/import/<int:pk>/", views.job, name="job"),
    path("<isodate:day>/problems.xlsx", views.export, name="export"),
]
