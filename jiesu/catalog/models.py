"""The rules the service bureau owns, as rows an administrator edits (R11.4, R13.1, R11.3).

The decision engine never reads these models: jiesu.catalog.rules turns them into the
engine's plain RuleSet. Catalog versions are kept forever, and every order records the
version that dispatched it, so a past dispatch can always be explained.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.engine import rules as engine_rules

LIMIT_UNITS = [
    (engine_rules.WORKING_DAYS, _("工作日")),
    (engine_rules.WORKING_HOURS, _("工作小时")),
    (engine_rules.NATURAL_HOURS, _("自然小时")),
]
LEVELS = [
    (engine_rules.LEVEL_SUBDISTRICT, _("街道（乡镇）")),
    (engine_rules.LEVEL_DISTRICT, _("区")),
    (engine_rules.LEVEL_CITY, _("市")),
]


class TimeLimitRule(models.Model):
    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    response_amount = models.PositiveIntegerField(_("响应时限"))
    response_unit = models.CharField(_("响应时限单位"), max_length=20, choices=LIMIT_UNITS)
    completion_amount = models.PositiveIntegerField(_("办结时限"))
    completion_unit = models.CharField(_("办结时限单位"), max_length=20, choices=LIMIT_UNITS)
    by_kind = models.JSONField(
        _("按诉求类型"),
        default=dict,
        blank=True,
        help_text=_(
            '例如 {"consultation": {"response": {"amount": 2, "unit": "working_hours"}, '
            '"completion": {"amount": 1, "unit": "working_days"}}}'
        ),
    )

    class Meta:
        verbose_name = _("办理时限规则")
        verbose_name_plural = _("办理时限规则")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def to_engine(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "response": {"amount": self.response_amount, "unit": self.response_unit},
            "completion": {"amount": self.completion_amount, "unit": self.completion_unit},
            "by_kind": self.by_kind or {},
        }

    def clean(self):
        try:
            engine_rules.TimeLimitRule.from_dict(self.to_engine())
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError({"by_kind": str(exc)}) from exc


class Matter(models.Model):
    """A leaf of the three-level matter taxonomy (e.g. 城乡建设 > 物业管理 > 物业服务)."""

    code = models.CharField(_("代码"), max_length=80, unique=True)
    level1 = models.CharField(_("一级分类"), max_length=50)
    level2 = models.CharField(_("二级分类"), max_length=50)
    name = models.CharField(_("事项"), max_length=80)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    time_limit = models.ForeignKey(
        TimeLimitRule, verbose_name=_("时限规则"), on_delete=models.PROTECT, related_name="matters"
    )
    community_may_assist = models.BooleanField(_("社区可协办"), default=False)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("诉求事项")
        verbose_name_plural = _("诉求事项")
        ordering = ["code"]

    def __str__(self):
        return f"{self.level1} > {self.level2} > {self.name}"

    def to_engine(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "path": [self.level1, self.level2],
            "keywords": list(self.keywords),
            "time_limit": self.time_limit.code,
            "community_may_assist": self.community_may_assist,
        }


class CatalogVersion(models.Model):
    DRAFT, PUBLISHED = "draft", "published"
    version = models.CharField(_("版本"), max_length=40, unique=True)
    effective_from = models.DateField(_("生效日期"))
    status = models.CharField(
        _("状态"), max_length=20, default=DRAFT, choices=[(DRAFT, _("草稿")), (PUBLISHED, _("已发布"))]
    )
    note = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    # Empty for the versions loaded with the shipped rules (`jiesu load-rules`): no person published them.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("派单目录版本")
        verbose_name_plural = _("派单目录版本")
        ordering = ["-effective_from", "-id"]

    def __str__(self):
        return f"{self.version}（{self.get_status_display()}，{self.effective_from}起）"

    def to_engine(self) -> dict:
        return {
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "note": self.note,
            "entries": [e.to_engine() for e in self.entries.all()],
        }


class CatalogEntry(models.Model):
    """Matter x territorial level -> lead unit (kind and sector, or one unit) and assisting units."""

    version = models.ForeignKey(CatalogVersion, on_delete=models.PROTECT, related_name="entries")
    matter_code = models.CharField(_("事项代码"), max_length=80)
    level = models.CharField(_("属地层级"), max_length=20, choices=LEVELS)
    lead = models.JSONField(
        _("主办单位"),
        help_text=_('例如 {"kind": "subdistrict_office"} 或 {"kind": "district_department", "sector": "housing"}'),
    )
    assist = models.JSONField(_("协办单位"), default=list, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("派单目录条目")
        verbose_name_plural = _("派单目录条目")
        constraints = [
            models.UniqueConstraint(fields=["version", "matter_code", "level"], name="one_entry_per_matter_level")
        ]

    def to_engine(self) -> dict:
        return {
            "matter": self.matter_code,
            "level": self.level,
            "lead": self.lead,
            "assist": self.assist,
            "note": self.note,
        }

    def clean(self):
        try:
            engine_rules.CatalogEntry.from_dict(self.to_engine())
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationError({"lead": str(exc)}) from exc
        if self.version_id and self.version.status == CatalogVersion.PUBLISHED:
            raise ValidationError(_("已发布的派单目录版本不能修改，请新建版本。"))


class LexiconSection(models.Model):
    """One section of the special-case lexicons (R11.3), edited as JSON."""

    key = models.CharField(_("词库"), max_length=40, unique=True)
    data = models.JSONField(_("内容"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    # The release's version this section was seeded or last upgraded from: the base of the
    # three-way merge that brings a new release's terms in without undoing the centre's edits
    # (jiesu.catalog.lexicon_merge). Null for sections seeded before it was kept.
    shipped = models.JSONField(_("随版本发布的内容"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("特殊情形词库")
        verbose_name_plural = _("特殊情形词库")
        ordering = ["key"]

    def __str__(self):
        return self.key


class HolidayOverride(models.Model):
    """A date the bureau declares a holiday or a working day, over the chinese-calendar package."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {'上班' if self.is_workday else '休息'}"


class Landmark(models.Model):
    """A name callers use for a place (国贸, 望京SOHO) that the division table does not hold."""

    name = models.CharField(_("地标名称"), max_length=100, unique=True)
    place = models.ForeignKey("directory.Place", verbose_name=_("所在地区"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("地标")
        verbose_name_plural = _("地标")
        ordering = ["name"]

    def __str__(self):
        return self.name


class RuleSetting(models.Model):
    """Scalar settings of the engine: confidence thresholds, working hours."""

    key = models.CharField(_("名称"), max_length=40, unique=True)
    value = models.JSONField(_("取值"))

    class Meta:
        verbose_name = _("引擎参数")
        verbose_name_plural = _("引擎参数")

    def __str__(self):
        return self.key


class RulesRevision(models.Model):
    """A counter bumped on every rule edit, so every worker rebuilds its engine once."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    revision = models.PositiveBigIntegerField(default=0)
