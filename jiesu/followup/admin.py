from django.contrib import admin

from jiesu.core.admin_readonly import ReadOnlyAdmin

from .models import ReturnVisit, VisitAttempt


class AttemptInline(admin.TabularInline):
    model = VisitAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("outcome", "note", "by", "at")


@admin.register(ReturnVisit)
class ReturnVisitAdmin(ReadOnlyAdmin):
    # Visits are written by jiesu.followup.services only (each with its order event): read-only here.
    list_display = ("order", "round", "unit", "state", "method", "resolution", "satisfaction", "visited_at")
    list_filter = ("state", "method", "satisfaction")
    search_fields = ("order__number",)
    inlines = [AttemptInline]
