"""A minimal knowledge base (R11.1, R30.1): articles used to answer consultations at once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("答复口径"))
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    owner_unit = models.ForeignKey("directory.Unit", verbose_name=_("维护单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库条目")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def to_engine(self) -> dict:
        return {"id": self.slug, "title": self.title, "body": self.body, "keywords": list(self.keywords)}
