"""Beijing-Tianjin-Hebei hotline linkage (R21.1): the neighbours' Open311 endpoints and what we sent them.

Jiesu is a client of the other hotline's Open311 GeoReport v2 server for outgoing transfers,
and the other hotline is a client of ours (an open311.ApiClient) for incoming ones. Both
directions hang off the neighbour's Unit in the directory, so the order's timeline and the
workbench name the hotline the way every other unit is named.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.core import crypto
from jiesu.engine import units as unit_kinds


class NeighbourHotline(models.Model):
    """One neighbouring hotline's Open311 server, and the key it gave us.

    The key is encrypted at rest like requesters' data: it lets anyone create orders in the
    neighbour's system in Beijing's name, so a database dump must not hand it out.
    """

    unit = models.OneToOneField(
        "directory.Unit",
        verbose_name=_("热线单位"),
        on_delete=models.PROTECT,
        related_name="linkage_endpoint",
        limit_choices_to={"kind": unit_kinds.NEIGHBOUR_HOTLINE},
    )
    base_url = models.URLField(
        _("Open311 接口地址"),
        max_length=300,
        help_text=_("GeoReport v2 的根地址，例如 https://12345.tj.gov.cn/open311/v2"),
    )
    api_key_enc = models.TextField(blank=True, editable=False)
    jurisdiction_id = models.CharField(
        _("辖区标识 jurisdiction_id"), max_length=100, blank=True, help_text=_("对方服务多个辖区时才需要填写")
    )
    default_service_code = models.CharField(
        _("默认事项代码"),
        max_length=80,
        blank=True,
        help_text=_("工单没有事项分类时使用的对方事项代码；留空则此类工单不能转出"),
    )
    inbound_client = models.OneToOneField(
        "open311.ApiClient",
        verbose_name=_("对方使用的接口客户端"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="neighbour_hotline",
        help_text=_("对方向本平台提交工单时使用的 Open311 客户端，用于识别来自该热线的工单"),
    )
    active = models.BooleanField(_("启用"), default=True)
    timeout_seconds = models.FloatField(_("超时（秒）"), default=10)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=3)
    updates_cursor = models.DateTimeField(_("状态更新已同步至"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("津冀热线接口")
        verbose_name_plural = _("津冀热线接口")
        ordering = ["unit__code"]

    def __str__(self) -> str:
        return self.unit.name

    @property
    def api_key(self) -> str:
        return crypto.decrypt(self.api_key_enc)

    def set_api_key(self, raw: str) -> None:
        self.api_key_enc = crypto.encrypt(raw.strip())

    def endpoint(self, resource: str) -> str:
        return f"{self.base_url.rstrip('/')}/{resource}"

    def clean(self):
        if self.unit_id and self.unit.kind != unit_kinds.NEIGHBOUR_HOTLINE:
            raise ValidationError({"unit": _("只能为津冀热线单位配置接口。")})
        if not 1 <= self.max_attempts <= 10:
            raise ValidationError({"max_attempts": _("尝试次数应为1至10次。")})
        if not 0.5 <= self.timeout_seconds <= 120:
            raise ValidationError({"timeout_seconds": _("超时应为0.5至120秒。")})


class ServiceCodeMapping(models.Model):
    """Our matter code -> the neighbour's service_code; a matter without a row keeps its own code."""

    hotline = models.ForeignKey(
        NeighbourHotline, verbose_name=_("热线"), on_delete=models.CASCADE, related_name="mappings"
    )
    matter_code = models.CharField(_("本市事项代码"), max_length=80)
    service_code = models.CharField(_("对方事项代码"), max_length=80)

    class Meta:
        verbose_name = _("事项代码对照")
        verbose_name_plural = _("事项代码对照")
        ordering = ["hotline", "matter_code"]
        constraints = [models.UniqueConstraint(fields=["hotline", "matter_code"], name="linkage_mapping_per_matter")]

    def __str__(self) -> str:
        return f"{self.matter_code} → {self.service_code}"


class Transfer(models.Model):
    """An order that left us for a neighbour's Open311 server, and what we know of it since."""

    OUT = "out"
    RETURN = "return"
    DIRECTIONS = [(OUT, _("转出")), (RETURN, _("退回来件"))]
    OPEN, CLOSED = "open", "closed"

    order = models.ForeignKey("orders.WorkOrder", on_delete=models.PROTECT, related_name="neighbour_transfers")
    hotline = models.ForeignKey(
        NeighbourHotline, verbose_name=_("热线"), on_delete=models.PROTECT, related_name="transfers"
    )
    direction = models.CharField(_("类型"), max_length=10, choices=DIRECTIONS, default=OUT)
    reason = models.TextField(_("转出理由"))
    judged_cross_region = models.BooleanField(
        _("人工判定为跨区域诉求"), default=False, help_text=_("工单未被分类为津冀跨区域事项，由派单员判定后转出")
    )
    consent_personal_data = models.BooleanField(
        _("诉求人同意提供个人信息"),
        default=False,
        help_text=_("未同意时只发送去除个人信息的诉求内容，不发送姓名和电话"),
    )
    service_code = models.CharField(_("对方事项代码"), max_length=80)
    remote_id = models.CharField(_("对方工单编号"), max_length=100, blank=True, db_index=True)
    remote_token = models.CharField(_("对方受理凭证"), max_length=100, blank=True)
    remote_status = models.CharField(_("对方状态"), max_length=10, default=OPEN)
    remote_status_notes = models.TextField(_("对方状态说明"), blank=True)
    remote_updated_at = models.DateTimeField(_("对方最后更新"), null=True, blank=True)
    remote_closed_at = models.DateTimeField(_("对方办结时间"), null=True, blank=True)
    returned_order = models.ForeignKey(
        "orders.WorkOrder",
        verbose_name=_("对方退回形成的工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("转出时间"), auto_now_add=True)
    last_polled_at = models.DateTimeField(_("最后查询时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("津冀转办")
        verbose_name_plural = _("津冀转办")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["hotline", "remote_status"])]

    def __str__(self) -> str:
        return f"{self.order} → {self.hotline} {self.remote_id or self.remote_token}"


class RemoteUpdate(models.Model):
    """One status update the neighbour published (servicerequestupdates), kept once by its update_id."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="updates")
    update_id = models.CharField(max_length=100)
    status = models.CharField(_("状态"), max_length=40)
    description = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("对方时间"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("对方状态更新")
        verbose_name_plural = _("对方状态更新")
        ordering = ["updated_at", "id"]
        constraints = [models.UniqueConstraint(fields=["transfer", "update_id"], name="linkage_update_once")]


class TransferAttempt(models.Model):
    """Every call that tried to hand an order to a neighbour, including the ones that failed.

    Failures do not touch the order (it stays where it was, for the dispatcher to retry or
    handle otherwise); this row is the record that the attempt happened and why it failed.
    A success keeps the remote id here too, so that it is never lost even if the local
    write after it fails.
    """

    SENT, REFUSED, FAILED = "sent", "refused", "failed"
    OUTCOMES = [(SENT, _("成功")), (REFUSED, _("对方拒绝")), (FAILED, _("网络或服务故障"))]

    order = models.ForeignKey("orders.WorkOrder", on_delete=models.PROTECT, related_name="+")
    hotline = models.ForeignKey(NeighbourHotline, on_delete=models.PROTECT, related_name="attempts")
    direction = models.CharField(max_length=10, choices=Transfer.DIRECTIONS, default=Transfer.OUT)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=OUTCOMES)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    tries = models.PositiveSmallIntegerField(_("请求次数"), default=1)
    error = models.TextField(_("错误信息"), blank=True)
    remote_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("转办尝试")
        verbose_name_plural = _("转办尝试")
        ordering = ["-at", "-id"]
