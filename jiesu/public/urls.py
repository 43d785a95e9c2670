from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("status/", views.status, name="status"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/photos/<int:attachment>.jpg", views.case_photo, name="case_photo"),
    path("cases/manage/", views.manage_cases, name="manage_cases"),
    path("cases/manage/<str:number>/<slug:action>/", views.act_on_case, name="act_on_case"),
    path("reports/", views.reports, name="reports"),
    path("reports/<str:month>/", views.report, name="report"),
    path("reports/<str:month>/report.pdf", views.report_pdf, name="report_pdf"),
]
