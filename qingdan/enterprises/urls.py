from django.urls import path

from qingdan.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.create, name="new"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_view, name="import"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/contacts/", views.add_contact, name="add_contact"),
    path("<str:code>/contacts/<int:pk>/delete/", views.delete_contact, name="delete_contact"),
    path("<str:code>/figures/", views.save_figures, name="figures"),
    path("<str:code>/visits/", views.record_visit, name="visit"),
    path("<str:code>/visit-items/<int:pk>/raise/", views.raise_from_visit, name="raise_item"),
]
