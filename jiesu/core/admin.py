"""The admin pages of the two security libraries in Chinese (issue 12): django-axes (login
lockout records) and django-rest-knox (API tokens; its admin is jiesu.api.admin).

The libraries' own strings are English with no zh-hans catalog. Rather than a .po catalog that
every install would have to compile, the names are set here and in `apply_verbose_names` (called
from CoreConfig.ready): app, model and field names, the lockout filter, the columns and the
fieldsets. Nothing here changes what the pages do.
"""

from __future__ import annotations

from axes import admin as axes_admin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

APP_NAMES = {"axes": "登录保护", "knox": "API令牌"}

MODEL_NAMES = {
    ("axes", "accessattempt"): "登录失败记录",
    ("axes", "accessfailurelog"): "登录失败日志",
    ("axes", "accesslog"): "登录日志",
    ("axes", "accessattemptexpiration"): "锁定到期时间",
    ("knox", "authtoken"): "API令牌",
}

FIELD_NAMES = {
    "axes": {
        "user_agent": "浏览器标识",
        "ip_address": "IP地址",
        "username": "用户名",
        "http_accept": "HTTP Accept请求头",
        "path_info": "访问路径",
        "attempt_time": "尝试时间",
        "locked_out": "已锁定",
        "get_data": "GET参数",
        "post_data": "提交的表单",
        "failures_since_start": "连续失败次数",
        "access_attempt": "登录失败记录",
        "expires_at": "到期时间",
        "logout_time": "退出时间",
        "session_hash": "会话摘要",
    },
    "knox": {
        "digest": "令牌摘要",
        "token_key": "令牌前缀",
        "user": "用户",
        "created": "签发时间",
        "expiry": "到期时间",
    },
}

FORM_DATA, META_DATA = "表单数据", "请求信息"


def apply_verbose_names() -> None:
    from django.apps import apps

    for label, name in APP_NAMES.items():
        if apps.is_installed(label):
            apps.get_app_config(label).verbose_name = name
    for (app_label, model_name), name in MODEL_NAMES.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        model._meta.verbose_name = model._meta.verbose_name_plural = name
        for field in model._meta.get_fields():
            if field.name in FIELD_NAMES[app_label] and hasattr(field, "verbose_name"):
                field.verbose_name = FIELD_NAMES[app_label][field.name]


class LockedOutFilter(axes_admin.IsLockedOutFilter):
    title = "锁定状态"

    def lookups(self, request, model_admin):
        return (("yes", "已锁定"), ("no", "未锁定"))


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    list_filter = [
        LockedOutFilter if f is axes_admin.IsLockedOutFilter else f for f in axes_admin.AccessAttemptAdmin.list_filter
    ]
    fieldsets = (
        (None, {"fields": ("username", "path_info", "failures_since_start", "expiration")}),
        (FORM_DATA, {"fields": ("get_data", "post_data")}),
        (META_DATA, {"fields": ("user_agent", "ip_address", "http_accept")}),
    )

    @admin.action(description="清理已到期的失败记录")
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"已清理{count}条到期的登录失败记录。")

    @admin.display(description="锁定到期")
    def expiration(self, obj):
        return obj.expiration.expires_at if hasattr(obj, "expiration") else "未设置"

    @admin.display(description="状态")
    def status(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        return f"还可尝试{left}次" if left > 0 else "已锁定"


class AccessLogAdmin(axes_admin.AccessLogAdmin):
    fieldsets = (
        (None, {"fields": ("username", "path_info")}),
        (META_DATA, {"fields": ("user_agent", "ip_address", "http_accept")}),
    )


class AccessFailureLogAdmin(axes_admin.AccessFailureLogAdmin):
    fieldsets = AccessLogAdmin.fieldsets


for model, model_admin in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
