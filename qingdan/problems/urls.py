from django.urls import path

from qingdan.problems import appeal_views, keeping, views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.raise_problem, name="new"),
    path("inbox/", views.inbox, name="inbox"),
    path("intake/", views.intake, name="intake"),
    path("approvals/", views.approvals, name="approvals"),
    path("overdue/", views.overdue, name="overdue"),
    path("overview/", views.overview, name="overview"),
    path("batch/", views.batch, name="batch"),
    path("supervisions/", views.supervisions, name="supervisions"),
    path("instructions/", views.instructions, name="instructions"),
    path("interviews/", views.interviews, name="interviews"),
    path("appeals/", appeal_views.appeal_list, name="appeals"),
    path("appeals/file/", appeal_views.file_appeal, name="file_appeal"),
    path("appeals/<int:pk>/decide/", appeal_views.decide_appeal, name="decide_appeal"),
    path("scoring/", appeal_views.scoring, name="scoring"),
    path("responsible-options/", views.responsible_options, name="responsible_options"),
    path("categories/", keeping.categories, name="categories"),
    path("categories/new/", keeping.category_edit, name="category_new"),
    path("categories/<int:pk>/", keeping.category_edit, name="category_edit"),
    path("holidays/", keeping.holidays, name="holidays"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/<str:action>/", views.act, name="act"),
    path("<str:number>/files/<int:pk>/", views.attachment, name="attachment"),
    path("<str:number>/documents/issue/<str:kind>/", views.issue_document, name="issue_document"),
    path("<str:number>/documents/<int:pk>.<str:fmt>", views.document_file, name="document"),
]
