"""The centre's own records: callers known by their number's blind index (R9.1, R35.1),
call durations, and the staff changes a unit administrator makes (R5.1)."""

from __future__ import annotations

from django.conf import settings
from django.core.signals import request_started
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.core import crypto
from jiesu.orders import sealing
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
    # The caller's own data key, wrapped by the master keys: the notes of the record are sealed
    # under it (SealedNoteField), and erasing an order of this caller shreds it (orders.erasure).
    text_key_id = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    text_key_enc = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("来电人档案")
        verbose_name_plural = _("来电人档案")
        ordering = ["-flagged_at", "-id"]

    def __str__(self) -> str:
        return f"来电人档案 {self.pk}"


# Unwrapped caller keys of this request, as sealing.ring for orders.
caller_ring = sealing.KeyRing(lambda: Caller)
request_started.connect(caller_ring.clear, dispatch_uid="jiesu-caller-ring")


class SealedNoteField(models.TextField):
    """A caller event's note, stored sealed under its caller's key and opened as it is read.

    A note is about the person: a warning, a flag, a referral that may name them (kept as
    written once confirmed), a lifted flag that names no order. It may span several orders or
    none, so no one order's key fits it; the caller's key does, and an erasure for any order
    of this caller shreds it (the one person the record is about asked for it)."""

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if not add or not value:
            return value  # caller events are append-only: sealed once, as written
        key_id, key = sealing.order_key(model_instance.caller)
        return crypto.seal_text(key_id, key, value)

    def from_db_value(self, value, expression, connection):
        return sealing.open_value(value, caller_ring) if value else value


class CallerEvent(models.Model):
    """One immutable line of a caller's record. Append-only, enforced by triggers."""

    caller = models.ForeignKey(Caller, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=30, choices=CALLER_ACTIONS)
    warning_kind = models.CharField(_("警示方式"), max_length=20, choices=WARNING_KINDS, blank=True)
    note = SealedNoteField(_("说明"), blank=True)
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


class SupervisionRecord(models.Model):
    """A finding about a unit's (or a person's) conduct of the kinds the regulation names
    (R33.1), with its evidence and the centre's decision. Open, then decided once; a referral
    to the supervisory authority is recorded on it. Each step is an event of the order."""

    RUDE, SHIRKING, PERFUNCTORY, FALSE, LEAK = "rude_service", "shirking", "perfunctory", "false_handling", "leak"
    KINDS = [
        (RUDE, _("服务态度恶劣（回访以外发现）")),
        (SHIRKING, _("推诿扯皮、敷衍塞责")),
        (PERFUNCTORY, _("敷衍办理")),
        (FALSE, _("虚假办理、虚报办结")),
        (LEAK, _("泄露国家秘密、商业秘密或个人隐私")),
    ]
    OPEN, SUBSTANTIATED, UNFOUNDED = "open", "substantiated", "unfounded"
    STATUSES = [(OPEN, _("待认定")), (SUBSTANTIATED, _("经查属实")), (UNFOUNDED, _("经查不属实"))]

    order = models.ForeignKey(WorkOrder, verbose_name=_("工单"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("directory.Unit", verbose_name=_("涉及单位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("涉及人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("问题类型"), max_length=20, choices=KINDS)
    facts = models.TextField(_("问题事实"))
    evidence_text = models.TextField(_("证据说明"))
    evidence = models.FileField(_("证据材料"), upload_to="supervision/%Y/%m/", blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("登记时间"))
    status = models.CharField(_("认定结果"), max_length=20, choices=STATUSES, default=OPEN, db_index=True)
    decision_note = models.TextField(_("认定意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    referred_to = models.CharField(_("移送机关"), max_length=100, blank=True)
    referred_at = models.DateTimeField(_("移送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督查记录")
        verbose_name_plural = _("督查记录")
        ordering = ["-opened_at", "-id"]

    # What a substantiated finding of each kind does to the unit's monthly score, where the
    # assessment rules name it (RuleSet penalties); the others are recorded and referred.
    ASSESSMENT_FLAG = {RUDE: "attitude", PERFUNCTORY: "false_resolved", FALSE: "false_resolved"}


class QualityItem(models.Model):
    """One line of the checklist call-takers' records are scored against (R29.1); the bureau
    edits it in the admin. Reviews keep the items they were scored with."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    label = models.CharField(_("检查项"), max_length=100)
    weight = models.PositiveSmallIntegerField(_("分值"), default=25)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("质检检查项")
        verbose_name_plural = _("质检检查项")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label


class QualityReview(models.Model):
    """One sampled order of a call-taker's week, scored against the checklist (R29.1)."""

    PENDING, SCORED = "pending", "scored"
    STATUSES = [(PENDING, _("待质检")), (SCORED, _("已质检"))]

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="quality_review")
    call_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("话务员"), on_delete=models.PROTECT, related_name="+"
    )
    week = models.DateField(_("抽检周"), db_index=True)  # the Monday
    status = models.CharField(_("状态"), max_length=10, choices=STATUSES, default=PENDING, db_index=True)
    checks = models.JSONField(_("检查结果"), default=list, blank=True)  # [{code, label, weight, passed}]
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    feedback = models.TextField(_("反馈意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("质检时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("话务员已阅"), null=True, blank=True)

    class Meta:
        verbose_name = _("受理质检")
        verbose_name_plural = _("受理质检")
        ordering = ["-week", "call_taker_id", "id"]


class TrainingCase(models.Model):
    """An order the centre marks as a typical case for training call-takers (R29.1), with the
    lesson drawn from it, beside the knowledge-base articles that answer such calls."""

    order = models.ForeignKey(WorkOrder, verbose_name=_("工单"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("案例标题"), max_length=100)
    lesson = models.TextField(_("要点"))
    articles = models.ManyToManyField("knowledge.Article", verbose_name=_("相关知识"), blank=True, related_name="+")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("标记时间"), auto_now_add=True)
    active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("培训案例")
        verbose_name_plural = _("培训案例")
        ordering = ["-marked_at", "-id"]


class MediaReport(models.Model):
    """Where a media order came from (R28.1): the outlet, the link and when it was published;
    `monitored` when the centre's monitoring found it rather than someone forwarding it."""

    order = models.OneToOneField(WorkOrder, on_delete=models.PROTECT, related_name="media_report")
    outlet = models.CharField(_("媒体名称"), max_length=100)
    url = models.URLField(_("报道链接"), max_length=500)
    title = models.CharField(_("报道标题"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("发布时间"))
    monitored = models.BooleanField(_("舆情监测发现"), default=True)

    class Meta:
        verbose_name = _("媒体报道")
        verbose_name_plural = _("媒体报道")
