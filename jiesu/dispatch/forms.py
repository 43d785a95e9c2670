import re
from functools import lru_cache

from django import forms
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from jiesu.core import worklists
from jiesu.directory.models import Unit

from .models import Objection

# What a place's own unit adds to the place name: "望京" names 望京街道办事处, not 望京西园社区居委会.
PRINCIPAL_SUFFIXES = (
    "街道办事处",
    "地区办事处",
    "乡人民政府",
    "镇人民政府",
    "区人民政府",
    "人民政府",
    "办事处",
    "街道",
)
INITIALS = re.compile(r"[A-Za-z]{2,12}")
MAX_LISTED = 8


@lru_cache(maxsize=20000)
def initials(name: str) -> str:
    """Pinyin initials of a unit name (望京街道办事处 -> wjjdbsc), for typing without an IME."""
    return "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()


@lru_cache(maxsize=5000)
def spellings(label: str) -> str:
    """How a matter's label may be typed without an IME: its pinyin initials and its full
    pinyin, lower case (环境保护 餐饮油烟 -> "hjbhcyyy huanjingbaohucanyinyouyan"). The picker's
    search box (console.js) matches typed Latin letters against this."""
    text = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", label)
    full = lazy_pinyin(text, errors="ignore")
    return f"{''.join(p[:1] for p in full)} {''.join(full)}".lower()


class MatterSelect(forms.Select):
    """The matter list with each option's spellings (data-pinyin) for the search box above it;
    the group's name (环境保护) counts as part of each option's label."""

    def _group_of(self, value) -> str:
        groups = getattr(self, "_groups", None)
        if groups is None:
            groups = self._groups = {}
            for group, items in self.choices:
                if isinstance(items, (list, tuple)):
                    for code, _label in items:
                        groups[str(code)] = str(group)
        return groups.get(str(value), "")

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value:
            option["attrs"]["data-pinyin"] = spellings(f"{self._group_of(value)}{label}")
        return option


def _core(name: str) -> str:
    name = name.removeprefix("北京市")
    for suffix in PRINCIPAL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def find_unit(text: str) -> tuple[Unit | None, list[str]]:
    """The active unit `text` names: its code, its full name, any part of its name, or its
    pinyin initials. (unit, []) when one fits; (None, candidates) otherwise (none or several)."""
    active = Unit.objects.filter(active=True)
    exact = active.filter(code=text).first() or active.filter(name=text).first()
    if exact:
        return exact, []
    if INITIALS.fullmatch(text):
        q = text.lower()
        names = [n for n in active.values_list("name", flat=True) if initials(n).startswith(q)]
        found = list(active.filter(name__in=names[:200]))
        principal = [u for u in found if initials(_core(u.name)) == q]
    else:
        found = list(active.filter(name__contains=text).order_by("name")[:200])
        principal = [u for u in found if _core(u.name) in (text, text.removesuffix("街道"))]
    if len(found) == 1:
        return found[0], []
    if len(principal) == 1:
        return principal[0], []
    ranked = sorted(found, key=lambda u: (len(u.name), u.name))
    return None, [u.name for u in ranked]


def resolve_units(text: str, field: str) -> list[Unit]:
    """Units named by code, name, any part of the name or pinyin initials, separated by commas
    or 、. Unknown and ambiguous names are refused, the ambiguous ones with their candidates."""
    names = [n.strip() for n in text.replace("，", ",").replace("、", ",").split(",") if n.strip()]
    units, problems = [], []
    for name in names:
        unit, candidates = find_unit(name)
        if unit:
            units.append(unit)
        elif not candidates:
            problems.append(_("找不到单位：%(name)s") % {"name": name})
        else:
            listed = "、".join(candidates[:MAX_LISTED]) + ("等" if len(candidates) > MAX_LISTED else "")
            problems.append(
                _("“%(name)s”对应%(n)s个单位：%(list)s，请写出更完整的名称")
                % {"name": name, "n": len(candidates), "list": listed}
            )
    if problems:
        raise forms.ValidationError("；".join(problems), code=field)
    return units


class DispatchForm(forms.Form):
    matter_code = forms.ChoiceField(label=_("事项"), widget=MatterSelect)
    lead = forms.CharField(
        label=_("主办单位"), widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"})
    )
    assist = forms.CharField(
        label=_("协办单位（可多个，用逗号分隔）"),
        required=False,
        widget=forms.TextInput(attrs={"list": "unit-options", "autocomplete": "off"}),
    )
    note = forms.CharField(label=_("派单说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, matters=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by field and sorted by name: the code means nothing to the dispatcher.
        self.fields["matter_code"].choices = worklists.matter_choices(matters)

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
    grounds = forms.ChoiceField(
        label=_("异议类型"), choices=[(Objection.DUTY, _("非本单位职责")), (Objection.TERRITORY, _("非本单位属地"))]
    )
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 3}))
    suggested_unit = forms.CharField(label=_("建议承办单位"), required=False)


class RejectObjectionForm(forms.Form):
    note = forms.CharField(label=_("不予支持的理由"), widget=forms.Textarea(attrs={"rows": 2}))
