"""Notifications: an in-app inbox per unit and user, plus e-mail and SMS deliveries.

A Notification is the record of what was said to whom; each Delivery is one attempt to carry
it over an outside channel, done by a Celery task after the transaction commits. Requester
notifications (R15.1: "the requester is told") keep no phone number: the SMS task reads it
from the order's encrypted field when it sends. Titles and bodies are stored redacted, and a
bearer link is made at sending from `params`, never stored (services.register_link).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Unit
from jiesu.orders.models import WorkOrder


class Notification(models.Model):
    UNIT, USER, REQUESTER = "unit", "user", "requester"
    AUDIENCES = [(UNIT, _("单位")), (USER, _("个人")), (REQUESTER, _("诉求人"))]

    audience = models.CharField(_("对象"), max_length=20, choices=AUDIENCES)
    recipient_unit = models.ForeignKey(
        Unit, verbose_name=_("接收单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)  # redacted: see services._stored
    # What a link made at sending needs (a visit's id, the public base URL); never a secret.
    params = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient_unit", "read_at"]),
            models.Index(fields=["recipient_user", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    EMAIL, SMS = "email", "sms"
    CHANNELS = [(EMAIL, _("电子邮件")), (SMS, _("短信"))]
    PENDING, SENT, FAILED = "pending", "sent", "failed"
    STATUSES = [(PENDING, _("待发送")), (SENT, _("已发送")), (FAILED, _("发送失败"))]

    notification = models.ForeignKey(Notification, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=10, choices=CHANNELS)
    status = models.CharField(_("状态"), max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    gateway_id = models.CharField(_("网关回执"), max_length=100, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("通知发送")
        verbose_name_plural = _("通知发送")
