from django.contrib import admin

from .models import QualityItem


@admin.register(QualityItem)
class QualityItemAdmin(admin.ModelAdmin):
    """The bureau edits the call-quality checklist here (R29.1)."""

    list_display = ("label", "code", "weight", "position", "active")
    list_editable = ("weight", "position", "active")
