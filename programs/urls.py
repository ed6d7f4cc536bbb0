from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("overview.xlsx", views.overview_xlsx, name="overview_xlsx"),
    path("programs/", views.program_list, name="list"),
    path("contracts/", views.contract_list, name="contracts"),
    path("programs/<int:pk>/", views.program_detail, name="detail"),
    path("programs/<int:pk>/compare/", views.program_compare, name="compare"),
    path("programs/<int:pk>/report/", views.program_report, name="report"),
    path("programs/<int:pk>/xlsx/", views.program_xlsx, name="xlsx"),
    path("reports/department/<int:pk>/", views.department_report, name="department_report"),
    path("reports/department/<int:pk>/xlsx/", views.department_xlsx, name="department_xlsx"),
    path("reports/bureau/", views.bureau_report, name="bureau_report"),
    path("reports/bureau/xlsx/", views.bureau_xlsx, name="bureau_xlsx"),
]
