from django import forms
from django.utils.translation import gettext_lazy as _

from jiesu.orders import choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


# The engine's suggestion follows what the call-taker types (htmx posts the four fields).
LIVE_SUGGESTION = {
    "hx-post": "/intake/suggestion/",
    "hx-trigger": "input changed delay:500ms, change",
    "hx-target": "#live-suggestion",
    # The requester's fields too, so the panel can say when the content repeats them (R8.3).
    "hx-include": "#id_content, #id_location_text, #id_kind, #id_channel, #id_requester_name, #id_requester_phone, "
    "#id_requester_id_number",
    "hx-sync": "#live-suggestion:replace",
}


CONTENT_MAX = 4000  # the orders service's limit (validate_intake)


class IntakeForm(forms.Form):
    """The call-taker's one-page form; the orders service validates again and decides."""

    requester_phone = forms.CharField(
        label=_("来电号码"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "off"}),
    )
    requester_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    requester_type = forms.ChoiceField(label=_("诉求人类型"), choices=choices.REQUESTER_TYPES, initial="natural")
    requester_organisation = forms.CharField(label=_("单位名称"), max_length=200, required=False)
    requester_id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    requester_confidential = forms.BooleanField(label=_("要求保密"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=choices.CHANNELS, initial="phone")
    source_line = forms.ChoiceField(label=_("来源热线"), choices=choices.SOURCE_LINES, initial="12345")
    kind = forms.ChoiceField(label=_("诉求类型"), choices=choices.KINDS, initial="complaint")
    location_text = forms.CharField(
        label=_("诉求地点"), max_length=300, required=False, widget=forms.TextInput(attrs=LIVE_SUGGESTION)
    )
    # No maxlength attribute on the textarea: a browser cuts a longer paste silently. The counter
    # (console.js, data-counter) shows the length as it grows, and the server refuses over-long
    # text with a message naming the field and the length.
    content = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "data-counter": CONTENT_MAX,
                "data-counter-text": _("已输入 {n} / {max} 字"),
                "data-counter-over": _("超出 {over} 字：保存时将被拒绝，请精简后再保存"),
                **LIVE_SUGGESTION,
            }
        ),
        required=False,
    )
    attachments = MultipleFileField(label=_("附件"), required=False)

    def full_clean(self):
        """Every error on the first submit: the form's own checks and the orders service's
        (required content, phone for phone calls, ID number, organisation ...) in one round.
        The service checks again when it saves; here it only reads."""
        super().full_clean()
        if not self.is_bound:
            return
        from jiesu.orders.services import IntakeData, validate_intake

        raw = {
            name: self.cleaned_data.get(name, self.data.get(name, "")) for name in self.fields if name != "attachments"
        }
        raw["requester_confidential"] = bool(raw.get("requester_confidential"))
        raw["attachments"] = self.cleaned_data.get("attachments") or []
        for field, messages in validate_intake(IntakeData(**raw)).items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
