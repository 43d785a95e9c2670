"""Return visits (R23.1) and the requester's own rating through a signed link (R8.2).

A ReturnVisit is one round of asking the requester about one order: the order enters the
queue when its unit replied or its limit was reached; the visit ends valid (the requester
answered) or invalid (no answer after N tries, wrong number, refused). Only valid visits feed
the three rates (practice notes: 三率 over 有效回访). A reopened order gets a new round.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Unit
from jiesu.orders.models import WorkOrder

PENDING, DONE, INVALID = "pending", "done", "invalid"
STATES = [(PENDING, _("待回访")), (DONE, _("已回访")), (INVALID, _("无效回访"))]

REPLIED, LIMIT_REACHED = "replied", "limit_reached"
REASONS = [(REPLIED, _("承办单位已答复")), (LIMIT_REACHED, _("时限已到，单位未答复"))]

# After the visit. with_unit: a visit at the limit of an order its unit never answered; the
# order stays with the unit, whose reply brings the next round.
CLOSED, REOPENED, WITH_UNIT = "closed", "reopened", "with_unit"
OUTCOMES = [(CLOSED, _("办结")), (REOPENED, _("重新办理")), (WITH_UNIT, _("仍由单位办理"))]

PHONE, SMS, WEB = "phone", "sms", "web"
METHODS = [(PHONE, _("电话回访")), (SMS, _("短信评价")), (WEB, _("网上评价"))]

RESOLVED, PARTLY, UNRESOLVED = "resolved", "partly", "unresolved"
RESOLUTIONS = [(RESOLVED, _("已解决")), (PARTLY, _("部分解决")), (UNRESOLVED, _("未解决"))]

SATISFIED, BASIC, UNSATISFIED = "satisfied", "basic", "unsatisfied"
SATISFACTIONS = [(SATISFIED, _("满意")), (BASIC, _("基本满意")), (UNSATISFIED, _("不满意"))]

NO_ANSWER, WRONG_NUMBER, REFUSED, NO_CONTACT = "no_answer", "wrong_number", "refused", "no_contact"
INVALID_REASONS = [
    (NO_ANSWER, _("多次无人接听")),
    (WRONG_NUMBER, _("号码错误")),
    (REFUSED, _("拒绝回访")),
    (NO_CONTACT, _("无联系方式")),
]
ATTEMPT_OUTCOMES = [
    (NO_ANSWER, _("无人接听")),
    ("busy", _("占线或关机")),
    (WRONG_NUMBER, _("号码错误")),
    (REFUSED, _("拒绝回访")),
]


class ReturnVisit(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="return_visits")
    # The unit the visit judges: the lead at the moment the order entered the queue.
    unit = models.ForeignKey(
        Unit, verbose_name=_("主办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    round = models.PositiveSmallIntegerField(_("回访轮次"), default=1)
    reason = models.CharField(_("进入回访原因"), max_length=20, choices=REASONS)
    state = models.CharField(_("状态"), max_length=10, choices=STATES, default=PENDING, db_index=True)
    queued_at = models.DateTimeField(_("进入回访时间"), db_index=True)
    reply_result = models.CharField(_("单位答复结果"), max_length=20, blank=True)  # what the unit claimed
    attempts = models.PositiveSmallIntegerField(_("未接通次数"), default=0)
    method = models.CharField(_("回访方式"), max_length=10, choices=METHODS, blank=True)
    contacted = models.BooleanField(_("单位是否联系"), null=True)
    resolution = models.CharField(_("是否解决"), max_length=20, choices=RESOLUTIONS, blank=True)
    satisfaction = models.CharField(_("是否满意"), max_length=20, choices=SATISFACTIONS, blank=True)
    attitude_complaint = models.BooleanField(_("反映服务态度问题"), default=False)
    comments = models.TextField(_("诉求人意见"), blank=True)
    invalid_reason = models.CharField(_("无效原因"), max_length=20, choices=INVALID_REASONS, blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    visited_at = models.DateTimeField(_("回访完成时间"), null=True, blank=True, db_index=True)
    link_sent_at = models.DateTimeField(_("评价链接发送时间"), null=True, blank=True)
    # After the visit: the centre closed the order or reopened it (R23.1).
    outcome = models.CharField(_("回访后处理"), max_length=20, blank=True, choices=OUTCOMES)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["queued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["order", "round"], name="one_visit_per_order_round")]
        indexes = [models.Index(fields=["state", "visited_at"])]

    def __str__(self) -> str:
        return f"{self.order.number}#{self.round}"

    @property
    def valid(self) -> bool:
        return self.state == DONE


class VisitAttempt(models.Model):
    """One call that did not reach the requester; N of them make the visit invalid."""

    visit = models.ForeignKey(ReturnVisit, on_delete=models.PROTECT, related_name="attempt_log")
    outcome = models.CharField(_("结果"), max_length=20, choices=ATTEMPT_OUTCOMES)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("回访拨打记录")
        verbose_name_plural = _("回访拨打记录")
        ordering = ["at", "id"]
