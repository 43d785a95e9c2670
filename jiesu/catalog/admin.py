from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    CatalogEntry,
    CatalogVersion,
    HolidayOverride,
    Landmark,
    LexiconSection,
    Matter,
    RuleSetting,
    TimeLimitRule,
)


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "response_amount", "response_unit", "completion_amount", "completion_unit")


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ("code", "level1", "level2", "name", "time_limit", "community_may_assist", "active")
    list_filter = ("level1", "community_may_assist", "active")
    search_fields = ("code", "name", "level2")


class CatalogEntryInline(admin.TabularInline):
    model = CatalogEntry
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == CatalogVersion.DRAFT

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(CatalogVersion)
class CatalogVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "effective_from", "status", "published_at", "published_by")
    list_filter = ("status",)
    inlines = [CatalogEntryInline]
    actions = ["publish", "copy_as_draft"]

    def get_readonly_fields(self, request, obj=None):
        # A published version is what past orders were dispatched by: it never changes.
        if obj and obj.status == CatalogVersion.PUBLISHED:
            return ("version", "effective_from", "status", "note", "published_at", "published_by")
        return ("status", "published_at", "published_by")

    @admin.action(description=_("发布所选草稿（先用 jiesu catalog-replay 试运行）"))
    def publish(self, request, queryset):
        for version in queryset.filter(status=CatalogVersion.DRAFT):
            try:
                services.publish_version(version, actor=request.user)
            except ValidationError as exc:
                messages.error(request, "；".join(exc.messages))
            else:
                messages.success(request, _("已发布 %(v)s") % {"v": version.version})

    @admin.action(description=_("复制为新草稿"))
    def copy_as_draft(self, request, queryset):
        for version in queryset:
            draft = CatalogVersion.objects.create(
                version=f"{version.version}-draft-{timezone.now():%Y%m%d%H%M%S}",
                effective_from=timezone.localdate(),
                note=f"复制自 {version.version}",
            )
            CatalogEntry.objects.bulk_create(
                [
                    CatalogEntry(
                        version=draft,
                        matter_code=e.matter_code,
                        level=e.level,
                        lead=e.lead,
                        assist=e.assist,
                        note=e.note,
                    )
                    for e in version.entries.all()
                ]
            )
            messages.success(request, _("已创建草稿 %(v)s") % {"v": draft.version})


@admin.register(LexiconSection)
class LexiconSectionAdmin(admin.ModelAdmin):
    list_display = ("key", "note")


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "note")
    date_hierarchy = "day"

    def changelist_view(self, request, extra_context=None):
        from .checks import calendar_warnings

        for warning in calendar_warnings():
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(Landmark)
class LandmarkAdmin(admin.ModelAdmin):
    list_display = ("name", "place")
    search_fields = ("name",)
    raw_id_fields = ("place",)


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ("key", "value")
