from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.public_index, name="index"),
    path("<str:slug>/", views.public_article, name="article"),
]
