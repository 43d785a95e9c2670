from django.contrib import admin

from .models import Escalation, ExtensionRequest, Reply, ReportIn, Supervision, Whistle

# Read-mostly: changes go through the services (and their events), not the admin.
for model in (Reply, ExtensionRequest, Escalation, Whistle, ReportIn, Supervision):
    admin.site.register(model, admin.ModelAdmin)
