"""The public face (R8.1, R8.2, R30.1, R32.1): what a citizen's verification, a portal request
and a published case leave behind. Phones are kept only as the blind index (jiesu.core.crypto),
codes only as keyed hashes: a copy of the database gives neither back."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.orders.models import WorkOrder


class PhoneChallenge(models.Model):
    """One SMS code sent to prove the citizen holds a phone: before submitting a request, or
    to look up an order (then bound to that order). Rows are also the throttle's memory:
    counting them works across every worker without a shared cache."""

    SUBMIT, STATUS = "submit", "status"
    PURPOSES = [(SUBMIT, _("提交诉求")), (STATUS, _("查询进度"))]

    purpose = models.CharField(_("用途"), max_length=10, choices=PURPOSES)
    phone_index = models.CharField(max_length=64, db_index=True)
    order = models.ForeignKey(WorkOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64)
    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone_index", "purpose", "-created_at"])]


class PortalRequest(models.Model):
    """How a request came through the portal: with a verified phone, or anonymous with a
    query code shown once on screen (only its hash is kept)."""

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="portal_request")
    anonymous = models.BooleanField(_("匿名"), default=False)
    query_code_hash = models.CharField(max_length=64, blank=True)
    # The keyed address: anonymous requests are limited per address (no phone to count by).
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("网上门户诉求")
        verbose_name_plural = _("网上门户诉求")


class PublishedCase(models.Model):
    """An order the centre chose to disclose (R30.1). Publishing and withdrawing are events on
    the order; a withdrawn case keeps its row with `withdrawn_at` set."""

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="published_case")
    published_at = models.DateTimeField(_("公开时间"), db_index=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("公开案例")
        verbose_name_plural = _("公开案例")
        ordering = ["-published_at", "-id"]


class MonthTopics(models.Model):
    """The month's topics as the monthly report shows them (R24.1, R32.1): computed once from
    the month's orders by the insight stage's grouping and kept, so that the public report (a
    page anyone may reload) never groups a month of orders per request. Only what the report
    publishes is kept: an anonymised label, a size, places down to the community, the matter."""

    month = models.DateField(_("月份"), unique=True)
    computed_at = models.DateTimeField(_("计算时间"))
    analysed = models.PositiveIntegerField(_("参与分析的工单数"), default=0)
    topics = models.JSONField(_("热点"), default=list)

    class Meta:
        verbose_name = _("月度热点")
        verbose_name_plural = _("月度热点")
