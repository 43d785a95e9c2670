"""Assessment rules as data (R31.2), exclusions and credits, appeals (R34.1), stored results (R31.1).

A RuleSet is one version of the rules, effective from a month; the month's computation uses the
latest version effective on or before it and stores a snapshot of it with the results, so a
result can always be explained and recomputed. Versions used by a stored run are read-only in
the admin: a change is a new version.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Unit
from jiesu.orders import choices as order_choices
from jiesu.orders.models import WorkOrder

from . import core

SHARE = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))]


def _dec(default: str, label, help_text="", validators=SHARE, max_digits=6, places=3):
    return models.DecimalField(
        label,
        max_digits=max_digits,
        decimal_places=places,
        default=Decimal(default),
        validators=validators,
        help_text=help_text,
    )


def _points(default: str, label, help_text=""):
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=help_text,
    )


class RuleSet(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    effective_from = models.DateField(
        _("生效月份"), unique=True, help_text=_("填该月1日；自该月起适用，直至下一版本生效。")
    )
    note = models.TextField(_("说明"), blank=True)
    # The three rates (R31.1)
    response_weight = _dec("0.100", _("响应率权重"))
    resolution_weight = _dec("0.450", _("解决率权重"))
    satisfaction_weight = _dec("0.450", _("满意率权重"))
    # The satisfaction formula: satisfied + 0.9 x basically satisfied over valid visits.
    satisfied_value = _dec("1.000", _("“满意”计分"))
    basic_value = _dec("0.900", _("“基本满意”计分"))
    unsatisfied_value = _dec("0.000", _("“不满意”计分"))
    resolved_value = _dec("1.000", _("“已解决”计分"))
    partly_value = _dec("0.000", _("“部分解决”计分"))
    # Lead and assisting units assessed differently; whistle double assessment (R31.2).
    lead_weight = _dec("1.000", _("主办单位权重"), max_digits=5)
    assist_weight = _dec("0.500", _("协办单位权重"), max_digits=5)
    report_in_weight = _dec(
        "1.000", _("吹哨报到部门权重"), max_digits=5, help_text=_("被吹哨召集的部门也按该工单考核（双考核）。")
    )
    report_in_office_share = _dec("0.500", _("街乡评价占报到部门满意度的比重"))
    # Supervision flags (R33.1), points off per flagged order.
    penalty_overdue = _points("0.50", _("无正当理由超期（每件扣分）"))
    penalty_false_resolved = _points("2.00", _("虚假办结（每件扣分）"))
    penalty_attitude = _points("1.00", _("服务态度投诉（每件扣分）"))
    penalty_cap = _points("20.00", _("扣分上限"))
    credit_cap = _points("5.00", _("加分上限"), _("主动治理、疑难案件加分的月度上限。"))
    # The four classes used in practice.
    advanced_min = _points("95.00", _("先进类：得分不低于"))
    rectify_below = _points("85.00", _("整改类：得分低于"))
    govern_below = _points("75.00", _("治理类：得分低于"))
    improved_rise = _points("3.00", _("进步类：较上月提高不少于"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核规则版本")
        verbose_name_plural = _("考核规则版本")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m}起）"

    @property
    def version(self) -> str:
        return f"{self.effective_from:%Y-%m}#{self.pk}"

    def to_rules(self) -> core.Rules:
        def milli(value) -> int:
            return int((Decimal(value) * 1000).to_integral_value())

        def centi(value) -> int:
            return int((Decimal(value) * 100).to_integral_value())

        return core.Rules(
            version=self.version,
            response_weight=milli(self.response_weight),
            resolution_weight=milli(self.resolution_weight),
            satisfaction_weight=milli(self.satisfaction_weight),
            satisfied_value=milli(self.satisfied_value),
            basic_value=milli(self.basic_value),
            unsatisfied_value=milli(self.unsatisfied_value),
            resolved_value=milli(self.resolved_value),
            partly_value=milli(self.partly_value),
            unresolved_value=0,
            role_weights={
                "lead": milli(self.lead_weight),
                "coordinate": milli(self.lead_weight),
                "assist": milli(self.assist_weight),
                "report_in": milli(self.report_in_weight),
                "instruct": 0,
            },
            report_in_office_share=milli(self.report_in_office_share),
            scopes=tuple(
                core.ScopeRule(scope=s.scope, kind=s.kind, matter_prefix=s.matter_prefix, role=s.role)
                for s in self.scope_rules.order_by("position", "id")
            ),
            penalty_overdue=centi(self.penalty_overdue),
            penalty_false_resolved=centi(self.penalty_false_resolved),
            penalty_attitude=centi(self.penalty_attitude),
            penalty_cap=centi(self.penalty_cap),
            credit_cap=centi(self.credit_cap),
            advanced_min=centi(self.advanced_min),
            rectify_below=centi(self.rectify_below),
            govern_below=centi(self.govern_below),
            improved_rise=centi(self.improved_rise),
        )


class ScopeRule(models.Model):
    """Which rates count for which orders: e.g. consultations count for the response rate only."""

    SCOPES = [(core.FULL, _("三率")), (core.RESPONSE_ONLY, _("只评价响应率")), (core.NOT_ASSESSED, _("不考核"))]
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="scope_rules")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    kind = models.CharField(_("诉求类型"), max_length=20, choices=order_choices.KINDS, blank=True)
    matter_prefix = models.CharField(_("事项编码前缀"), max_length=80, blank=True)
    role = models.CharField(_("承办角色"), max_length=20, choices=order_choices.UNIT_ROLES, blank=True)
    scope = models.CharField(_("考核范围"), max_length=20, choices=SCOPES)

    class Meta:
        verbose_name = _("考核范围规则")
        verbose_name_plural = _("考核范围规则")
        ordering = ["position", "id"]


class Certification(models.Model):
    """The centre certifies a request unreasonable (不合理诉求): the order leaves every unit's rates."""

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="unreasonable_certification")
    reason = models.TextField(_("认定理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("不合理诉求认定")
        verbose_name_plural = _("不合理诉求认定")


class Credit(models.Model):
    """Points added for proactive governance (主动治理) or a hard case (疑难案件) in a month (R31.2)."""

    PROACTIVE, HARD_CASE = "proactive", "hard_case"
    KINDS = [(PROACTIVE, _("主动治理")), (HARD_CASE, _("疑难案件"))]
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("考核月份"), db_index=True)
    kind = models.CharField(_("类型"), max_length=20, choices=KINDS)
    points = models.DecimalField(
        _("加分"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
    )
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("相关工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("事由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("考核加分")
        verbose_name_plural = _("考核加分")


class Appeal(models.Model):
    """A unit contests a deduction on one order (R34.1, fault tolerance); the centre decides."""

    PENDING, UPHELD, REJECTED = "pending", "upheld", "rejected"
    STATUSES = [(PENDING, _("待审核")), (UPHELD, _("申诉成立")), (REJECTED, _("申诉不成立"))]
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="assessment_appeals")
    unit = models.ForeignKey(Unit, verbose_name=_("申诉单位"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("考核月份"), db_index=True)
    reason = models.TextField(_("申诉理由"))
    evidence = models.FileField(_("证明材料"), upload_to="appeals/%Y/%m/", blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    status = models.CharField(_("状态"), max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("考核申诉")
        verbose_name_plural = _("考核申诉")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "unit", "month"], name="one_appeal_per_order_unit_month")
        ]


class AssessmentRun(models.Model):
    """One computation of one month: the rules snapshot, the digest, and when it was run."""

    month = models.DateField(_("考核月份"), db_index=True)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="runs")
    rules_version = models.CharField(_("规则版本"), max_length=40)
    rules_snapshot = models.JSONField(_("规则快照"))
    digest = models.CharField(_("结果摘要"), max_length=64)
    lines = models.PositiveIntegerField(_("考核条目数"), default=0)
    units = models.PositiveIntegerField(_("单位数"), default=0)
    seconds = models.FloatField(_("耗时（秒）"), default=0)
    computed_at = models.DateTimeField(_("计算时间"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The latest run of a month is its current result; earlier ones stay as history.
    current = models.BooleanField(_("当前结果"), default=True, db_index=True)

    class Meta:
        verbose_name = _("月度考核")
        verbose_name_plural = _("月度考核")
        ordering = ["-month", "-computed_at"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({self.rules_version})"


GROUPS = [
    ("district", _("区")),
    ("township", _("街道（乡镇）")),
    ("department", _("部门")),
    ("enterprise", _("公共服务企业")),
    ("other", _("其他")),
]
CLASSES = [
    (core.ADVANCED, _("先进")),
    (core.IMPROVED, _("进步")),
    (core.RECTIFY, _("整改")),
    (core.GOVERN, _("治理")),
    ("", _("一般")),
]


class UnitScore(models.Model):
    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("类别"), max_length=20, choices=GROUPS, db_index=True)
    lines = models.PositiveIntegerField(_("有效回访工单"), default=0)
    excluded = models.PositiveIntegerField(_("剔除工单"), default=0)
    response_rate = models.DecimalField(_("响应率"), max_digits=5, decimal_places=4, null=True)
    resolution_rate = models.DecimalField(_("解决率"), max_digits=5, decimal_places=4, null=True)
    satisfaction_rate = models.DecimalField(_("满意率"), max_digits=5, decimal_places=4, null=True)
    base = models.DecimalField(_("三率得分"), max_digits=6, decimal_places=2, null=True)
    credits = models.DecimalField(_("加分"), max_digits=6, decimal_places=2, default=0)
    penalties = models.DecimalField(_("扣分"), max_digits=6, decimal_places=2, default=0)
    score = models.DecimalField(_("综合得分"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("排名"), null=True)
    klass = models.CharField(_("分类"), max_length=10, choices=CLASSES, blank=True)
    previous_score = models.DecimalField(_("上月得分"), max_digits=6, decimal_places=2, null=True)
    delta = models.DecimalField(_("环比"), max_digits=6, decimal_places=2, null=True)
    previous_rank = models.PositiveIntegerField(_("上月排名"), null=True)
    flags = models.JSONField(_("督办问题"), default=dict)
    best = models.BooleanField(_("本月最佳"), default=False)
    most_improved = models.BooleanField(_("进步最大"), default=False)

    class Meta:
        verbose_name = _("单位得分")
        verbose_name_plural = _("单位得分")
        ordering = ["group", "rank", "unit_id"]
        indexes = [models.Index(fields=["run", "group", "rank"]), models.Index(fields=["unit", "run"])]


class Deduction(models.Model):
    """An order that cost a unit points in a run (codes: bits of core.CODE_LABELS)."""

    run = models.ForeignKey(AssessmentRun, on_delete=models.CASCADE, related_name="deductions")
    unit = models.ForeignKey(Unit, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+")
    order = models.ForeignKey(
        WorkOrder, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    codes = models.PositiveSmallIntegerField()
    loss = models.IntegerField(_("影响得分（0.01分）"))

    class Meta:
        verbose_name = _("扣分工单")
        verbose_name_plural = _("扣分工单")
        indexes = [models.Index(fields=["run", "unit", "-loss"])]

    @property
    def reasons(self) -> list[str]:
        return [label for bit, label in core.CODE_LABELS.items() if self.codes & bit]

    @property
    def points(self) -> Decimal:
        return Decimal(self.loss) / 100


def month_start(value: date) -> date:
    return value.replace(day=1)


class StaffRecognition(models.Model):
    """A person recognised for a month (R7.1): a call-taker, dispatcher or a unit's handler,
    beside the best and most improved units. Withdrawn only by a new record, never deleted."""

    month = models.DateField(_("考核月份"), db_index=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("表扬对象"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("表扬事由"))
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("相关工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("个人表扬")
        verbose_name_plural = _("个人表扬")
        ordering = ["-month", "id"]
        constraints = [models.UniqueConstraint(fields=["month", "person"], name="one_recognition_per_person_month")]
