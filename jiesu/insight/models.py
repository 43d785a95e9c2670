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
    place = models.ForeignKey(Place, verbose_name=_("地点"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
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
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=30)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
