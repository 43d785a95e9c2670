from django import forms
from django.utils.translation import gettext_lazy as _

from . import models as m

YES_NO = [("yes", _("是")), ("no", _("否"))]


class AttemptForm(forms.Form):
    outcome = forms.ChoiceField(label=_("拨打结果"), choices=m.ATTEMPT_OUTCOMES)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class RatingForm(forms.Form):
    """The script's questions, asked by a visitor or answered on the public page."""

    contacted = forms.ChoiceField(label=_("承办单位是否与您联系过？"), choices=YES_NO, widget=forms.RadioSelect)
    resolution = forms.ChoiceField(label=_("您的问题是否解决？"), choices=m.RESOLUTIONS, widget=forms.RadioSelect)
    satisfaction = forms.ChoiceField(
        label=_("您对办理结果是否满意？"), choices=m.SATISFACTIONS, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label=_("您的意见和建议"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def answers(self) -> dict:
        d = self.cleaned_data
        return {
            "contacted": d["contacted"] == "yes",
            "resolution": d["resolution"],
            "satisfaction": d["satisfaction"],
            "comments": d.get("comments", ""),
        }


class VisitForm(RatingForm):
    attitude_complaint = forms.BooleanField(label=_("诉求人反映承办人员服务态度问题"), required=False)

    def answers(self) -> dict:
        return {**super().answers(), "attitude_complaint": self.cleaned_data.get("attitude_complaint", False)}


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("处理"),
        choices=[("reopen", _("退回原承办单位重新办理")), ("close", _("办结"))],
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("新的办理时限（天，留空按原事项时限）"), required=False, min_value=1, max_value=60
    )
    note = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
