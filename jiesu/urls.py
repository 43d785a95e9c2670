from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jiesu.core import views as core_views
from jiesu.notifications import api as notification_api

admin.site.site_header = "接诉即办平台管理"
admin.site.site_title = "接诉即办平台"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Before any other "public/" include: the open knowledge base is served by jiesu.knowledge.
    path("public/knowledge/", include("jiesu.knowledge.urls")),
    path("knowledge/", include("jiesu.knowledge.console_urls")),
    path("intake/", include("jiesu.intake.urls")),
    path("orders/", include("jiesu.orders.urls")),
    path("dispatch/", include("jiesu.dispatch.urls")),
    path("handling/", include("jiesu.handling.urls")),
    path("inbox/", include("jiesu.notifications.urls")),
    path("open311/", include("jiesu.open311.urls")),
    path("public/", include("jiesu.public.urls")),
    path("followup/", include("jiesu.followup.urls")),
    path("assessment/", include("jiesu.assessment.urls")),
    path("centre/", include("jiesu.centre.urls")),
    path("linkage/", include("jiesu.linkage.urls")),
    path("insight/", include("jiesu.insight.urls")),
    path("api/v1/unit-orders/", notification_api.UnitOrderFeed.as_view(), name="unit-order-feed"),
    path("api/v1/", include("jiesu.api.urls")),
    path("admin/", admin.site.urls),
]
handler403 = "jiesu.core.views.forbidden"
handler404 = "jiesu.core.views.not_found"
