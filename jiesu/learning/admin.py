from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import ClassifierModel, LabelledExample


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ("version", "created_at", "is_active", "macro_f1_display", "threshold", "target_precision", "trained_from")
    list_filter = ("is_active",)
    readonly_fields = ("version", "created_at", "file", "metrics", "threshold", "target_precision", "is_active", "trained_from")
    actions = ["activate_version"]

    @admin.display(description=_("验证集宏F1"))
    def macro_f1_display(self, obj):
        f1 = obj.macro_f1
        return "-" if f1 is None else f"{f1:.3f}"

    @admin.action(description=_("启用此版本（可回滚到任意历史版本）"))
    def activate_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("请只选择一个版本。"), messages.ERROR)
            return
        obj = queryset.get()
        if not obj.path.is_file():
            self.message_user(request, _("模型文件不存在，无法启用。"), messages.ERROR)
            return
        obj.activate()
        self.message_user(request, _("已启用模型版本 %(v)s。") % {"v": obj.version}, messages.SUCCESS)

    def has_add_permission(self, request):
        return False  # versions come from training, never typed in


@admin.register(LabelledExample)
class LabelledExampleAdmin(admin.ModelAdmin):
    list_display = ("created_at", "matter_code", "source", "order_number", "short_text")
    list_filter = ("source",)
    search_fields = ("matter_code", "order_number", "text")

    @admin.display(description=_("诉求内容"))
    def short_text(self, obj):
        return obj.text[:40]
