"""The directory: places, handling units and the people who work in them (R5.1, R12, R17)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.core import roles
from jiesu.engine import places
from jiesu.engine import units as unit_kinds


class Place(models.Model):
    """A district, township-level place (街道/乡/镇/地区) or community/village."""

    LEVEL_CHOICES = [
        (places.DISTRICT, _("区")),
        (places.SUBDISTRICT, _("街道（乡镇）")),
        (places.COMMUNITY, _("社区（村）")),
    ]
    code = models.CharField(_("代码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=100, db_index=True)
    level = models.CharField(_("层级"), max_length=20, choices=LEVEL_CHOICES, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    district = models.ForeignKey(
        "self", verbose_name=_("所属区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    aliases = models.JSONField(_("别名"), default=list, blank=True, help_text=_("来电人常用的简称，例如“朝阳”。"))
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["code"]

    def __str__(self) -> str:
        if self.level == places.DISTRICT or not self.district_id:
            return self.name
        return f"{self.district.name} {self.name}"


class Unit(models.Model):
    """Anyone a work order can be dispatched or transferred to."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120, db_index=True)
    kind = models.CharField(_("类型"), max_length=30, choices=unit_kinds.UNIT_KINDS, db_index=True)
    sector = models.CharField(_("行业"), max_length=40, blank=True, db_index=True)
    territory = models.ForeignKey(
        Place, verbose_name=_("属地"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    district = models.ForeignKey(
        Place, verbose_name=_("所属区"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    always_on = models.BooleanField(
        _("7×24小时服务"), default=False, help_text=_("公共服务企业按自然小时计时（第十九条）。")
    )
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def engine_type(self) -> str:
        return unit_kinds.ENGINE_TYPE.get(self.kind, self.kind)


class User(AbstractUser):
    """A person who signs in: belongs to one unit and has one role."""

    role = models.CharField(_("角色"), max_length=30, choices=roles.ROLE_CHOICES, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_centre(self) -> bool:
        return self.role in roles.CENTRE_ROLES

    @property
    def is_unit_member(self) -> bool:
        return self.role in roles.UNIT_ROLES
