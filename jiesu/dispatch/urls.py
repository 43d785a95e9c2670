from django.urls import path

from . import views

app_name = "dispatch"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("units/", views.unit_options, name="unit_options"),
    path("consultations/<int:consultation_id>/comment/", views.comment, name="comment"),
    path("<str:number>/", views.review, name="review"),
    path("<str:number>/object/", views.raise_objection, name="object"),
    path("<str:number>/proposal/", views.proposal, name="proposal"),
]
