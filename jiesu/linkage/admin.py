from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jiesu.core.admin_readonly import ReadOnlyAdmin

from .models import NeighbourHotline, RemoteUpdate, ServiceCodeMapping, Transfer, TransferAttempt


class NeighbourHotlineForm(forms.ModelForm):
    base_url = forms.URLField(
        label=_("Open311 接口地址"),
        max_length=300,
        assume_scheme="https",
        help_text=NeighbourHotline._meta.get_field("base_url").help_text,
    )
    # The stored key is never shown back: an empty field keeps it, a value replaces it.
    new_api_key = forms.CharField(
        label=_("接口密钥"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("对方为本平台发放的 api_key；加密保存，不再显示。留空表示不修改。"),
    )

    class Meta:
        model = NeighbourHotline
        fields = [
            "unit",
            "base_url",
            "new_api_key",
            "jurisdiction_id",
            "default_service_code",
            "inbound_client",
            "active",
            "timeout_seconds",
            "max_attempts",
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.api_key_enc and not cleaned.get("new_api_key"):
            self.add_error("new_api_key", _("请填写对方发放的接口密钥。"))
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("new_api_key"):
            self.instance.set_api_key(self.cleaned_data["new_api_key"])
        return super().save(commit)


class ServiceCodeMappingInline(admin.TabularInline):
    model = ServiceCodeMapping
    extra = 1


@admin.register(NeighbourHotline)
class NeighbourHotlineAdmin(admin.ModelAdmin):
    form = NeighbourHotlineForm
    list_display = ("unit", "base_url", "active", "has_key", "inbound_client", "updates_cursor")
    list_filter = ("active",)
    readonly_fields = ("updates_cursor",)
    inlines = [ServiceCodeMappingInline]

    @admin.display(boolean=True, description=_("已配置密钥"))
    def has_key(self, obj):
        return bool(obj.api_key_enc)


class RemoteUpdateInline(admin.TabularInline):
    model = RemoteUpdate
    extra = 0
    can_delete = False
    readonly_fields = ("update_id", "status", "description", "updated_at", "recorded_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    """Read-only: a transfer is a fact about what another system received."""

    list_display = (
        "order",
        "hotline",
        "direction",
        "remote_id",
        "remote_status",
        "consent_personal_data",
        "created_at",
        "last_polled_at",
    )
    list_filter = ("hotline", "direction", "remote_status")
    search_fields = ("order__number", "remote_id")
    inlines = [RemoteUpdateInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


@admin.register(TransferAttempt)
class TransferAttemptAdmin(ReadOnlyAdmin):
    list_display = ("at", "order", "hotline", "direction", "outcome", "http_status", "tries", "remote_id")
    list_filter = ("hotline", "outcome", "direction")
    search_fields = ("order__number", "remote_id", "error")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
