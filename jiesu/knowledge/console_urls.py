from django.urls import path

from . import views

app_name = "knowledge_console"
urlpatterns = [
    path("", views.manage, name="manage"),
    path("new/", views.edit, name="new"),
    path("review/", views.review_due, name="review_due"),
    path("pending/", views.pending, name="pending"),
    path("pending/<int:pk>/decide/", views.decide, name="decide"),
    path("<str:slug>/edit/", views.edit, name="edit"),
    path("<str:slug>/history/", views.history, name="history"),
]
