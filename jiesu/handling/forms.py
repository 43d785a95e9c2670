"""One form per handling action; the screens and the REST API validate with the same forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiesu.core import validation
from jiesu.dispatch.forms import ObjectionForm, resolve_units  # noqa: F401 - objections reuse dispatch's form
from jiesu.intake.forms import MultipleFileField

from . import services
from .models import RESULTS, Escalation, Supervision

UNIT_INPUT = {"list": "unit-options", "autocomplete": "off"}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _record_id(label):
    """The hidden id of the row an action is about (an escalation, a report-in, an extension):
    bounded as the database's ids are (bigint), so an id past them is a form error naming the
    field (and the schema says the bounds), never a lookup PostgreSQL cannot make."""
    return forms.IntegerField(label=label, widget=forms.HiddenInput, min_value=1, max_value=validation.MAX_BIGINT)


def _one_unit(text: str, field: str):
    units = resolve_units(text, field)
    if len(units) != 1:
        raise forms.ValidationError(_("请填写一个单位。"))
    return units[0]


class AcceptForm(forms.Form):
    pass


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("联系方式"), choices=services.CONTACT_METHODS)
    outcome = forms.ChoiceField(label=_("联系结果"), choices=services.CONTACT_OUTCOMES)
    contacted_at = forms.DateTimeField(
        label=_("联系时间（默认现在）"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    note = forms.CharField(label=_("沟通情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssistForm(forms.Form):
    unit = forms.CharField(label=_("协办单位"), widget=forms.TextInput(attrs=UNIT_INPUT))
    task = forms.CharField(label=_("协办事项"), widget=forms.Textarea(attrs={"rows": 2}))
    due_at = forms.DateTimeField(
        label=_("协办时限（默认按事项规则）"), required=False, widget=DATETIME, input_formats=DATETIME_FORMATS
    )

    def clean_unit(self):
        return _one_unit(self.cleaned_data["unit"], "unit")


class ReportPartForm(forms.Form):
    final = forms.TypedChoiceField(
        label=_("报告类型"),
        coerce=lambda v: v in (True, "True", "true", "1", "final"),
        choices=[("final", _("协办结果")), ("stage", _("阶段进展（说明未能办结的原因）"))],
    )
    text = forms.CharField(label=_("报告内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    extra_days = forms.IntegerField(label=_("延长工作日"), min_value=1, max_value=30, initial=5)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class ReplyForm(forms.Form):
    result = forms.ChoiceField(label=_("办理结果"), choices=RESULTS)
    unresolved_reason = forms.CharField(
        label=_("未能解决的客观原因"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    public_text = forms.CharField(label=_("答复诉求人的内容（公开）"), widget=forms.Textarea(attrs={"rows": 4}))
    internal_notes = forms.CharField(
        label=_("办理情况（内部，不公开）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultipleFileField(label=_("结果照片或材料（可选，可多选）"), required=False)


class EscalateForm(forms.Form):
    level = forms.ChoiceField(label=_("提请"), choices=Escalation.LEVELS)
    authority = forms.CharField(
        label=_("行业主管部门（提请行业主管部门时填写）"), required=False, widget=forms.TextInput(attrs=UNIT_INPUT)
    )
    reason = forms.CharField(label=_("提级理由（已做工作、难点）"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_authority(self):
        text = self.cleaned_data.get("authority", "").strip()
        return _one_unit(text, "authority") if text else None


class AnswerEscalationForm(forms.Form):
    escalation_id = _record_id(_("提级请求编号"))
    instructions = forms.CharField(label=_("指导意见"), widget=forms.Textarea(attrs={"rows": 3}))


class WhistleForm(forms.Form):
    departments = forms.CharField(label=_("召集部门（可多个，用逗号分隔）"), widget=forms.TextInput(attrs=UNIT_INPUT))
    note = forms.CharField(label=_("吹哨事由"), widget=forms.Textarea(attrs={"rows": 2}))
    hours = forms.IntegerField(label=_("报到时限（小时）"), min_value=1, max_value=72, initial=2)

    def clean_departments(self):
        return resolve_units(self.cleaned_data["departments"], "departments")


class ReportInForm(forms.Form):
    report_in_id = _record_id(_("报到编号"))
    step = forms.ChoiceField(label=_("报到环节"), choices=services.REPORT_IN_STEPS)
    note = forms.CharField(label=_("情况说明（处置时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmReportInForm(forms.Form):
    report_in_id = _record_id(_("报到编号"))
    satisfied = forms.TypedChoiceField(
        label=_("街乡评价"),
        coerce=lambda v: v in (True, "True", "true", "1", "yes"),
        choices=[("yes", _("认可")), ("no", _("不认可"))],
    )
    note = forms.CharField(label=_("评价说明"), required=False)


class CentralForwardForm(forms.Form):
    organ = forms.CharField(label=_("转交的中央单位或军队单位"))
    note = forms.CharField(label=_("说明"), required=False)


class CentralFeedbackForm(forms.Form):
    text = forms.CharField(label=_("中央单位反馈"), widget=forms.Textarea(attrs={"rows": 2}))


# Centre actions ---------------------------------------------------------------------------


class DecideExtensionForm(forms.Form):
    extension_id = _record_id(_("延期申请编号"))
    approve = forms.TypedChoiceField(
        label=_("审批"),
        coerce=lambda v: v in (True, "True", "true", "1", "approve"),
        choices=[("approve", _("批准")), ("refuse", _("不批准"))],
    )
    note = forms.CharField(label=_("审批意见"), required=False)


class SuperviseForm(forms.Form):
    reason = forms.ChoiceField(label=_("督办事由"), choices=Supervision.REASONS)
    unit = forms.CharField(
        label=_("督办对象（默认主办单位）"), required=False, widget=forms.TextInput(attrs=UNIT_INPUT)
    )
    message = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 2}))
    new_due = forms.DateTimeField(label=_("新时限"), widget=DATETIME, input_formats=DATETIME_FORMATS)

    def clean_unit(self):
        text = self.cleaned_data.get("unit", "").strip()
        return _one_unit(text, "unit") if text else None


class DisputeForm(forms.Form):
    note = forms.CharField(label=_("诉求人意见"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferCentralForm(forms.Form):
    reason = forms.CharField(
        label=_("转交理由（涉及的中央单位、军队或央企）"), widget=forms.Textarea(attrs={"rows": 2})
    )
