from django.urls import include, path

from . import views

app_name = "linkage"
urlpatterns = [
    path("", views.transfer_list, name="transfers"),
    path("api/", include("jiesu.linkage.api")),
    path("orders/<str:number>/transfer/", views.transfer, name="transfer"),
    path("orders/<str:number>/return/", views.send_back, name="return"),
    path("orders/<str:number>/transfer/phone/", views.transfer_by_phone, name="transfer_phone"),
    path("orders/<str:number>/return/phone/", views.return_by_phone, name="return_phone"),
    path("transfers/<int:pk>/progress/", views.progress, name="progress"),
]
