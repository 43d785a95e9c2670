from django.contrib import admin

from jiesu.core.admin_readonly import ReadOnlyAdmin

from .models import Escalation, ExtensionRequest, Reply, ReportIn, Supervision, Whistle

# Read-only: these rows change only through jiesu.handling.services, with their events.
for model in (Reply, ExtensionRequest, Escalation, Whistle, ReportIn, Supervision):
    admin.site.register(model, ReadOnlyAdmin)
