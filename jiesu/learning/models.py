"""Stored classifier versions and the labelled examples the dispatchers produce (R11.2, R12.3)."""

from __future__ import annotations

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class ClassifierModel(models.Model):
    """One trained model file with its held-out metrics. Exactly one may be active; any earlier
    version can be activated again (rollback)."""

    version = models.CharField(_("版本"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("训练时间"), auto_now_add=True)
    # Relative to settings.DATA_DIR / "models", so the data directory can be moved.
    file = models.CharField(_("模型文件"), max_length=255)
    metrics = models.JSONField(_("验证指标"), default=dict, blank=True)
    threshold = models.FloatField(_("自动派单置信度阈值"), default=1.0)
    target_precision = models.FloatField(_("目标准确率"), default=0.97)
    is_active = models.BooleanField(_("当前使用"), default=False)
    trained_from = models.TextField(_("训练数据"), blank=True)

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="learning_one_active_model"
            )
        ]

    def __str__(self) -> str:
        return self.version

    @property
    def path(self):
        from django.conf import settings

        return settings.DATA_DIR / "models" / self.file

    @property
    def macro_f1(self) -> float | None:
        return ((self.metrics or {}).get("validation") or {}).get("macro_f1")

    def activate(self) -> None:
        with transaction.atomic():
            ClassifierModel.objects.filter(is_active=True).exclude(pk=self.pk).update(is_active=False)
            ClassifierModel.objects.filter(pk=self.pk).update(is_active=True)
        self.is_active = True


class LabelledExample(models.Model):
    """A message with the matter a person confirmed: a dispatcher's correction, an accepted
    objection, or an imported history row."""

    SOURCE_CHOICES = [
        ("correction", _("派单员纠正")),
        ("objection", _("异议成立")),
        ("import", _("历史导入")),
    ]
    text = models.TextField(_("诉求内容"))
    matter_code = models.CharField(_("事项编码"), max_length=64, db_index=True)
    source = models.CharField(_("来源"), max_length=16, choices=SOURCE_CHOICES)
    order_number = models.CharField(_("工单编号"), max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("标注样本")
        verbose_name_plural = _("标注样本")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.matter_code}: {self.text[:30]}"
