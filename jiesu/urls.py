from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jiesu.core import views as core_views

admin.site.site_header = "接诉即办平台管理"
admin.site.site_title = "接诉即办平台"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("intake/", include("jiesu.intake.urls")),
    path("orders/", include("jiesu.orders.urls")),
    path("dispatch/", include("jiesu.dispatch.urls")),
    path("handling/", include("jiesu.handling.urls")),
    path("inbox/", include("jiesu.notifications.urls")),
    path("open311/", include("jiesu.open311.urls")),
    path("followup/", include("jiesu.followup.urls")),
    path("assessment/", include("jiesu.assessment.urls")),
    path("linkage/", include("jiesu.linkage.urls")),
    path("api/v1/", include("jiesu.api.urls")),
    path("admin/", admin.site.urls),
]
handler403 = "jiesu.core.views.forbidden"
