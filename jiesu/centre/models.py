"""The centre's own records: callers known by their number's blind index (R9.1, R35.1),
call durations, and the staff changes a unit administrator makes (R5.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.orders.models import WorkOrder

WARNING_KINDS = [
    ("persuasion", _("劝导")),
    ("criticism", _("批评")),
    ("education", _("教育")),
]

FLAGGED = "flagged"
WARNED = "warned"
REFERRED = "referred_to_police"
LIFTED = "flag_lifted"
CALLER_ACTIONS = [
    (FLAGGED, _("标记为恶意或骚扰来电")),
    (WARNED, _("警示")),
    (REFERRED, _("移送公安机关")),
    (LIFTED, _("解除标记")),
]


class Caller(models.Model):
    """One phone number, known only by its blind index: the number itself is never stored here,
    so this table cannot be read back into a list of numbers."""

    phone_index = models.CharField(max_length=64, unique=True, editable=False)
    # The current state; how it came to be is in CallerEvent.
    flagged = models.BooleanField(_("已标记"), default=False, db_index=True)
    flagged_at = models.DateTimeField(_("标记时间"), null=True, blank=True)
    referred = models.BooleanField(_("已移送公安"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("来电人档案")
        verbose_name_plural = _("来电人档案")
        ordering = ["-flagged_at", "-id"]

    def __str__(self) -> str:
        return f"来电人档案 {self.pk}"


class CallerEvent(models.Model):
    """One immutable line of a caller's record. Append-only, enforced by triggers."""

    caller = models.ForeignKey(Caller, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=30, choices=CALLER_ACTIONS)
    warning_kind = models.CharField(_("警示方式"), max_length=20, choices=WARNING_KINDS, blank=True)
    note = models.TextField(_("说明"), blank=True)
    orders = models.ManyToManyField(WorkOrder, verbose_name=_("相关工单"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("来电人档案记录")
        verbose_name_plural = _("来电人档案记录")
        ordering = ["-at", "-id"]


class CallRecord(models.Model):
    """The call behind an order, where the telephony or an API client tells us its length."""

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="call_record")
    duration_seconds = models.PositiveIntegerField(_("通话时长（秒）"))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("通话记录")
        verbose_name_plural = _("通话记录")


STAFF_ACTIONS = [
    ("created", _("新建账号")),
    ("deactivated", _("停用账号")),
    ("reactivated", _("恢复账号")),
    ("password_reset", _("重置密码")),
]


class StaffEvent(models.Model):
    """A unit administrator's change to an account of its unit. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("动作"), max_length=20, choices=STAFF_ACTIONS)

    class Meta:
        verbose_name = _("账号变更记录")
        verbose_name_plural = _("账号变更记录")
        ordering = ["-at", "-id"]
