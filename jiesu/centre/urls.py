from django.urls import path

from . import views

app_name = "centre"
urlpatterns = [
    path("callers/", views.callers, name="callers"),
    path("callers/of/<str:number>/", views.caller, name="caller"),
    path("callers/of/<str:number>/flag/", views.flag, name="flag"),
    path("callers/of/<str:number>/warn/", views.warn, name="warn"),
    path("callers/of/<str:number>/refer/", views.refer, name="refer"),
    path("callers/of/<str:number>/lift/", views.lift, name="lift"),
    path("oversight/", views.oversight_home, name="oversight"),
    path("unit/users/", views.unit_users, name="unit_users"),
    path("unit/users/new/", views.unit_user_create, name="unit_user_create"),
    path("unit/users/<int:pk>/active/", views.unit_user_active, name="unit_user_active"),
    path("unit/users/<int:pk>/password/", views.unit_user_password, name="unit_user_password"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/new/", views.supervision_open, name="supervision_open"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/decide/", views.supervision_decide, name="supervision_decide"),
    path("supervision/<int:pk>/refer/", views.supervision_refer, name="supervision_refer"),
    path("supervision/<int:pk>/export/", views.supervision_export, name="supervision_export"),
    path("identity-reads/", views.identity_reads, name="identity_reads"),
    path("quality/", views.quality, name="quality"),
    path("quality/sample/", views.quality_sample, name="quality_sample"),
    path("quality/<int:pk>/", views.quality_review, name="quality_review"),
    path("quality/mine/", views.quality_mine, name="quality_mine"),
    path("training/", views.training, name="training"),
]
