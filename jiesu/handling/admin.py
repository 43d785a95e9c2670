from django.contrib import admin

from .models import Escalation, ExtensionRequest, Reply, ReportIn, Supervision, Whistle


class HandlingRecordAdmin(admin.ModelAdmin):
    """Read-only: these rows change only through jiesu.handling.services, with their events."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (Reply, ExtensionRequest, Escalation, Whistle, ReportIn, Supervision):
    admin.site.register(model, HandlingRecordAdmin)
