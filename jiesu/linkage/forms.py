from django import forms
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Unit
from jiesu.engine import units as unit_kinds


class TransferForm(forms.Form):
    hotline_unit = forms.ModelChoiceField(
        label=_("转往"),
        queryset=Unit.objects.filter(
            kind=unit_kinds.NEIGHBOUR_HOTLINE, active=True, linkage_endpoint__active=True
        ).order_by("code"),
        to_field_name="code",
        empty_label=None,
    )
    reason = forms.CharField(
        label=_("转办理由"), min_length=5, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    judged_cross_region = forms.BooleanField(
        label=_("判定为跨区域诉求"),
        required=False,
        help_text=_("工单未被分类为京津冀跨区域事项时，须由派单员判定后勾选"),
    )
    consent_personal_data = forms.BooleanField(
        label=_("诉求人同意向对方提供姓名和电话"), required=False, help_text=_("不勾选时，只发送去除个人信息的诉求内容")
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由（为何不属北京市办理）"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent_personal_data = forms.BooleanField(label=_("诉求人同意向对方提供姓名和电话"), required=False)


class PhoneTransferForm(TransferForm):
    """A handover the neighbour's staff took on the phone: what they said replaces their server's answer."""

    remote_id = forms.CharField(label=_("对方工单编号"), max_length=100, help_text=_("对方受理后告知的工单编号"))
    acknowledged_by = forms.CharField(label=_("对方受理人"), min_length=2, max_length=50, help_text=_("姓名或工号"))


class PhoneReturnForm(ReturnForm):
    remote_id = forms.CharField(label=_("对方工单编号"), max_length=100, help_text=_("对方收回后告知的工单编号"))
    acknowledged_by = forms.CharField(label=_("对方受理人"), min_length=2, max_length=50, help_text=_("姓名或工号"))


class ProgressForm(forms.Form):
    description = forms.CharField(
        label=_("对方告知的办理情况"), min_length=2, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    closed = forms.BooleanField(label=_("对方已办结"), required=False)
