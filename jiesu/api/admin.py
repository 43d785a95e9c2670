"""The admin's page for API tokens: knox's, with the token shown once in Chinese and an expiry
that must be given (knox's form would accept a token that never expires)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from knox import admin as knox_admin
from knox.models import AuthToken


class ApiTokenCreateForm(knox_admin.AuthTokenCreateForm):
    expiry = forms.SplitDateTimeField(label=gettext_lazy("到期时间"), required=True, widget=AdminSplitDateTime)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiry"].initial = timezone.localtime() + timedelta(days=settings.JIESU_API_TOKEN_DAYS)

    def clean_expiry(self):
        expiry = self.cleaned_data["expiry"]
        if expiry <= timezone.now():
            raise forms.ValidationError(_("到期时间必须晚于现在。"))
        return expiry

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.is_active:
            raise forms.ValidationError(_("该用户已停用，不能发放令牌。"))
        return user


admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(knox_admin.AuthTokenAdmin):
    add_form = ApiTokenCreateForm
    list_display = ("token_key", "user", "created", "expiry")
    search_fields = ("token_key", "user__username")

    def get_fields(self, request, obj=None):
        return ["user", "expiry"] if obj is None else ["token_key", "user", "created", "expiry"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["token_key", "user", "created"]

    def save_model(self, request, obj, form, change):
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        if not change:
            self.message_user(
                request,
                _("API 令牌（只显示这一次，请立即复制保存）：%(token)s") % {"token": form.token},
                messages.WARNING,
            )
