from django.contrib import admin

from .models import ReturnVisit, VisitAttempt


class AttemptInline(admin.TabularInline):
    model = VisitAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("outcome", "note", "by", "at")


@admin.register(ReturnVisit)
class ReturnVisitAdmin(admin.ModelAdmin):
    # Visits are written by jiesu.followup.services only (each with its order event): read-only here.
    list_display = ("order", "round", "unit", "state", "method", "resolution", "satisfaction", "visited_at")
    list_filter = ("state", "method", "satisfaction")
    search_fields = ("order__number",)
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
