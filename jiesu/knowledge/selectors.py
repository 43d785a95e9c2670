"""Reading the knowledge base: the public search, the articles due for review, what a unit may edit."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils import timezone

from jiesu.core import roles
from jiesu.engine.text import jieba_tokenizer

from .models import Article, ArticleVersion
from .services import is_bureau, normalise

# Words of a question that say nothing about its subject ("供暖时间是什么时候" is about 供暖 and 时间).
STOP_WORDS = frozenset(
    "的 了 是 吗 呢 吧 啊 我 你 他 她 们 在 和 与 及 或 有 没有 什么 怎么 怎样 怎么办 如何 哪里 哪儿 哪些 多少 几 "
    "是否 可以 能 能否 需要 要 请问 请 问 一下 时候 关于 这个 那个 这 那 给 对 把 被 就 都 也 还 又 想 会 该".split()
)
_PUNCTUATION = re.compile(r"^[\W_]+$")
MAX_QUERY = 100


def query_words(query: str) -> list[str]:
    """jieba's search-mode words of the query (长词 and the short words inside them), without
    stop words and punctuation, longest first, each once."""
    text = normalise(query)[:MAX_QUERY]
    words = [w.strip() for w in jieba_tokenizer(()).cut_for_search(text)]
    kept = [w for w in dict.fromkeys(words) if w and w not in STOP_WORDS and not _PUNCTUATION.match(w)]
    return sorted(kept, key=len, reverse=True)


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    words: tuple[str, ...]


def _score(article: Article, words: list[str], rarity: dict[str, float], asked: str) -> tuple[float, tuple[str, ...]]:
    title, keywords = normalise(article.title), normalise(" ".join(article.keywords))
    body = article.search_text
    score, matched = 0.0, []
    for w in words:
        weight = 3.0 * (w in title) + 2.0 * (w in keywords) + 1.0 * (w in body)
        if weight:
            # Longer and rarer words say more: 供暖期 over 期, 供暖 over 北京 (in nearly every article).
            score += weight * len(w) * rarity[w]
            matched.append(w)
    # A keyword is a citizen's own phrasing ("开始供暖"): found whole in the question, it decides.
    score += sum(4.0 * len(k) for k in article.keywords if len(k) >= 2 and normalise(k) in asked)
    return score, tuple(matched)


def public_articles() -> QuerySet[Article]:
    return Article.objects.filter(active=True).select_related("owner_unit")


def search(query: str, *, category: str = "") -> list[Hit]:
    """Articles for a citizen's words, best first. Candidates are those containing any word (one
    LIKE per word, on SQLite and PostgreSQL alike); they are few enough (hundreds of articles) to
    rank here: words in the title count most, then keywords, then the text."""
    qs = public_articles()
    if category:
        qs = qs.filter(category=category)
    words = query_words(query)
    if not words:
        return [Hit(a, 0.0, ()) for a in qs.order_by("title")] if not query.strip() else []
    candidates = list(qs.filter(reduce(or_, (Q(search_text__contains=w) for w in words))))
    total = max(1, public_articles().count())
    rarity = {w: math.log(1 + total / max(1, sum(w in a.search_text for a in candidates))) for w in words}
    asked = normalise(query)
    hits = [Hit(a, *(_score(a, words, rarity, asked))) for a in candidates]
    hits.sort(key=lambda h: (-h.score, h.article.title))
    return hits


def best_match(query: str) -> Article | None:
    hits = search(query)
    return hits[0].article if hits else None


def due_for_review(user, *, today: date | None = None) -> QuerySet[Article]:
    """Articles past their review date: the bureau sees all, a unit its own (R30.1)."""
    today = today or timezone.localdate()
    qs = Article.objects.filter(active=True, review_date__lt=today).select_related("owner_unit").order_by("review_date")
    if is_bureau(user):
        return qs
    if getattr(user, "role", "") in roles.UNIT_ROLES and user.unit_id:
        return qs.filter(owner_unit_id=user.unit_id)
    return qs.none()


def editable_articles(user) -> QuerySet[Article]:
    qs = Article.objects.select_related("owner_unit").order_by("title")
    if is_bureau(user):
        return qs
    if getattr(user, "role", "") == roles.UNIT_ADMIN and user.unit_id:
        return qs.filter(owner_unit_id=user.unit_id)
    return qs.none()


def pending_versions(user) -> QuerySet[ArticleVersion]:
    qs = (
        ArticleVersion.objects.filter(status=ArticleVersion.PENDING)
        .select_related("article", "article__owner_unit", "edited_by")
        .order_by("edited_at")
    )
    if is_bureau(user):
        return qs
    if getattr(user, "role", "") == roles.UNIT_ADMIN and user.unit_id:
        return qs.filter(article__owner_unit_id=user.unit_id)
    return qs.none()
