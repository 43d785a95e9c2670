"""What every work list shares: search, filters (matter, place, unit, time left), a true count and
pages, and the time left on each row.

A work list is what a person works through (review queue, workbench, supervision, visit queue,
linkage, appeals). Its count is the count of the same filtered queryset that is paged: people
plan their day by it, so it is never capped. Each list hands a queryset over its own model and
says how that model reaches the order (`order=""` for WorkOrder itself, `"order__"` for a row
pointing at one) and which column holds the time limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.translation import gettext as _

from . import validation

PER_PAGE = 30
# "Due soon": less than a working day left, about what a unit needs to react.
DUE_SOON = timedelta(hours=24)
LEFT_CHOICES = [("overdue", "已超期"), ("today", "今天到期"), ("soon", "24小时内到期"), ("later", "24小时以后")]
# Phone-like input is not searched from a URL: a number in a URL stays in every access log.
PHONE_LIKE = re.compile(r"\+?[\d\s()（）-]{7,}")
ORDER_NUMBER = re.compile(r"\d{1,6}|\d{6}-\d{0,5}")  # 261130-00042 and its prefixes


@dataclass
class Filters:
    q: str = ""
    matter: str = ""
    district: int | None = None
    unit: str = ""
    left: str = ""
    error: str = ""

    def query_string(self) -> str:
        pairs = [
            ("q", self.q),
            ("matter", self.matter),
            ("district", self.district or ""),
            ("unit", self.unit),
            ("left", self.left),
        ]
        return urlencode([(k, v) for k, v in pairs if v])

    @property
    def active(self) -> bool:
        return bool(self.q or self.matter or self.district or self.unit or self.left)


def read_filters(params) -> Filters:
    """The filters of a GET request; what cannot be read is dropped with a message, never a 500."""
    f = Filters(
        q=(params.get("q") or "").strip()[:100],
        matter=(params.get("matter") or "").strip()[:80],
        unit=(params.get("unit") or "").strip()[:100],
        left=params.get("left") or "",
    )
    if f.q and PHONE_LIKE.fullmatch(f.q) and not ORDER_NUMBER.fullmatch(f.q):
        f.error, f.q = _("请在“工单”页按来电号码查询：号码不能出现在网址中。"), ""
    if f.left not in dict(LEFT_CHOICES):
        f.left = ""
    try:
        f.district = (
            validation.parse_int(
                "district", params.get("district") or None, default=0, minimum=0, maximum=validation.MAX_BIGINT
            )
            or None
        )
    except validation.InvalidInput:
        f.error = _("“区”参数无效，已忽略。")
    return f


def left_bounds(left: str, now: datetime, column: str = "due") -> dict:
    """The time-left filter as range lookups on `column`, the list's limit column (index-friendly)."""
    end_of_day = datetime.combine(
        timezone.localtime(now).date() + timedelta(days=1), time.min, timezone.get_current_timezone()
    )
    ranges = {
        "overdue": {"lt": now},
        "today": {"gte": now, "lt": end_of_day},
        "soon": {"gte": now, "lt": now + DUE_SOON},
        "later": {"gte": now + DUE_SOON},
    }.get(left, {})
    return {f"{column}__{op}": value for op, value in ranges.items()}


def apply(
    qs,
    f: Filters,
    *,
    order: str = "order__",
    due: str | None = None,
    unit: str | None = None,
    now: datetime | None = None,
):
    """Narrow `qs` by the filters. `order` is the path to the WorkOrder, `due` the limit column,
    `unit` the path to the Unit the row is about (None: the list has no unit column)."""
    now = now or timezone.now()
    if f.q:
        if ORDER_NUMBER.fullmatch(f.q):
            qs = qs.filter(**{f"{order}number__startswith": f.q})
        else:
            qs = qs.filter(**{f"{order}content__contains": f.q})
    if f.matter:
        qs = qs.filter(**{f"{order}matter_code": f.matter})
    if f.district:
        qs = qs.filter(**{f"{order}district_id": f.district})
    if f.unit and unit is not None:
        qs = qs.filter(**{f"{unit}name__contains": f.unit})
    if f.left and due is not None:
        qs = qs.filter(**left_bounds(f.left, now, column=due))
    return qs


def paginate(request, qs, *, per_page: int = PER_PAGE):
    """A page of `qs` with the true count of `qs` (Django's paginator counts the same query)."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def time_left(due: datetime | None, now: datetime | None = None) -> tuple[str, str]:
    """(state, text): state is overdue, due_soon, ok or none; text is Chinese, e.g. 剩余2天3小时."""
    if due is None:
        return "none", "—"
    left = due - (now or timezone.now())
    seconds = int(abs(left).total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    text = f"{days}天{hours}小时" if days else f"{hours}小时{rest // 60}分"
    if left < timedelta(0):
        return "overdue", f"超期{text}"
    return ("due_soon" if left < DUE_SOON else "ok"), f"剩余{text}"


def choices_context(*, matters: bool = True, districts: bool = True) -> dict:
    """The options of the filter bar: matters by name, districts by name."""
    ctx: dict = {"left_choices": LEFT_CHOICES}
    if matters:
        from jiesu.dispatch.runtime import current_engine

        ctx["matter_choices"] = matter_choices(current_engine().rules.matters)
    if districts:
        from jiesu.directory.models import Place
        from jiesu.engine import places

        ctx["district_choices"] = list(
            Place.objects.filter(level=places.DISTRICT).order_by("name").values_list("pk", "name")
        )
    return ctx


def matter_choices(matters) -> list[tuple[str, list[tuple[str, str]]]]:
    """Matters grouped by their first-level field, sorted by name: 196 options in code order
    were unreadable, and the code means nothing to the person choosing."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for m in matters:
        group = m.path[0] if m.path else _("其他")
        label = " > ".join((*m.path[1:], m.name))
        groups.setdefault(group, []).append((m.code, label))
    return [(g, sorted(items, key=lambda i: i[1])) for g, items in sorted(groups.items())]


def matter_label(code: str) -> str:
    """A matter's name for people (the code stays internal): 环境保护 > 大气污染 > 餐饮油烟."""
    if not code:
        return "—"
    from jiesu.dispatch.runtime import current_engine

    m = current_engine().rules.matter(code)
    # A matter retired from the catalog since: still not its code.
    return m.full_name if m else _("已停用的事项")


REQUIREMENT_ID = re.compile(r"\s*[（(]?(?<![A-Za-z0-9])R\d+\.\d+(?:\s*[、,，/]\s*R?\d+\.\d+)*[）)]?")


def without_requirement_ids(text) -> str:
    """Text without the regulation's requirement ids ("（R11.3）", "R7.1"): those are for the
    code and its tests, not for the people reading a screen or an export."""
    return REQUIREMENT_ID.sub("", str(text or "")) if text else text
