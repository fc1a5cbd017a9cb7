from django.urls import path

from qingdan.problems import keeping, views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.raise_problem, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("intake/", views.intake, name="intake"),
    path("approvals/", views.approvals, name="approvals"),
    path("overdue/", views.overdue, name="overdue"),
    path("overview/", views.overview, name="overview"),
    path("responsible-options/", views.responsible_options, name="responsible_options"),
    path("categories/", keeping.categories, name="categories"),
    path("categories/new/", keeping.category_edit, name="category_new"),
    path("categories/<int:pk>/", keeping.category_edit, name="category_edit"),
    path("holidays/", keeping.holidays, name="holidays"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/<str:action>/", views.act, name="act"),
    path("<str:number>/files/<int:pk>/", views.attachment, name="attachment"),
]
