from django.urls import path

from . import forecast_views, views

app_name = "insight"
urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("alerts/<int:pk>/close/", views.close, name="close"),
    path("topics/", views.topic_list, name="topics"),
    path("trends/", forecast_views.trend_page, name="trends"),
    path("forecast/", forecast_views.expectation_list, name="forecast"),
]
