from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import services
from .evaluation import threshold_from_curve
from .models import ClassifierModel, LabelledExample


class ClassifierModelForm(forms.ModelForm):
    class Meta:
        model = ClassifierModel
        fields = ["target_precision"]
        help_texts = {
            "target_precision": _(
                "自动派单的目标准确率（0.5–1）。保存后按训练时保存的准确率曲线重新计算自动派单阈值。"
            ),
        }

    def clean_target_precision(self):
        value = self.cleaned_data["target_precision"]
        try:
            services.check_target_precision(self.instance, value)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["target_precision"]) from exc
        return value


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    form = ClassifierModelForm
    list_display = (
        "version",
        "created_at",
        "is_active",
        "macro_f1_display",
        "threshold",
        "target_precision",
        "trained_from",
    )
    list_filter = ("is_active",)
    fields = (
        "version",
        "created_at",
        "is_active",
        "target_precision",
        "threshold",
        "trade_off",
        "trained_from",
        "file",
        "metrics",
    )
    readonly_fields = (
        "version",
        "created_at",
        "file",
        "metrics",
        "threshold",
        "is_active",
        "trained_from",
        "trade_off",
    )
    actions = ["activate_version"]

    def save_model(self, request, obj, form, change):
        # Only the target precision is editable, and the threshold must move with it: both go
        # through the one service function that also records who changed them.
        if "target_precision" in form.changed_data:
            current = ClassifierModel.objects.get(pk=obj.pk)
            services.set_target_precision(current, form.cleaned_data["target_precision"], actor=request.user)
            obj.refresh_from_db()

    @admin.display(description=_("准确率与自动派单比例"))
    def trade_off(self, obj):
        """What each target precision would mean, read off the stored curve, so the admin sees
        the price of a stricter target before setting it."""
        curve = ((obj.metrics or {}).get("calibration") or {}).get("precision_curve") or []
        if not curve:
            return "-"
        rows = []
        for target in (0.90, 0.93, 0.95, 0.97, 0.98, 0.99):
            threshold = threshold_from_curve(curve, target)
            above = [p for p in curve if p["threshold"] >= threshold]
            share = max((p["coverage"] for p in above), default=0.0) if threshold < 1.0 else 0.0
            rows.append((f"{target:.0%}", f"{threshold:.3f}", f"{share:.1%}"))
        head = format_html("<tr><th>{}</th><th>{}</th><th>{}</th></tr>", _("目标准确率"), _("阈值"), _("自动派单比例"))
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html('<table id="trade-off">{}{}</table>', head, body)

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
