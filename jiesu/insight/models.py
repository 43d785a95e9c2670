"""Alerts raised from the order stream (R27.1) and their history. Topics are computed on
request from the orders and their events (no copies of order data are kept here)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Place, Unit
from jiesu.orders.models import WorkOrder


class Alert(models.Model):
    SURGE, RISK = "surge", "risk"
    KINDS = [(SURGE, _("诉求激增")), (RISK, _("稳定风险"))]
    LOW, MEDIUM, HIGH = "low", "medium", "high"
    SEVERITIES = [(LOW, _("一般")), (MEDIUM, _("较重")), (HIGH, _("严重"))]
    OPEN, ACKNOWLEDGED, CLOSED = "open", "acknowledged", "closed"
    STATUSES = [(OPEN, _("待确认")), (ACKNOWLEDGED, _("已确认")), (CLOSED, _("已关闭"))]

    kind = models.CharField(_("类别"), max_length=10, choices=KINDS, db_index=True)
    # Risk alerts: which sign (wage arrears of many, a planned gathering, a threat of extreme acts).
    category = models.CharField(_("风险类型"), max_length=30, blank=True)
    matter_code = models.CharField(_("事项"), max_length=80, blank=True)
    place = models.ForeignKey(
        Place, verbose_name=_("地点"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # One alert per kind, matter, place and window: the check runs every minute and must not repeat itself.
    key = models.CharField(max_length=200, unique=True, editable=False)
    window_start = models.DateTimeField(_("统计起点"))
    window_end = models.DateTimeField(_("统计终点"))
    count = models.PositiveIntegerField(_("工单数"))
    baseline = models.FloatField(_("常态水平"), default=0.0)
    severity = models.CharField(_("严重程度"), max_length=10, choices=SEVERITIES)
    status = models.CharField(_("状态"), max_length=15, choices=STATUSES, default=OPEN, db_index=True)
    orders = models.ManyToManyField(WorkOrder, verbose_name=_("工单"), related_name="+")
    units = models.ManyToManyField(Unit, verbose_name=_("主管单位"), related_name="alerts")
    cues = models.JSONField(_("依据"), default=list, blank=True)  # the phrases a risk alert rests on
    raised_at = models.DateTimeField(_("发现时间"), db_index=True)
    note = models.TextField(_("处置说明"), blank=True)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key}"


class AlertEvent(models.Model):
    """One line of an alert's history: raised, grown, acknowledged, closed. Never changed."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("动作"), max_length=30)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]


# ---------------------------------------------------------------------------------------------
# Seasonal foresight (R25.1). Derived tables, rebuilt as a whole by `jiesu forecast` (daily under
# run-schedule and celery beat): counts and forecasts only, never an order's text or requester.
# Kept because regrouping years of orders and fitting a seasonal model per series takes minutes
# at a city's volume, too long for a page; rebuilt from the orders each time, so they cannot
# drift from them.


class WeeklyCount(models.Model):
    """Orders received in one week (Monday, Beijing time) on one matter in one district."""

    week = models.DateField(_("周"))
    matter_code = models.CharField(_("事项"), max_length=80, blank=True)
    district = models.ForeignKey(
        Place, verbose_name=_("区"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(_("工单数"))

    class Meta:
        verbose_name = _("周受理量")
        verbose_name_plural = _("周受理量")
        indexes = [models.Index(fields=["matter_code", "week"]), models.Index(fields=["district", "week"])]


class SeriesForecast(models.Model):
    """The forecast of one series (a matter city-wide when `district` is empty, or in a district),
    which model it got and how that model did on the series' own past."""

    computed_at = models.DateTimeField(_("计算时间"))
    matter_code = models.CharField(_("事项"), max_length=80, blank=True)
    district = models.ForeignKey(
        Place, verbose_name=_("区"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    model = models.CharField(_("模型"), max_length=30)
    history_weeks = models.PositiveIntegerField(_("历史周数"))
    recent_mean = models.FloatField(_("近一年周均"))
    # [[week ISO date, mean, lower, upper], ...], the weeks from the current one on.
    points = models.JSONField(default=list)
    # Rolling-origin backtest on the series' last year (mean absolute error per week); empty
    # when the series is too short to have one.
    mae = models.FloatField(_("模型误差"), null=True, blank=True)
    naive_mae = models.FloatField(_("去年同周误差"), null=True, blank=True)
    mean4_mae = models.FloatField(_("近4周均值误差"), null=True, blank=True)

    class Meta:
        verbose_name = _("受理量预测")
        verbose_name_plural = _("受理量预测")
        indexes = [models.Index(fields=["matter_code", "district"])]


class UnitExpectation(models.Model):
    """What a unit may expect next month on one matter of its orders."""

    computed_at = models.DateTimeField(_("计算时间"))
    unit = models.ForeignKey(Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    matter_code = models.CharField(_("事项"), max_length=80, blank=True)
    month = models.DateField(_("月份"))  # the first day of the month expected
    expected = models.FloatField(_("预计工单数"))
    lower = models.FloatField(_("预计下限"))
    upper = models.FloatField(_("预计上限"))
    this_month = models.FloatField(_("本月预计"))  # received so far plus the rest of the month expected
    this_month_so_far = models.PositiveIntegerField(_("本月已受理"))
    last_year = models.PositiveIntegerField(_("去年同月"))
    season = models.CharField(_("季节高峰"), max_length=40, blank=True)  # the season's label, when one comes

    class Meta:
        verbose_name = _("下月预期")
        verbose_name_plural = _("下月预期")
        ordering = ["unit_id", "-expected"]
        indexes = [models.Index(fields=["unit", "-expected"])]


# 每月一题 (R24.1) -----------------------------------------------------------------------------


class MonthlyTopic(models.Model):
    """One month's chosen recurring problem and its treatment: the study, the plan, the lead unit,
    the tasks of city, district and township units. The orders on it are never copied: the
    matching rule (matters, places, words) finds them whenever the effect is measured."""

    CHOSEN, STUDYING, IMPLEMENTING, CLOSED = "chosen", "studying", "implementing", "closed"
    STATES = [(CHOSEN, _("已选题")), (STUDYING, _("调研中")), (IMPLEMENTING, _("推进中")), (CLOSED, _("已办结"))]
    FROM_CANDIDATE, FROM_CENTRE = "candidate", "centre"
    SOURCES = [(FROM_CANDIDATE, _("数据排名候选")), (FROM_CENTRE, _("中心拟定"))]

    month = models.DateField(_("月份"), db_index=True)  # the first day of the month
    title = models.CharField(_("题目"), max_length=100)
    source = models.CharField(_("来源"), max_length=10, choices=SOURCES, default=FROM_CENTRE)
    # The matching rule: orders of these matters, in these places (none: the whole city), whose
    # content has one of the words (none: any content).
    matter_codes = models.JSONField(_("事项"), default=list, blank=True)
    places = models.ManyToManyField(Place, verbose_name=_("地点"), blank=True, related_name="+")
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    # The candidate's figures when it was chosen: why it was chosen, as the centre saw it then.
    candidate_figures = models.JSONField(_("选题依据"), default=dict, blank=True)
    study = models.TextField(_("调研情况"), blank=True)
    plan = models.TextField(_("工作方案"), blank=True)
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_monthly_topics",
    )
    state = models.CharField(_("状态"), max_length=15, choices=STATES, default=CHOSEN, db_index=True)
    started_at = models.DateTimeField(_("方案启动时间"), null=True, blank=True)  # the effect's dividing line
    closing_note = models.TextField(_("办结说明"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("每月一题")
        verbose_name_plural = _("每月一题")
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.title}"


class TopicTask(models.Model):
    """A unit's part in a monthly topic, with its own deadline. Reports accumulate; never edited."""

    CITY, DISTRICT, TOWNSHIP = "city", "district", "township"
    LEVELS = [(CITY, _("市级")), (DISTRICT, _("区级")), (TOWNSHIP, _("街乡镇"))]
    OPEN, WORKING, DONE = "open", "working", "done"
    STATES = [(OPEN, _("待推进")), (WORKING, _("推进中")), (DONE, _("已完成"))]

    topic = models.ForeignKey(MonthlyTopic, on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="topic_tasks")
    level = models.CharField(_("层级"), max_length=10, choices=LEVELS)
    description = models.TextField(_("任务内容"))
    deadline = models.DateField(_("完成期限"))
    state = models.CharField(_("状态"), max_length=10, choices=STATES, default=OPEN, db_index=True)
    progress = models.PositiveSmallIntegerField(_("完成进度"), default=0)  # percent, from the latest report
    assigned_at = models.DateTimeField(_("下达时间"))

    class Meta:
        verbose_name = _("每月一题任务")
        verbose_name_plural = _("每月一题任务")
        ordering = ["deadline", "id"]


class TaskReport(models.Model):
    """A unit's progress report on its task. A correction is a new report naming the one it corrects."""

    task = models.ForeignKey(TopicTask, on_delete=models.PROTECT, related_name="reports")
    at = models.DateTimeField(_("报送时间"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("进展情况"))
    progress = models.PositiveSmallIntegerField(_("完成进度"))
    done = models.BooleanField(_("任务完成"), default=False)
    corrects = models.ForeignKey(
        "self", verbose_name=_("更正"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["at", "id"]


class MonthlyTopicEvent(models.Model):
    """One line of a monthly topic's history, written by the service that made the change."""

    ACTIONS = {
        "chosen": _("选定题目"),
        "study_recorded": _("报送调研情况"),
        "plan_adopted": _("启动工作方案"),
        "plan_revised": _("修订工作方案"),
        "task_assigned": _("下达任务"),
        "progress_reported": _("报送进展"),
        "progress_corrected": _("更正进展"),
        "closed": _("办结"),
    }

    topic = models.ForeignKey(MonthlyTopic, on_delete=models.PROTECT, related_name="events")
    task = models.ForeignKey(TopicTask, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("动作"), max_length=30)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    @property
    def action_label(self) -> str:
        return str(self.ACTIONS.get(self.action, _("其他")))


# Topics of the stored orders (R18.1, R24.1) --------------------------------------------------


class OrderTopic(models.Model):
    """Which topic an order was grouped into, decided once when the order was new
    (`stored_topics.group_new_orders`, every few minutes): a number, never the order's text.
    A topic is named by the id of its first order; a later order that links two topics renames
    the younger one's members."""

    order = models.OneToOneField(WorkOrder, primary_key=True, on_delete=models.CASCADE, related_name="+")
    topic = models.BigIntegerField(_("话题"), db_index=True)
    grouped_at = models.DateTimeField(_("归并时间"))

    class Meta:
        verbose_name = _("工单话题")
        verbose_name_plural = _("工单话题")
