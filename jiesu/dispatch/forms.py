from django import forms
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Unit

from .models import Objection


def resolve_units(text: str, field: str) -> list[Unit]:
    """Units named by code or exact name, separated by commas or 、."""
    names = [n.strip() for n in text.replace("，", ",").replace("、", ",").split(",") if n.strip()]
    units, unknown = [], []
    for name in names:
        unit = Unit.objects.filter(active=True, code=name).first() or Unit.objects.filter(active=True, name=name).first()
        (units if unit else unknown).append(unit or name)
    if unknown:
        raise forms.ValidationError(_("找不到单位：%(names)s") % {"names": "、".join(unknown)}, code=field)
    return units


class DispatchForm(forms.Form):
    matter_code = forms.ChoiceField(label=_("事项"))
    lead = forms.CharField(label=_("主办单位"), widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}))
    assist = forms.CharField(label=_("协办单位（可多个，用逗号分隔）"), required=False,
                             widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}))
    note = forms.CharField(label=_("派单说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter_code"].choices = [(m.code, m.full_name) for m in matters]

    def clean_lead(self):
        units = resolve_units(self.cleaned_data["lead"], "lead")
        if len(units) != 1:
            raise forms.ValidationError(_("主办单位只能有一个。"))
        return units[0]

    def clean_assist(self):
        return resolve_units(self.cleaned_data.get("assist", ""), "assist")


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsultationForm(forms.Form):
    units = forms.CharField(label=_("参加会商单位（逗号分隔）"), widget=forms.TextInput(attrs={"list": "unit-options"}))
    question = forms.CharField(label=_("会商事项"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_units(self):
        return resolve_units(self.cleaned_data["units"], "units")


class CloseConsultationForm(forms.Form):
    outcome = forms.CharField(label=_("会商结论"), widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("本单位意见"), widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    grounds = forms.ChoiceField(label=_("异议类型"), choices=[(Objection.DUTY, _("非本单位职责")), (Objection.TERRITORY, _("非本单位属地"))])
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}))
    suggested_unit = forms.CharField(label=_("建议承办单位"), required=False)


class RejectObjectionForm(forms.Form):
    note = forms.CharField(label=_("不予支持的理由"), widget=forms.Textarea(attrs={"rows": 2}))
