from django.urls import include, path

from . import views

app_name = "linkage"
urlpatterns = [
    path("", views.transfer_list, name="transfers"),
    path("api/", include("jiesu.linkage.api")),
    path("orders/<str:number>/transfer/", views.transfer, name="transfer"),
    path("orders/<str:number>/return/", views.send_back, name="return"),
]
