from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("compute/", views.compute, name="compute"),
    path("<str:month>/export.xlsx", views.export_xlsx, name="export"),
    path("units/<int:unit_id>/", views.unit, name="unit"),
    path("appeal/", views.appeal, name="appeal"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/decide/", views.decide_appeal, name="decide_appeal"),
    path("certify/", views.certify, name="certify"),
    path("credit/", views.credit, name="credit"),
    path("recognise/", views.recognise, name="recognise"),
]
