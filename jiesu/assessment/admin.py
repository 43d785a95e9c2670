"""The bureau edits assessment rules here (R31.2: rules change without code)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Appeal, AssessmentRun, Certification, Credit, RuleSet, ScopeRule


class ScopeRuleInline(admin.TabularInline):
    model = ScopeRule
    extra = 1


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "effective_from",
        "response_weight",
        "resolution_weight",
        "satisfaction_weight",
        "basic_value",
        "lead_weight",
        "assist_weight",
    )
    inlines = [ScopeRuleInline]
    actions = ["copy_as_new_version"]
    fieldsets = [
        (None, {"fields": ("name", "effective_from", "note")}),
        (
            _("三率权重与满意率公式"),
            {
                "fields": (
                    ("response_weight", "resolution_weight", "satisfaction_weight"),
                    ("satisfied_value", "basic_value", "unsatisfied_value"),
                    ("resolved_value", "partly_value"),
                )
            },
        ),
        (
            _("主协办与吹哨报到"),
            {"fields": (("lead_weight", "assist_weight"), ("report_in_weight", "report_in_office_share"))},
        ),
        (
            _("督办扣分与加分"),
            {
                "fields": (
                    ("penalty_overdue", "penalty_false_resolved", "penalty_attitude"),
                    ("penalty_cap", "credit_cap"),
                )
            },
        ),
        (
            _("分类（先进、进步、整改、治理）"),
            {"fields": (("advanced_min", "improved_rise"), ("rectify_below", "govern_below"))},
        ),
    ]

    def _used(self, obj) -> bool:
        return bool(obj and obj.pk and obj.runs.exists())

    # A version that results were computed with is history: changing it would make stored
    # results unexplainable. Copy it as a new version instead.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._used(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._used(obj)

    @admin.action(description=_("复制为新版本（下月生效）"))
    def copy_as_new_version(self, request, queryset):
        from .services import next_version

        for rs in queryset:
            new = next_version(rs)
            messages.success(request, f"已创建{new}")


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("order", "by", "at")
    search_fields = ("order__number",)
    readonly_fields = ("order", "reason", "by", "at")

    def has_add_permission(self, request):
        return False  # through the order page, so the order's timeline records it


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ("unit", "month", "kind", "points", "by", "at")
    list_filter = ("kind", "month")
    autocomplete_fields = ("unit",)
    raw_id_fields = ("order",)
    exclude = ("by",)

    def save_model(self, request, obj, form, change):
        obj.by = obj.by if change else request.user
        super().save_model(request, obj, form, change)


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("order", "unit", "month", "status", "filed_at", "decided_at")
    list_filter = ("status", "month")
    readonly_fields = [f.name for f in Appeal._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AssessmentRun)
class AssessmentRunAdmin(admin.ModelAdmin):
    list_display = ("month", "rules_version", "digest", "lines", "units", "seconds", "computed_at", "current")
    readonly_fields = [f.name for f in AssessmentRun._meta.fields]

    def has_add_permission(self, request):
        return False
