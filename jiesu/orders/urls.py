from django.urls import path

from . import erasure_views, views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("<str:number>/", views.order_detail, name="detail"),
    path("<str:number>/erase/", erasure_views.erase, name="erase"),
    path("<str:number>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:number>/attachments/<int:pk>/thumbnail/", views.attachment_thumbnail, name="attachment_thumbnail"),
]
