from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("sweep/", views.sweep, name="sweep"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/<slug:action>/", views.act, name="act"),
    path("rate/<str:token>/", views.rate, name="rate"),
]
