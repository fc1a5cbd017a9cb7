from django.urls import path

from qingdan.projects import keeping, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("projects.xlsx", views.projects_xlsx, name="xlsx"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("new/", keeping.project_edit, name="new"),
    path("<int:pk>/edit/", keeping.project_edit, name="edit"),
    path("investment/", keeping.investment_grid, name="investment_grid"),
    path("indicators/enter/", keeping.indicator_grid, name="indicator_grid"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators.xlsx", views.indicators_xlsx, name="indicators_xlsx"),
    path("indicators/import/", views.indicators_import, name="indicators_import"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.pdf", views.dashboard_pdf, name="dashboard_pdf"),
]
