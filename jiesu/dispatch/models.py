"""Pre-dispatch consultation (会商) and dispatch objections (R12.3, R12.4)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiesu.directory.models import Unit
from jiesu.orders.models import WorkOrder


class Consultation(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="consultations")
    question = models.TextField(_("会商事项"))
    units = models.ManyToManyField(Unit, verbose_name=_("参加单位"), related_name="consultations")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    outcome = models.TextField(_("会商结论"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("派单会商")
        verbose_name_plural = _("派单会商")


class ConsultationComment(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("意见"))
    at = models.DateTimeField(auto_now_add=True)


class Objection(models.Model):
    DUTY, TERRITORY = "duty", "territory"
    PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="objections")
    unit = models.ForeignKey(Unit, verbose_name=_("异议单位"), on_delete=models.PROTECT, related_name="objections")
    grounds = models.CharField(
        _("异议类型"), max_length=20, choices=[(DUTY, _("非本单位职责")), (TERRITORY, _("非本单位属地"))]
    )
    reason = models.TextField(_("异议理由"))
    suggested_unit = models.CharField(_("建议承办单位"), max_length=120, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状态"),
        max_length=20,
        default=PENDING,
        choices=[(PENDING, _("待审核")), (ACCEPTED, _("异议成立")), (REJECTED, _("异议不成立"))],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("派单异议")
        verbose_name_plural = _("派单异议")
        ordering = ["-raised_at"]
