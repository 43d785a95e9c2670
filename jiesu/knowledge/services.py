"""Writing the knowledge base: the starting set, edits as versions, the bureau's approval.

Every change is a new ArticleVersion; an approved version is copied onto the Article (what the
public page, the search and the engine read). Nothing is deleted: an article withdrawn is a
version with `active` False.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jiesu.core import roles
from jiesu.directory.models import Unit

from .models import CATEGORIES, Article, ArticleVersion

STARTING_SET = Path(__file__).parent / "data" / "articles.json"


def normalise(text: str) -> str:
    """Full-width letters and digits as half-width, lower case: what the search compares."""
    return unicodedata.normalize("NFKC", text or "").lower()


def search_text(article: Article) -> str:
    return normalise(
        " ".join([article.title, " ".join(article.keywords), article.body, article.legal_basis, article.source])
    )


def is_bureau(user) -> bool:
    return roles.has_role(user, {roles.BUREAU_ADMIN})


def can_edit(user, article: Article | None = None) -> bool:
    """The bureau edits every article; a unit administrator those its unit owns (and new ones for it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_bureau(user):
        return True
    if user.role != roles.UNIT_ADMIN or not user.unit_id:
        return False
    return article is None or article.owner_unit_id == user.unit_id


def needs_approval(user) -> bool:
    """A unit's edit waits for the bureau where the bureau says so: the rule setting
    `knowledge_needs_approval` (admin-editable) wins over the JIESU_KNOWLEDGE_NEEDS_APPROVAL default."""
    if is_bureau(user):
        return False
    from jiesu.catalog.models import RuleSetting

    row = RuleSetting.objects.filter(key="knowledge_needs_approval").first()
    return bool(row.value) if row is not None else settings.JIESU_KNOWLEDGE_NEEDS_APPROVAL


def _word_list(words) -> list[str]:
    """Words typed as one line ("a、b，c") or given as a list, stripped, without repeats."""
    words = words or []
    if isinstance(words, str):
        words = words.replace("，", ",").replace("、", ",").split(",")
    return [w for w in dict.fromkeys(str(w).strip() for w in words) if w]


def check_fields(data: dict) -> dict:
    """The version's fields, cleaned; ValidationError naming each bad field in Chinese."""
    errors: dict[str, list[str]] = {}
    clean = dict(data)
    clean["title"] = (data.get("title") or "").strip()
    clean["body"] = (data.get("body") or "").strip()
    clean["legal_basis"] = (data.get("legal_basis") or "").strip()
    clean["source"] = (data.get("source") or "").strip()
    clean["keywords"] = _word_list(data.get("keywords"))
    # "几号…供暖": two words said in this order (jiesu.engine.knowledge); "..." and "……" typed alike.
    clean["intake_keywords"] = [
        w.replace("……", "…").replace("...", "…") for w in _word_list(data.get("intake_keywords"))
    ]
    if any(len(part.strip()) < 2 for w in clean["intake_keywords"] for part in w.split("…")):
        # One character ("税", "房") is in too many requests: every one of them would be answered.
        errors.setdefault("intake_keywords", []).append("受理即答关键词每个至少2个字。")
    if len(clean["title"]) < 4:
        errors.setdefault("title", []).append("请填写标题（至少4个字）。")
    if len(clean["body"]) < 20:
        errors.setdefault("body", []).append("请填写答复口径（至少20个字）。")
    if len(clean["legal_basis"]) < 4:
        errors.setdefault("legal_basis", []).append("请填写法律政策依据（法规或政策名称及条款）。")
    if not clean["source"]:
        errors.setdefault("source", []).append("请填写来源（发布机关或文件）。")
    if clean.get("category") not in dict(CATEGORIES):
        errors.setdefault("category", []).append("请选择类别。")
    effective, review = clean.get("effective_date"), clean.get("review_date")
    if not effective:
        errors.setdefault("effective_date", []).append("请填写生效日期。")
    if not review:
        errors.setdefault("review_date", []).append("请填写复核日期。")
    elif effective and review <= effective:
        errors.setdefault("review_date", []).append("复核日期须晚于生效日期。")
    clean.setdefault("active", True)
    if errors:
        raise ValidationError(errors)
    return clean


def _apply(article: Article, version: ArticleVersion) -> Article:
    for name in ArticleVersion.FIELDS:
        setattr(article, name, getattr(version, name))
    article.version = version.number
    article.save()
    return article


@transaction.atomic
def propose(
    actor, data: dict, *, article: Article | None = None, owner_unit: Unit | None = None, note: str = ""
) -> ArticleVersion:
    """A new version of `article` (or a new article for `owner_unit`): in force at once for the
    bureau or where no approval is asked, else waiting for the bureau."""
    if not can_edit(actor, article):
        raise PermissionDenied("只能编辑本单位维护的知识库条目。")
    clean = check_fields(data)
    if article is None:
        owner_unit = owner_unit if is_bureau(actor) and owner_unit else actor.unit
        slug = data.get("slug") or f"kb-{timezone.now():%Y%m%d%H%M%S%f}"
        if Article.objects.filter(slug=slug).exists():
            raise ValidationError({"slug": ["该标识已被使用。"]})
        # Not public until its first version is in force.
        article = Article.objects.create(
            slug=slug, title=clean["title"], body=clean["body"], owner_unit=owner_unit, active=False, version=0
        )
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
    number = (article.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    waiting = needs_approval(actor)
    version = ArticleVersion.objects.create(
        article=article,
        number=number,
        note=(note or "").strip()[:300],
        edited_by=actor,
        status=ArticleVersion.PENDING if waiting else ArticleVersion.APPROVED,
        decided_by=None if waiting else actor,
        decided_at=None if waiting else timezone.now(),
        **{name: clean[name] for name in ArticleVersion.FIELDS},
    )
    if not waiting:
        _apply(article, version)
    return version


@transaction.atomic
def decide(version: ArticleVersion, actor, *, approve: bool, note: str = "") -> ArticleVersion:
    """The bureau puts a unit's edit in force, or turns it down with a reason."""
    if not is_bureau(actor):
        raise PermissionDenied("只有政务服务局管理员可以审核知识库修改。")
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ArticleVersion.PENDING:
        raise ValidationError({"status": ["该版本已审核过。"]})
    if not approve and len(note.strip()) < 2:
        raise ValidationError({"note": ["退回时请写明审核意见。"]})
    version.status = ArticleVersion.APPROVED if approve else ArticleVersion.REJECTED
    version.decided_by, version.decided_at, version.decision_note = actor, timezone.now(), note.strip()[:300]
    version.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        article = Article.objects.select_for_update().get(pk=version.article_id)
        # An older edit approved after a newer one would roll the text back: refuse it.
        if version.number < article.version:
            raise ValidationError({"status": ["已有更新的版本生效，请基于最新版本重新修改。"]})
        _apply(article, version)
    return version


# The starting set -----------------------------------------------------------------------------


def starting_set() -> list[dict]:
    return json.loads(STARTING_SET.read_text(encoding="utf-8"))["articles"]


@transaction.atomic
def load_starting_set(rows: list[dict] | None = None) -> dict[str, int]:
    """Add the shipped articles that are missing, and bring up to date those nobody has edited
    (an article with a person's version is the unit's now and is left alone)."""
    added = updated = 0
    units = {u.code: u for u in Unit.objects.filter(code__in={r["owner"] for r in (rows or starting_set())})}
    for row in rows or starting_set():
        fields = {
            "title": row["title"],
            "body": row["body"],
            "keywords": row.get("keywords", []),
            "intake_keywords": row.get("intake_keywords", []),
            "category": row["category"],
            "legal_basis": row["basis"],
            "source": row["source"],
            "effective_date": date.fromisoformat(row["effective"]),
            "review_date": date.fromisoformat(row["review"]),
            "active": True,
        }
        article = Article.objects.filter(slug=row["id"]).first()
        if article is not None and article.versions.filter(edited_by__isnull=False).exists():
            continue
        latest = article.versions.order_by("-number").first() if article is not None else None
        if latest is not None and all(getattr(latest, k) == v for k, v in fields.items()):
            continue
        if article is None:
            article = Article.objects.create(slug=row["id"], title=row["title"], body=row["body"], version=0)
            added += 1
        else:
            updated += 1
        article.owner_unit = units.get(row["owner"])
        number = (article.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = ArticleVersion.objects.create(
            article=article,
            number=number,
            note="随平台发布的初始知识库",
            status=ArticleVersion.APPROVED,
            decided_at=timezone.now(),
            **fields,
        )
        _apply(article, version)
    return {"added": added, "updated": updated}
