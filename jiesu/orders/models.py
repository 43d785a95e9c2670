"""The work order and everything recorded about it (R2.1, R2.2, R8.1, R8.3, R10.1)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.core import crypto, redact, rows
from jiesu.directory.models import Place, Unit

from . import choices
from .sealing import SealedJSONField, order_key, request_text

_UNLOADED = object()


# An order's events are never dated before it was received, less this margin (the intake accepts
# a received_at a few minutes ahead of the clock; a server clock may be set back). Reads of one
# order's history say so (WorkOrder.history), and on PostgreSQL that lets the planner skip every
# monthly event partition before the order's month (orders.partitions). services.new_event
# refuses an event that would break it.
EVENT_MARGIN = timedelta(days=1)


class WorkOrder(models.Model):
    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    channel = models.CharField(_("渠道"), max_length=20, choices=choices.CHANNELS)
    source_line = models.CharField(_("来源热线"), max_length=10, choices=choices.SOURCE_LINES, default="12345")
    kind = models.CharField(_("诉求类型"), max_length=20, choices=choices.KINDS)
    # Indexed with received_at (Meta.indexes): the work lists filter by status, newest first.
    status = models.CharField(_("状态"), max_length=20, choices=choices.STATUSES, default=choices.RECEIVED)

    requester_type = models.CharField(
        _("诉求人类型"), max_length=20, choices=choices.REQUESTER_TYPES, default="natural"
    )
    # Personal data: ciphertext only (crypto.encrypt); read through the properties below.
    requester_name_enc = models.TextField(blank=True, editable=False)
    requester_phone_enc = models.TextField(blank=True, editable=False)
    requester_id_number_enc = models.TextField(blank=True, editable=False)
    requester_phone_index = models.CharField(max_length=64, blank=True, editable=False)
    requester_organisation = models.CharField(_("单位名称"), max_length=200, blank=True)
    requester_confidential = models.BooleanField(_("要求保密"), default=False)

    # The request with identities masked: searched, listed, mined for topics. The text as typed
    # is sealed under the order's own key in content_sealed (see sealing.py), read through
    # request_text by those who see identities; erasing the order shreds the key.
    content = models.TextField(_("诉求内容"))
    content_sealed = models.TextField(blank=True, editable=False)
    text_key_id = models.CharField(max_length=32, blank=True, editable=False)
    text_key_enc = models.TextField(blank=True, editable=False)  # the order's key, wrapped by the master keys
    erased_at = models.DateTimeField(_("个人信息删除时间"), null=True, blank=True, editable=False)
    location_text = models.CharField(_("诉求地点"), max_length=300, blank=True)
    district = models.ForeignKey(
        Place, verbose_name=_("区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Indexed with the matter and the receipt (Meta.indexes): the same problem nearby.
    subdistrict = models.ForeignKey(
        Place,
        verbose_name=_("街道（乡镇）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    community = models.ForeignKey(
        Place,
        verbose_name=_("社区（村）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    matter_code = models.CharField(_("事项"), max_length=80, blank=True)
    catalog_version = models.CharField(_("派单目录版本"), max_length=40, blank=True)
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("主办单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response_due = models.DateTimeField(_("响应时限"), null=True, blank=True)
    due_at = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    related_order = models.ForeignKey(
        "self", verbose_name=_("关联工单"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: partners poll changes with updated_after (Open311 feeds).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-received_at", "-id"]
        # Reviewed for 100M orders (issue 17): every index is paid for by every intake and every
        # status change. Exact look-ups (a caller's blind index, a key id, matter codes) take a
        # plain B-tree; PostgreSQL's second, LIKE-prefix index of a db_index text column was
        # dropped where nothing searches by prefix (the order number keeps its own: a number
        # prefix is searched). Status alone is the leading column of the work lists' index.
        indexes = [
            models.Index(fields=["status", "-received_at"]),
            models.Index(fields=["requester_phone_index"], name="orders_caller_phone"),
            models.Index(fields=["text_key_id"], name="orders_text_key"),
            models.Index(fields=["matter_code"], name="orders_matter"),
            # A place's orders; with the matter and the week, the same problem open nearby
            # (dispatch.services.same_problem), which every intake asks.
            models.Index(fields=["community", "matter_code", "received_at"], name="orders_community_matter"),
            models.Index(fields=["subdistrict", "matter_code", "received_at"], name="orders_subdistrict_matter"),
        ]

    def history(self) -> models.QuerySet[OrderEvent]:
        """This order's events: `self.events`, with the bound that prunes the partitions before it."""
        return self.events.filter(at__gte=self.received_at - EVENT_MARGIN)

    def __str__(self) -> str:
        return self.number

    # Decrypting is deliberate: callers go through orders.selectors.requester_view, which
    # masks by role and records every unmasked read.
    @property
    def requester_name(self) -> str:
        return self._decrypt(self.requester_name_enc)

    @property
    def requester_phone(self) -> str:
        return self._decrypt(self.requester_phone_enc)

    @property
    def requester_id_number(self) -> str:
        return self._decrypt(self.requester_id_number_enc)

    def _decrypt(self, token: str) -> str:
        # A value this instance encrypted itself (set_requester) is known by its exact
        # ciphertext: a new order's request is masked and its answer built right after, and
        # decrypting what was just encrypted would be work for nothing. Any other token (read
        # from the database, or changed since) is decrypted.
        known = self.__dict__.get("_encrypted_here")
        if known is not None and token in known:
            return known[token]
        return crypto.decrypt(token)

    @classmethod
    def from_db(cls, db, field_names, values):
        order = super().from_db(db, field_names, values)
        order._stored_content = order.__dict__.get("content", _UNLOADED)
        return order

    @property
    def request_text(self) -> str:
        """The request as typed, identities included (callers mask by role, as for requester_*)."""
        return request_text(self)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self._seal_new_text(update_fields) and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "content_sealed", "text_key_id", "text_key_enc"}
        super().save(*args, **kwargs)
        self._stored_content = self.__dict__.get("content", _UNLOADED)

    def insert(self) -> None:
        """Write this new order as save(force_insert=True) would, its text sealed, in one INSERT
        built once per process (jiesu.core.rows): compiling the ORM's INSERT of 40-odd columns
        cost the intake POST more CPU than the rest of writing it. No save signal is sent (none
        listens to orders). The unit keys of an order inserted with its parts known (the
        intake's, dispatched by the engine) go in with the row: left to the parts' trigger, the
        order would be written a second time at once, with every index (migration orders 0018);
        off PostgreSQL there is no such column and rows.insert leaves it out."""
        self._seal_new_text(None)
        rows.insert([self], extra=(_UNIT_KEYS,) if self.__dict__.get("_unit_keys") else ())
        self._stored_content = self.__dict__.get("content", _UNLOADED)

    def _seal_new_text(self, update_fields) -> bool:
        """Seal new or changed request text before it is written (the searchable column keeps
        it masked); whether it was sealed."""
        text = self.__dict__.get("content", _UNLOADED)
        if (
            text is _UNLOADED
            or text == getattr(self, "_stored_content", None)
            or self.erased_at
            or (update_fields is not None and "content" not in update_fields)
        ):
            return False
        self.seal_content(text)
        return True

    def seal_content(self, text: str) -> None:
        key_id, key = order_key(self)
        self.content_sealed = crypto.seal_text(key_id, key, text)
        self.content = redact.redact(
            text, redact.known_values(self.requester_name, self.requester_phone, self.requester_id_number)
        )

    def set_requester(self, *, name: str = "", phone: str = "", id_number: str = "") -> None:
        digits = crypto.normalise_phone(phone) if phone else ""
        self.requester_name_enc = crypto.encrypt(name)
        self.requester_phone_enc = crypto.encrypt(digits)
        self.requester_id_number_enc = crypto.encrypt(id_number)
        self.requester_phone_index = crypto.blind_index(phone)
        self._encrypted_here = {
            self.requester_name_enc: name,
            self.requester_phone_enc: digits,
            self.requester_id_number_enc: id_number,
        }

    def __getstate__(self):
        # The plain values kept beside their ciphertext (set_requester) never leave the
        # process: not into a cache, not into a pickled task.
        state = super().__getstate__()
        state.pop("_encrypted_here", None)
        state.pop("_sealed_here", None)
        return state


class _UnitKeysColumn(models.Field):
    """orders_workorder.unit_keys: PostgreSQL's only and kept by its triggers (migration orders
    0018), so not a field of the model; this writes it with an INSERT when the keys are known."""

    def __init__(self):
        super().__init__()
        self.set_attributes_from_name("_unit_keys")
        self.column = "unit_keys"

    def get_db_prep_save(self, value, connection):
        return sorted(value)


_UNIT_KEYS = _UnitKeysColumn()


def search_keys(district_id: int | None, units) -> set[int]:
    """The keys the database's triggers give an order located in `district_id` with parts of
    `units`, (unit key, unit's district key) pairs (migrations orders 0018 and 0019): the units,
    and as negative keys the order's own district and its units' districts. The intake and the
    demo generator write them with the order's INSERT or COPY, so that no trigger writes the
    order again."""
    keys = {-district_id} if district_id else set()
    for unit_id, unit_district_id in units:
        keys.add(unit_id)
        if unit_district_id:
            keys.add(-unit_district_id)
    return keys


class OrderUnit(models.Model):
    """One unit's part in an order: lead, assisting, supervising or coordinating."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="assignments")
    # Indexed by (unit, active) below, which serves a unit's parts and the foreign key alike.
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    role = models.CharField(_("角色"), max_length=20, choices=choices.UNIT_ROLES)
    active = models.BooleanField(_("有效"), default=True)
    response_due = models.DateTimeField(_("响应时限"), null=True, blank=True)
    due_at = models.DateTimeField(_("办结时限"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("派单时间"))
    # The unit's own progress (handling stage): nullable so that rows written before, or by
    # bulk loaders that do not know these columns, stay valid.
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    first_contact_at = models.DateTimeField(
        _("首次联系诉求人"), null=True, blank=True
    )  # stops the response clock (R15.1)
    finished_at = models.DateTimeField(
        _("完成时间"), null=True, blank=True
    )  # replied, reported, reported in or instructed

    class Meta:
        verbose_name = _("承办安排")
        verbose_name_plural = _("承办安排")
        indexes = [
            models.Index(fields=["unit", "active"]),
            # The parts still owed, by limit: the city-wide overdue and due-today figures of the
            # start pages and the supervision board read only these few thousand rows, not every
            # part ever assigned (finished ones and the supervising governments' never-due ones).
            models.Index(
                fields=["due_at"],
                name="orders_part_open_due",
                condition=models.Q(active=True, finished_at__isnull=True, role__in=choices.WORKING_ROLES),
            ),
        ]


class OrderEvent(models.Model):
    """One immutable line of an order's history. Append-only, enforced by triggers."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("动作"), max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    # Free text in it is sealed under the order's key (sealing.FREE_TEXT_KEYS).
    data = SealedJSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")
        ordering = ["at", "id"]


class Attachment(models.Model):
    REQUEST = "request"
    RESULT = "result"
    STAGES = [(REQUEST, _("诉求材料")), (RESULT, _("办理结果"))]

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="attachments")
    # A unit's result photos are told apart from what the requester sent: the reply shows them.
    stage = models.CharField(_("用途"), max_length=20, choices=STAGES, default=REQUEST)
    unit = models.ForeignKey(
        Unit, verbose_name=_("上传单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    kind = models.CharField(_("类型"), max_length=20, choices=choices.ATTACHMENT_KINDS)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    original_name = models.CharField(_("原文件名"), max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Set when the order's personal data is erased: the file is gone from storage, its name and
    # digest blanked; the record and its events stay (an "attachment_erased" event says so).
    erased_at = models.DateTimeField(_("删除时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at", "id"]


class PersonalDataAccess(models.Model):
    """Who read a requester's unmasked identity, when, on which order (R8.3). Append-only."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    fields = models.JSONField(default=list)
    purpose = models.CharField(max_length=60)

    class Meta:
        verbose_name = _("个人信息查阅记录")
        verbose_name_plural = _("个人信息查阅记录")


class OrderNumberCounter(models.Model):
    """Per-day sequence behind readable order numbers (261130-00042)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class IdempotencyRecord(models.Model):
    """A client's Idempotency-Key and the order its first POST created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="unique_idempotency_key_per_user")]
