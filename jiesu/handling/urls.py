from django.urls import include, path

from . import views

app_name = "handling"
urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("supervision/", views.supervision, name="supervision"),
    path("api/", include("jiesu.handling.api")),
    path("orders/<str:number>/", views.order_page, name="order"),
    path("orders/<str:number>/<slug:action>/", views.act, name="act"),
]
