"""What units do with an order after dispatch (R14-R22, R33) that needs more than an event.

Each row here is written by one function in jiesu.handling.services, together with the
OrderEvent that tells the same story on the timeline. The rows exist for the questions the
timeline answers slowly: pending extensions, open escalations, report-in clocks, disputes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Unit
from jiesu.orders.models import OrderUnit, WorkOrder

RESOLVED, PARTLY, UNRESOLVED = "resolved", "partly", "unresolved"
RESULTS = [(RESOLVED, _("已解决")), (PARTLY, _("部分解决")), (UNRESOLVED, _("未解决"))]


class Reply(models.Model):
    """The lead unit's result (R15.1): public reply text kept apart from internal handling notes."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("办理结果"), max_length=20, choices=RESULTS)
    unresolved_reason = models.TextField(_("未解决的客观原因"), blank=True)
    public_text = models.TextField(_("答复内容（公开）"))
    internal_notes = models.TextField(_("办理情况（内部）"), blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"))
    on_time = models.BooleanField(_("按时答复"), default=True)
    disputed_at = models.DateTimeField(_("诉求人提出异议时间"), null=True, blank=True)
    dispute_note = models.TextField(_("异议内容"), blank=True)

    class Meta:
        verbose_name = _("办理答复")
        verbose_name_plural = _("办理答复")
        ordering = ["-replied_at", "-id"]


class ExtensionRequest(models.Model):
    PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
    STATUSES = [(PENDING, _("待审批")), (APPROVED, _("已批准")), (REFUSED, _("未批准"))]

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="extension_requests")
    part = models.ForeignKey(OrderUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("延期理由"))
    extra_days = models.PositiveSmallIntegerField(_("延长工作日"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    status = models.CharField(_("状态"), max_length=20, choices=STATUSES, default=PENDING, db_index=True)
    previous_due = models.DateTimeField(_("原办结时限"), null=True, blank=True)
    new_due = models.DateTimeField(_("新办结时限"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "id"]


class Escalation(models.Model):
    """An order a unit cannot settle, sent up for instructions (R20.1)."""

    DISTRICT, MUNICIPAL, INDUSTRY = "district", "municipal", "industry"
    LEVELS = [(DISTRICT, _("区政府")), (MUNICIPAL, _("市政府")), (INDUSTRY, _("行业主管部门"))]

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="escalations")
    from_unit = models.ForeignKey(Unit, verbose_name=_("提请单位"), on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name=_("上级单位"), on_delete=models.PROTECT, related_name="+")
    part = models.ForeignKey(OrderUnit, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("提级层级"), max_length=20, choices=LEVELS)
    reason = models.TextField(_("提级理由"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    instructions = models.TextField(_("指导意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("提级办理")
        verbose_name_plural = _("提级办理")
        ordering = ["raised_at", "id"]


class Whistle(models.Model):
    """A township office summons departments to an order (吹哨, R16.1)."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="whistles")
    office = models.ForeignKey(Unit, verbose_name=_("吹哨街乡"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("吹哨事由"))
    blown_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    blown_at = models.DateTimeField()

    class Meta:
        verbose_name = _("吹哨")
        verbose_name_plural = _("吹哨")
        ordering = ["blown_at", "id"]


class ReportIn(models.Model):
    """One summoned department's report-in: acknowledge, arrive, act; and the office's view of it."""

    whistle = models.ForeignKey(Whistle, on_delete=models.PROTECT, related_name="calls")
    department = models.ForeignKey(Unit, verbose_name=_("报到部门"), on_delete=models.PROTECT, related_name="+")
    part = models.ForeignKey(OrderUnit, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("报到时限"))
    acknowledged_at = models.DateTimeField(_("响应时间"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    acted_at = models.DateTimeField(_("处置时间"), null=True, blank=True)
    action_note = models.TextField(_("处置情况"), blank=True)
    confirmed_at = models.DateTimeField(_("街乡确认时间"), null=True, blank=True)
    office_satisfied = models.BooleanField(_("街乡认可"), null=True)
    confirmation_note = models.TextField(_("街乡评价"), blank=True)

    class Meta:
        verbose_name = _("部门报到")
        verbose_name_plural = _("部门报到")
        ordering = ["id"]


class Supervision(models.Model):
    """The centre chasing an order (督办, R33.1): a recorded message and a new deadline."""

    OVERDUE, DISPUTED, EXTENSIONS, OBJECTION, CENTRAL, OTHER = (
        "overdue",
        "disputed",
        "extensions",
        "objection_rejected",
        "central_follow_up",
        "other",
    )
    REASONS = [
        (OVERDUE, _("超期未办结")),
        (DISPUTED, _("诉求人对“已解决”有异议")),
        (EXTENSIONS, _("多次申请延期")),
        (OBJECTION, _("异议被驳回")),
        (CENTRAL, _("央产军产诉求跟进")),
        (OTHER, _("其他")),
    ]

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="supervisions")
    unit = models.ForeignKey(Unit, verbose_name=_("督办对象"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("督办事由"), max_length=30, choices=REASONS)
    message = models.TextField(_("督办意见"))
    previous_due = models.DateTimeField(null=True, blank=True)
    new_due = models.DateTimeField(_("新时限"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-at", "-id"]
