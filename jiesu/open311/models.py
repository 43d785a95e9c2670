"""Open311 GeoReport v2: the API clients, the questions a service asks, and what a client sent (R2.1, R21.1)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.core import crypto

# The Open311 attribute datatypes (GeoReport v2, "GET Service Definition").
DATATYPES = [
    ("string", _("单行文本")),
    ("number", _("数字")),
    ("datetime", _("日期时间")),
    ("text", _("多行文本")),
    ("singlevaluelist", _("单选")),
    ("multivaluelist", _("多选")),
]
LIST_DATATYPES = frozenset({"singlevaluelist", "multivaluelist"})


class ApiClient(models.Model):
    """A partner app or neighbouring hotline that may POST requests (R21.1).

    Only a SHA-256 of the key is stored: keys are 256-bit random strings, so a fast hash is
    enough (no dictionary to guess from) and lookups stay one indexed query. Each client acts
    through its own service user so that every order and event says which client wrote it.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    contact = models.CharField(_("联系人"), max_length=200, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(
        _("密钥前缀"), max_length=8, editable=False, help_text=_("密钥的前8位，用于核对；完整密钥只在生成时显示一次。")
    )
    active = models.BooleanField(_("有效"), default=True)
    rate_limit_per_minute = models.PositiveIntegerField(_("每分钟请求上限"), default=60)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("服务账号"),
        on_delete=models.PROTECT,
        related_name="open311_client",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 接口客户端")
        verbose_name_plural = _("Open311 接口客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(models.Model):
    """An extra question a matter asks (an Open311 attribute definition)."""

    matter = models.ForeignKey(
        "catalog.Matter", verbose_name=_("诉求事项"), on_delete=models.PROTECT, related_name="open311_attributes"
    )
    code = models.SlugField(_("代码"), max_length=50, help_text=_("提交时的参数名 attribute[代码]"))
    order = models.PositiveIntegerField(_("顺序"), help_text=_("从1开始，同一事项内不重复"))
    variable = models.BooleanField(_("需要填写"), default=True, help_text=_("不勾选表示仅向用户展示说明文字"))
    datatype = models.CharField(_("数据类型"), max_length=20, choices=DATATYPES, default="string")
    required = models.BooleanField(_("必填"), default=False)
    description = models.CharField(_("问题"), max_length=300)
    datatype_description = models.CharField(_("填写提示"), max_length=200, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Open311 事项附加问题")
        verbose_name_plural = _("Open311 事项附加问题")
        ordering = ["matter__code", "order"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "code"], name="open311_attribute_code_per_matter"),
            models.UniqueConstraint(fields=["matter", "order"], name="open311_attribute_order_per_matter"),
        ]

    def __str__(self) -> str:
        return f"{self.matter.code} / {self.code}"

    def clean(self):
        if self.order == 0:
            raise ValidationError({"order": _("顺序须为正整数。")})
        if self.required and not self.variable:
            raise ValidationError({"required": _("仅展示说明的问题不能设为必填。")})


class ServiceAttributeValue(models.Model):
    """One option of a single- or multi-value list attribute."""

    attribute = models.ForeignKey(ServiceAttribute, on_delete=models.CASCADE, related_name="values")
    key = models.CharField(_("取值"), max_length=50)
    name = models.CharField(_("显示名称"), max_length=100)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["attribute", "key"], name="open311_value_key_per_attribute")]

    def __str__(self) -> str:
        return f"{self.key}: {self.name}"


class Submission(models.Model):
    """What an Open311 client sent alongside the order it created.

    The order keeps what every order keeps; this keeps what only Open311 has: the service the
    client chose (the engine classifies from the text and may disagree), the answers to the
    service's questions, the media URL and the client's own identifiers. Identifiers of the
    person (email, device, account) are encrypted like the order's requester fields.
    """

    order = models.OneToOneField("orders.WorkOrder", on_delete=models.PROTECT, related_name="open311_submission")
    client = models.ForeignKey(
        ApiClient, verbose_name=_("客户端"), on_delete=models.PROTECT, related_name="submissions"
    )
    service_code = models.CharField(_("客户端选择的事项"), max_length=80)
    attributes = models.JSONField(_("附加问题回答"), default=dict, blank=True)
    media_url = models.URLField(_("媒体链接"), max_length=1000, blank=True)
    address_id = models.CharField(_("地址编码"), max_length=20, blank=True)
    email_enc = models.TextField(blank=True, editable=False)
    device_id_enc = models.TextField(blank=True, editable=False)
    account_id_enc = models.TextField(blank=True, editable=False)
    # params.fingerprint of the POST, so that a client's retry finds this submission.
    request_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # True on the submission handed back for a retry; never stored.
    replayed = False

    class Meta:
        verbose_name = _("Open311 提交记录")
        verbose_name_plural = _("Open311 提交记录")
        indexes = [models.Index(fields=["client", "request_hash", "created_at"], name="open311_submission_retry")]

    @property
    def account_id(self) -> str:
        return crypto.decrypt(self.account_id_enc)
