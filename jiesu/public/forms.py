"""Forms of the public pages: labels and errors in Chinese, every error on its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiesu.orders import choices

from . import services


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input (Django's documented pattern); the checks that matter (type,
    size, count, re-encoding) are the intake's own, in orders.services.validate_intake."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(PhotosField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("诉求类型"), choices=[("", _("请选择"))] + choices.KINDS)
    content = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
        max_length=4000,
        help_text=_("请写明发生了什么、从何时开始、希望如何解决。"),
    )
    location_text = forms.CharField(
        label=_("诉求地点"),
        max_length=300,
        required=False,
        help_text=_("区、街道（乡镇）、小区或道路名称，越具体越好。"),
    )
    photos = PhotosField(label=_("现场照片（可选，最多9张）"), required=False)
    anonymous = forms.BooleanField(label=_("匿名提交（仅限咨询、建议、举报；无法接收短信和回访）"), required=False)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    confidential = forms.BooleanField(label=_("要求对我的身份保密"), required=False)

    def submission(self) -> services.PortalSubmission:
        d = self.cleaned_data
        return services.PortalSubmission(
            kind=d["kind"],
            content=d["content"],
            location_text=d["location_text"],
            phone=d["phone"],
            code=d["code"],
            anonymous=d["anonymous"],
            confidential=d["confidential"],
            photos=d.get("photos") or [],
        )


class StatusForm(forms.Form):
    number = forms.CharField(
        label=_("工单编号"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "261130-00042", "autocomplete": "off"}),
    )
    check = forms.CharField(
        label=_("校验信息"),
        max_length=20,
        required=False,
        help_text=_("短信验证码、登记手机号码后四位，或匿名提交时的查询码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class CaseSearchForm(forms.Form):
    q = forms.CharField(label=_("搜索"), max_length=50, required=False)
