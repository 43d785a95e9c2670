from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Credit


class AppealForm(forms.Form):
    order = forms.CharField(label=_("工单编号"), max_length=20, widget=forms.HiddenInput)
    month = forms.CharField(label=_("考核月份"), max_length=7, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("证明材料"), required=False)


class DecideAppealForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("uphold", _("申诉成立")), ("reject", _("申诉不成立"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 2}))


class CertifyForm(forms.Form):
    order = forms.CharField(label=_("工单编号"), max_length=20)
    reason = forms.CharField(label=_("认定理由"), widget=forms.Textarea(attrs={"rows": 2}))


class CreditForm(forms.Form):
    unit = forms.CharField(label=_("单位代码"), max_length=40)
    month = forms.CharField(label=_("考核月份（YYYY-MM）"), max_length=7)
    kind = forms.ChoiceField(label=_("类型"), choices=Credit.KINDS)
    points = forms.DecimalField(label=_("加分"), max_digits=5, decimal_places=2, min_value=0.01, max_value=10)
    note = forms.CharField(label=_("事由"), widget=forms.Textarea(attrs={"rows": 2}))
