from django.urls import path

from . import views

app_name = "intake"
urlpatterns = [
    path("", views.intake, name="new"),
    path("history/", views.caller_history, name="history"),
    path("suggestion/", views.suggestion, name="suggestion"),
]
