from django.urls import path

from .views import OrderCreate

urlpatterns = [path("api/v1/orders/", OrderCreate.as_view())]
