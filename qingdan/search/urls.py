from django.urls import path

from qingdan.search import views

app_name = "search"

urlpatterns = [
    path("similar/", views.similar_live, name="similar"),
    path("similar/<str:number>/", views.similar_to_problem, name="similar_to"),
    path("suggestions/<str:number>/", views.suggestions_for_problem, name="suggestions"),
    path("dictionary/", views.dictionary, name="dictionary"),
    path("dictionary/<int:pk>/remove/", views.remove_term, name="remove_term"),
]
