"""The open knowledge base (R11.1, R30.1): laws, policies and procedures that answer consultations
at once, published to citizens at /public/knowledge/ and maintained by their owning units.

An article's current text is what `Article` holds; every edit is an `ArticleVersion` (append-only),
and an edit waiting for the bureau's approval stays a version until it is approved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

LAW = "law"
POLICY = "policy"
PROCEDURE = "procedure"
CATEGORIES = [(LAW, _("法律法规")), (POLICY, _("政策规定")), (PROCEDURE, _("办事指南"))]


class Article(models.Model):
    slug = models.SlugField(_("标识"), max_length=80, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("答复口径"))
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    # The words that make a caller's request a question this article answers at intake: the
    # engine answers from an article only when one of them is said. Kept apart from `keywords`
    # (the topic, for the public search) because a topic word ("暖气") is what complaints are
    # about too; empty means the article is published but never answers a call by itself.
    intake_keywords = models.JSONField(_("受理即答关键词"), default=list, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=CATEGORIES, default=PROCEDURE)
    owner_unit = models.ForeignKey(
        "directory.Unit", verbose_name=_("维护单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    legal_basis = models.TextField(_("法律政策依据"), blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    review_date = models.DateField(_("复核日期"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    # jieba's search-mode words of title, keywords, body and basis, space separated: the same
    # words a query is cut into, so a LIKE per word finds them on SQLite and PostgreSQL alike.
    search_text = models.TextField(editable=False, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库条目")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Whoever writes an article (the console, `jiesu load-rules`, the admin), it stays searchable.
        from .services import search_text

        self.search_text = search_text(self)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def to_engine(self) -> dict:
        return {
            "id": self.slug,
            "title": self.title,
            "body": self.body,
            "keywords": list(self.intake_keywords),
            "basis": self.legal_basis,
        }


class ArticleVersion(models.Model):
    """One edit of an article, kept for good: what it said, who wrote it, whether it took effect."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    STATUSES = [(PENDING, _("待审核")), (APPROVED, _("已生效")), (REJECTED, _("未通过"))]

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("答复口径"))
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    intake_keywords = models.JSONField(_("受理即答关键词"), default=list, blank=True)
    category = models.CharField(_("类别"), max_length=20, choices=CATEGORIES)
    legal_basis = models.TextField(_("法律政策依据"), blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)
    effective_date = models.DateField(_("生效日期"), null=True, blank=True)
    review_date = models.DateField(_("复核日期"), null=True, blank=True)
    active = models.BooleanField(_("有效"), default=True)
    note = models.CharField(_("修改说明"), max_length=300, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(_("修改时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=STATUSES, default=APPROVED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True)

    FIELDS = (
        "title",
        "body",
        "keywords",
        "intake_keywords",
        "category",
        "legal_basis",
        "source",
        "effective_date",
        "review_date",
        "active",
    )

    class Meta:
        verbose_name = _("知识库条目版本")
        verbose_name_plural = _("知识库条目版本")
        ordering = ["article", "-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="unique_article_version")]
