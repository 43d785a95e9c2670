"""The article form of the console: the service validates again (ValidationError per field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CATEGORIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=CATEGORIES)
    body = forms.CharField(label=_("答复口径"), widget=forms.Textarea(attrs={"rows": 8}))
    keywords = forms.CharField(label=_("关键词（用逗号或顿号分隔）"), required=False, max_length=500)
    intake_keywords = forms.CharField(
        label=_("受理即答关键词（用逗号或顿号分隔）"),
        required=False,
        max_length=500,
        help_text=_(
            "来电中出现这些词时，系统按本条目当场答复咨询；请写提问的说法（如“什么时候供暖”，"
            "或用“…”连接同一句中先后出现的两个词，如“几号…供暖”），"
            "不要写投诉也会用到的话题词（如“暖气”）。留空则本条目只供查询，不用于当场答复。"
        ),
    )
    legal_basis = forms.CharField(label=_("法律政策依据（名称及条款）"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("来源（发布机关或文件）"), max_length=300)
    effective_date = forms.DateField(label=_("生效日期"), widget=DATE)
    review_date = forms.DateField(label=_("复核日期"), widget=DATE)
    active = forms.BooleanField(label=_("对外公开"), required=False, initial=True)
    note = forms.CharField(label=_("修改说明"), required=False, max_length=300)

    def clean(self):
        """The service's own checks, so every bad field is named at once (not only the form's)."""
        from django.core.exceptions import ValidationError

        from .services import check_fields

        data = super().clean()
        try:
            check_fields(data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field in self.fields and field not in self.errors:
                    for error in errors:
                        self.add_error(field, error)
        return data

    @classmethod
    def initial_for(cls, article) -> dict:
        return {
            "title": article.title,
            "category": article.category,
            "body": article.body,
            "keywords": "、".join(article.keywords),
            "intake_keywords": "、".join(article.intake_keywords),
            "legal_basis": article.legal_basis,
            "source": article.source,
            "effective_date": article.effective_date,
            "review_date": article.review_date,
            "active": article.active,
        }


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结果"), coerce=lambda v: v == "yes", choices=[("yes", _("通过，立即生效")), ("no", _("退回"))]
    )
    note = forms.CharField(label=_("审核意见"), required=False, max_length=300)
