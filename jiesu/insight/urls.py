from django.urls import path

from . import forecast_views, monthly_views, views

app_name = "insight"
urlpatterns = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("alerts/<int:pk>/close/", views.close, name="close"),
    path("topics/", views.topic_list, name="topics"),
    path("trends/", forecast_views.trend_page, name="trends"),
    path("forecast/", forecast_views.expectation_list, name="forecast"),
    # 每月一题 (R24.1)
    path("month-topics/", monthly_views.topic_list, name="month_topics"),
    path("month-topics/candidates/", monthly_views.candidate_list, name="month_candidates"),
    path("month-topics/new/", monthly_views.topic_new, name="month_topic_new"),
    path("month-topics/<int:pk>/", monthly_views.topic_detail, name="month_topic"),
    path("month-topics/<int:pk>/study/", monthly_views.topic_study, name="month_topic_study"),
    path("month-topics/<int:pk>/plan/", monthly_views.topic_plan, name="month_topic_plan"),
    path("month-topics/<int:pk>/tasks/", monthly_views.topic_task, name="month_topic_task"),
    path("month-topics/<int:pk>/close/", monthly_views.topic_close, name="month_topic_close"),
    path("month-topics/tasks/<int:pk>/", monthly_views.task_detail, name="month_task"),
]
