from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from jiesu.core.admin_readonly import ReadOnlyAdmin

from . import services
from .models import ApiClient, ServiceAttribute, ServiceAttributeValue, Submission


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "key_prefix", "active", "rate_limit_per_minute", "created_at", "revoked_at")
    list_filter = ("active",)
    search_fields = ("name", "contact", "key_prefix")
    readonly_fields = ("key_prefix", "active", "user", "created_at", "revoked_at")
    actions = ["revoke", "rotate"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        raw = services.create_client(obj)
        # The only time the key is visible: the database keeps its hash alone.
        messages.warning(request, _("接口密钥（只显示这一次，请立即交给客户端）：%(key)s") % {"key": raw})

    def has_delete_permission(self, request, obj=None):
        return False  # orders point at their client; revoke instead

    @admin.action(description=_("吊销所选客户端（密钥立即失效，不可恢复）"))
    def revoke(self, request, queryset):
        for client in queryset.filter(active=True):
            services.revoke_client(client)
        self.message_user(request, _("已吊销。"))

    @admin.action(description=_("重新生成密钥（旧密钥立即失效）"))
    def rotate(self, request, queryset):
        for client in queryset.filter(active=True):
            raw = services.rotate_key(client)
            messages.warning(
                request, _("%(name)s 的新密钥（只显示这一次）：%(key)s") % {"name": client.name, "key": raw}
            )


class ServiceAttributeValueInline(admin.TabularInline):
    model = ServiceAttributeValue
    extra = 0


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(admin.ModelAdmin):
    list_display = ("matter", "order", "code", "description", "datatype", "required", "variable", "active")
    list_filter = ("datatype", "required", "active")
    search_fields = ("code", "description", "matter__code", "matter__name")
    autocomplete_fields = ("matter",)
    inlines = [ServiceAttributeValueInline]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Read-only: what clients sent is evidence, like the order's events."""

    list_display = ("order", "client", "service_code", "created_at")
    list_filter = ("client",)
    search_fields = ("order__number",)
    readonly_fields = ("order", "client", "service_code", "attributes", "media_url", "address_id", "created_at")
    exclude = ("email_enc", "device_id_enc", "account_id_enc")
