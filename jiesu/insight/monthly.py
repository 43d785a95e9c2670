"""每月一题 (R24.1): candidates ranked from the month's orders, the monthly topic's changes (one
service function per change, each writing its MonthlyTopicEvent in the same transaction), who
sees what, and the effect measured from the orders themselves.

Candidates are matters (the taxonomy's leaves) of the month, scored in a handful of GROUP BY
queries: the cost is the month's orders read once by the database, never a Python loop over
orders, so a month of a million-order history ranks in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from jiesu.core import redact, roles
from jiesu.directory.models import Place, Unit
from jiesu.engine import units as unit_kinds
from jiesu.orders.models import WorkOrder

from . import selectors
from .models import MonthlyTopic, MonthlyTopicEvent, TaskReport, TopicTask

# Who may do what ------------------------------------------------------------------------------

# Centre supervisors and the bureau's leadership choose topics and steer them: the deciders.
MANAGE_ROLES = roles.DECIDER_ROLES
# Read every topic (and the candidates): those who manage, the centre's analysts, the city's oversight.
READ_ALL_ROLES = MANAGE_ROLES | {roles.ANALYST, roles.CITY_OVERSIGHT}

LEVEL_OF_KIND = {
    unit_kinds.MUNICIPAL_GOV: TopicTask.CITY,
    unit_kinds.CITY_DEPARTMENT: TopicTask.CITY,
    unit_kinds.ENTERPRISE: TopicTask.CITY,
    unit_kinds.DISTRICT_GOV: TopicTask.DISTRICT,
    unit_kinds.DISTRICT_DEPARTMENT: TopicTask.DISTRICT,
    unit_kinds.SUBDISTRICT_OFFICE: TopicTask.TOWNSHIP,
    unit_kinds.COMMUNITY_COMMITTEE: TopicTask.TOWNSHIP,
}


def may_manage(user) -> bool:
    return roles.has_role(user, MANAGE_ROLES)


def reads_all(user) -> bool:
    return roles.has_role(user, READ_ALL_ROLES)


def _district_of(user) -> int | None:
    return roles.oversight_district_id(user) if user.role == roles.DISTRICT_OVERSIGHT else None


def may_see_monthly_topics(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return reads_all(user) or bool(_district_of(user)) or (user.role in roles.UNIT_ROLES and bool(user.unit_id))


def topics_visible_to(user) -> QuerySet[MonthlyTopic]:
    """Every topic for the centre and the city; a district's oversight those with a task of one
    of its units or a place in it; a unit those it leads or has a task in."""
    qs = MonthlyTopic.objects.select_related("lead_unit")
    if reads_all(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    district = _district_of(user)
    if district:
        ids = MonthlyTopic.objects.filter(
            Q(tasks__unit__district_id=district)
            | Q(tasks__unit__territory_id=district)
            | Q(places__id=district)
            | Q(places__district_id=district)
            | Q(lead_unit__district_id=district)
        ).values("pk")
        return qs.filter(pk__in=ids)
    if user.role in roles.UNIT_ROLES and user.unit_id:
        ids = MonthlyTopic.objects.filter(Q(tasks__unit_id=user.unit_id) | Q(lead_unit_id=user.unit_id)).values("pk")
        return qs.filter(pk__in=ids)
    return qs.none()


def tasks_visible_to(user, topic: MonthlyTopic) -> QuerySet[TopicTask]:
    """A unit sees its own tasks only; a district's oversight the tasks of its district's units."""
    qs = topic.tasks.select_related("unit")
    if reads_all(user):
        return qs
    district = _district_of(user)
    if district:
        return qs.filter(Q(unit__district_id=district) | Q(unit__territory_id=district))
    if user.role in roles.UNIT_ROLES and user.unit_id:
        return qs.filter(unit_id=user.unit_id)
    return qs.none()


def _require_manager(actor) -> None:
    if not may_manage(actor):
        raise PermissionDenied("只有中心督办员和政务服务局管理员可以管理每月一题。")


# Candidates -----------------------------------------------------------------------------------

MIN_ORDERS = 5  # fewer orders in a month is not a city's recurring problem
MIN_VISITS = 3  # a dissatisfaction rate over fewer evaluations says nothing
WEIGHTS = {"volume": 35, "growth": 20, "repeat": 15, "dissatisfaction": 20, "spread": 10}


@dataclass
class Candidate:
    matter_code: str
    matter: str
    orders: int
    previous: int
    repeat_callers: int  # callers who called more than once on this matter this month
    repeat_orders: int  # the orders those callers filed
    visited: int  # orders whose return visit recorded an evaluation
    unsatisfied: int
    districts: int
    townships: int
    top_places: list[tuple[str, int]] = field(default_factory=list)
    month: str = ""  # the month of the data, "2026-11"
    district: str = ""  # the district it was ranked in; "" for the whole city
    points: dict[str, float] = field(default_factory=dict)
    rank: int = 0

    @property
    def score(self) -> float:
        return round(sum(self.points.values()), 1)

    @property
    def growth(self) -> int:
        return self.orders - self.previous

    @property
    def growth_pct(self) -> float | None:
        return round(100.0 * self.growth / self.previous, 1) if self.previous else None

    @property
    def unsatisfied_pct(self) -> float | None:
        return round(100.0 * self.unsatisfied / self.visited, 1) if self.visited else None

    def figures(self) -> dict:
        """What the record keeps of why it was chosen."""
        return {
            "month": self.month,
            "district": self.district,
            "matter_code": self.matter_code,
            "matter": self.matter,
            "orders": self.orders,
            "previous": self.previous,
            "repeat_callers": self.repeat_callers,
            "repeat_orders": self.repeat_orders,
            "visited": self.visited,
            "unsatisfied": self.unsatisfied,
            "districts": self.districts,
            "townships": self.townships,
            "top_places": [list(p) for p in self.top_places],
            "points": self.points,
            "score": self.score,
            "rank": self.rank,
        }


def month_bounds(month: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime(month.year, month.month, 1, tzinfo=tz)
    nxt = datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=tz)
    return start, nxt


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(text: str | None, default: date | None = None) -> date:
    """'2026-11' -> date(2026, 11, 1); ValidationError naming the field otherwise."""
    if not text:
        if default is None:
            raise ValidationError({"month": ["请选择月份。"]})
        return default
    try:
        year, month = (int(p) for p in str(text).strip().split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise ValidationError({"month": [f"月份“{str(text)[:20]}”格式不对，应为 2026-11 这样的年-月。"]}) from None


def candidates(month: date, *, district: Place | None = None, limit: int = 30) -> list[Candidate]:
    """The month's matters ranked by a weighted score of volume, growth on the month before,
    repeat callers, dissatisfaction at return visits and spread over townships. `district`:
    the same ranking inside one district."""
    from jiesu.followup.models import UNSATISFIED, ReturnVisit

    start, end = month_bounds(month)
    prev_start, _ = month_bounds(previous_month(month))
    base = WorkOrder.objects.exclude(matter_code="")
    if district is not None:
        base = base.filter(district_id=district.pk)
    this = base.filter(received_at__gte=start, received_at__lt=end)
    rows = {
        r["matter_code"]: r
        for r in this.values("matter_code")
        .annotate(
            n=Count("pk"),
            districts=Count("district_id", distinct=True),
            townships=Count("subdistrict_id", distinct=True),
        )
        .filter(n__gte=MIN_ORDERS)
    }
    if not rows:
        return []
    codes = list(rows)
    previous = dict(
        base.filter(received_at__gte=prev_start, received_at__lt=start, matter_code__in=codes)
        .values("matter_code")
        .annotate(n=Count("pk"))
        .values_list("matter_code", "n")
    )
    repeats: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, n in (
        this.filter(matter_code__in=codes)
        .exclude(requester_phone_index="")
        .values("matter_code", "requester_phone_index")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("matter_code", "n")
    ):
        repeats[code][0] += 1
        repeats[code][1] += n
    visits = {
        r["order__matter_code"]: r
        for r in ReturnVisit.objects.filter(order__in=this.filter(matter_code__in=codes))
        .exclude(satisfaction="")
        .values("order__matter_code")
        .annotate(
            visited=Count("order_id", distinct=True),
            unsatisfied=Count("order_id", distinct=True, filter=Q(satisfaction=UNSATISFIED)),
        )
    }
    place_level = "subdistrict" if district is not None else "district"
    places: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for code, place_id, n in (
        this.filter(matter_code__in=codes)
        .exclude(**{f"{place_level}_id": None})
        .values("matter_code", f"{place_level}_id")
        .annotate(n=Count("pk"))
        .values_list("matter_code", f"{place_level}_id", "n")
    ):
        places[code].append((place_id, n))
    place_names = dict(
        Place.objects.filter(pk__in={p for v in places.values() for p, _ in v}).values_list("pk", "name")
    )
    names = selectors.matter_names()
    found = []
    for code, r in rows.items():
        v = visits.get(code, {})
        top = sorted(places[code], key=lambda p: -p[1])[:3]
        found.append(
            Candidate(
                matter_code=code,
                matter=selectors.matter_name(code, names),
                orders=r["n"],
                previous=previous.get(code, 0),
                repeat_callers=repeats[code][0],
                repeat_orders=repeats[code][1],
                visited=v.get("visited", 0),
                unsatisfied=v.get("unsatisfied", 0),
                districts=r["districts"],
                townships=r["townships"],
                top_places=[(place_names.get(p, ""), n) for p, n in top],
                month=f"{month:%Y-%m}",
                district=district.name if district is not None else "",
            )
        )
    _score(found)
    found.sort(key=lambda c: (-c.score, -c.orders, c.matter_code))
    for i, c in enumerate(found, start=1):
        c.rank = i
    return found[:limit]


def _score(found: list[Candidate]) -> None:
    """Each measure scaled to 0..1 and weighted: volume and spread against the month's busiest
    matter, growth as the rise on last month (doubling or more counts in full), repeats as the
    share of orders from repeat callers, dissatisfaction as the share of evaluations that were
    不满意 (only over MIN_VISITS evaluations or more)."""
    top_volume = max(c.orders for c in found)
    top_spread = max(c.townships for c in found) or 1
    for c in found:
        measures = {
            "volume": c.orders / top_volume,
            "growth": min(1.0, max(0.0, c.growth / max(c.previous, MIN_ORDERS))),
            "repeat": c.repeat_orders / c.orders,
            "dissatisfaction": c.unsatisfied / c.visited if c.visited >= MIN_VISITS else 0.0,
            "spread": c.townships / top_spread,
        }
        c.points = {k: round(WEIGHTS[k] * m, 1) for k, m in measures.items()}


# Changes ------------------------------------------------------------------------------------


def _event(topic: MonthlyTopic, action: str, *, actor, data: dict | None = None, task: TopicTask | None = None) -> None:
    MonthlyTopicEvent.objects.create(
        topic=topic,
        task=task,
        at=timezone.now(),
        action=action,
        data=data or {},
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _text(value: str, field_name: str, label: str, *, required: bool = True, limit: int = 5000) -> str:
    """Free text written by the centre or a unit: required, bounded, and without a person's
    identity (R8.3: identities live encrypted with the order, never in prose)."""
    value = (value or "").strip()
    if not value:
        if required:
            raise ValidationError({field_name: [f"请填写{label}。"]})
        return ""
    if len(value) > limit:
        raise ValidationError({field_name: [f"{label}最多{limit}字（现有{len(value)}字）。"]})
    found = redact.find(value, precise=True)
    if found:
        raise ValidationError({field_name: [redact.entry_message(label, found)]})
    return value


def _locked(topic: MonthlyTopic) -> MonthlyTopic:
    return MonthlyTopic.objects.select_for_update().get(pk=topic.pk)


def _refuse_closed(topic: MonthlyTopic) -> None:
    if topic.state == MonthlyTopic.CLOSED:
        raise ValidationError({"state": ["本题已办结，不能再修改。"]})


@transaction.atomic
def choose_topic(
    *,
    actor,
    month: date,
    title: str,
    matter_codes: list[str] = (),
    places: list[Place] = (),
    keywords: list[str] = (),
    lead_unit: Unit | None = None,
    candidate: Candidate | None = None,
) -> MonthlyTopic:
    """A topic for `month`: from a ranked candidate (its figures are kept) or written by the centre."""
    from jiesu.catalog.models import Matter

    _require_manager(actor)
    title = _text(title, "title", "题目", limit=100)
    matter_codes = list(dict.fromkeys(c for c in matter_codes if c))
    unknown = set(matter_codes) - set(Matter.objects.filter(code__in=matter_codes).values_list("code", flat=True))
    if unknown:
        raise ValidationError({"matters": [f"没有这些事项：{'、'.join(sorted(unknown))}。"]})
    keywords = list(dict.fromkeys(k.strip() for k in keywords if k and k.strip()))
    if any(len(k) > 20 for k in keywords) or len(keywords) > 10:
        raise ValidationError({"keywords": ["关键词最多10个，每个最多20字。"]})
    if not matter_codes and not keywords:
        raise ValidationError({"matters": ["请至少选择一个事项或填写一个关键词：效果评估据此统计工单。"]})
    today = timezone.localdate()
    if not (date(2000, 1, 1) <= month <= today.replace(day=1) + timedelta(days=62)):
        raise ValidationError({"month": ["月份应为过去的月份、本月或下月。"]})
    topic = MonthlyTopic.objects.create(
        month=month.replace(day=1),
        title=title,
        matter_codes=matter_codes,
        keywords=keywords,
        lead_unit=lead_unit,
        source=MonthlyTopic.FROM_CANDIDATE if candidate else MonthlyTopic.FROM_CENTRE,
        candidate_figures=candidate.figures() if candidate else {},
        created_at=timezone.now(),
        created_by=actor,
    )
    topic.places.set(places)
    _event(
        topic,
        "chosen",
        actor=actor,
        data={
            "title": title,
            "month": f"{topic.month:%Y-%m}",
            "matters": matter_codes,
            "keywords": keywords,
            "places": [p.name for p in places],
            "lead_unit": lead_unit.name if lead_unit else "",
            "score": candidate.score if candidate else None,
        },
    )
    return topic


@transaction.atomic
def record_study(topic: MonthlyTopic, *, actor, study: str) -> MonthlyTopic:
    """The study (调研): what the centre and the lead unit found. A later study replaces the
    shown text; each one stays in the history."""
    _require_manager(actor)
    topic = _locked(topic)
    _refuse_closed(topic)
    topic.study = _text(study, "study", "调研情况")
    if topic.state == MonthlyTopic.CHOSEN:
        topic.state = MonthlyTopic.STUDYING
    topic.save(update_fields=["study", "state"])
    _event(topic, "study_recorded", actor=actor, data={"study": topic.study})
    return topic


@transaction.atomic
def adopt_plan(topic: MonthlyTopic, *, actor, plan: str, lead_unit: Unit | None) -> MonthlyTopic:
    """The plan (方案) and its lead unit. The first adoption starts the work (and divides the
    effect's before from its after); a later one is a revision."""
    _require_manager(actor)
    topic = _locked(topic)
    _refuse_closed(topic)
    if not topic.study:
        raise ValidationError({"plan": ["请先报送调研情况，再制定工作方案。"]})
    plan = _text(plan, "plan", "工作方案")
    if lead_unit is None:
        raise ValidationError({"lead_unit": ["请选择牵头单位。"]})
    first = topic.state != MonthlyTopic.IMPLEMENTING
    topic.plan, topic.lead_unit = plan, lead_unit
    if first:
        topic.state, topic.started_at = MonthlyTopic.IMPLEMENTING, timezone.now()
    topic.save(update_fields=["plan", "lead_unit", "state", "started_at"])
    _event(
        topic,
        "plan_adopted" if first else "plan_revised",
        actor=actor,
        data={"plan": plan, "lead_unit": lead_unit.name},
    )
    return topic


@transaction.atomic
def assign_task(topic: MonthlyTopic, *, actor, unit: Unit | None, description: str, deadline: date | None) -> TopicTask:
    """A task for one city, district or township unit, with its own deadline (the level follows the unit)."""
    _require_manager(actor)
    topic = _locked(topic)
    _refuse_closed(topic)
    if unit is None:
        raise ValidationError({"unit": ["请选择责任单位。"]})
    level = LEVEL_OF_KIND.get(unit.kind)
    if level is None or not unit.active:
        raise ValidationError({"unit": [f"“{unit.name}”不是市、区或街乡镇的承办单位，不能承担任务。"]})
    description = _text(description, "description", "任务内容", limit=2000)
    today = timezone.localdate()
    if deadline is None:
        raise ValidationError({"deadline": ["请填写完成期限。"]})
    if deadline < today:
        raise ValidationError({"deadline": [f"完成期限 {deadline:%Y-%m-%d} 已经过去。"]})
    if deadline > today + timedelta(days=366):
        raise ValidationError({"deadline": ["完成期限不能超过一年。"]})
    task = TopicTask.objects.create(
        topic=topic, unit=unit, level=level, description=description, deadline=deadline, assigned_at=timezone.now()
    )
    _event(
        topic,
        "task_assigned",
        actor=actor,
        task=task,
        data={
            "unit": unit.name,
            "level": task.get_level_display(),
            "deadline": f"{deadline:%Y-%m-%d}",
            "description": description,
        },
    )
    _notify_unit(task)
    return task


def _notify_unit(task: TopicTask) -> None:
    from jiesu.notifications import services as notify

    notify.notify_unit(
        task.unit,
        kind="monthly_topic_task",
        title=gettext("每月一题任务：%(title)s") % {"title": task.topic.title},
        body=gettext("完成期限：%(deadline)s") % {"deadline": f"{task.deadline:%Y-%m-%d}"} + f"\n{task.description}",
        params={"task": task.pk, "topic": task.topic_id},
    )


@transaction.atomic
def report_progress(
    task: TopicTask,
    *,
    actor,
    text: str,
    progress: int | str | None,
    done: bool = False,
    corrects: TaskReport | None = None,
) -> TaskReport:
    """A unit reports on its own task. `corrects`: an earlier report of this task that was wrong
    (it stays; the new one says what it corrects)."""
    if not (
        getattr(actor, "is_authenticated", False) and actor.role in roles.UNIT_ROLES and actor.unit_id == task.unit_id
    ):
        raise PermissionDenied("只有责任单位本身可以报送这项任务的进展。")
    task = TopicTask.objects.select_for_update().select_related("topic").get(pk=task.pk)
    topic = task.topic
    if topic.state != MonthlyTopic.IMPLEMENTING:
        raise ValidationError({"state": [f"本题{topic.get_state_display()}，现在不能报送进展。"]})
    text = _text(text, "text", "进展情况", limit=2000)
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": ["完成进度应为0到100之间的整数。"]}) from None
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": ["完成进度应为0到100之间的整数。"]})
    if done:
        progress = 100
    if corrects is not None and corrects.task_id != task.pk:
        raise ValidationError({"corrects": ["只能更正本任务的报送。"]})
    if task.state == TopicTask.DONE and corrects is None:
        raise ValidationError({"state": ["任务已完成；如需更正，请选择要更正的报送。"]})
    report = TaskReport.objects.create(
        task=task, at=timezone.now(), author=actor, text=text, progress=progress, done=done, corrects=corrects
    )
    task.progress = progress
    task.state = TopicTask.DONE if done else TopicTask.WORKING
    task.save(update_fields=["progress", "state"])
    _event(
        topic,
        "progress_corrected" if corrects else "progress_reported",
        actor=actor,
        task=task,
        data={
            "unit": task.unit.name,
            "progress": progress,
            "done": done,
            "report": report.pk,
            "corrects": corrects.pk if corrects else None,
        },
    )
    return report


@transaction.atomic
def close_topic(topic: MonthlyTopic, *, actor, note: str) -> MonthlyTopic:
    _require_manager(actor)
    topic = _locked(topic)
    if topic.state != MonthlyTopic.IMPLEMENTING:
        raise ValidationError({"state": [f"本题{topic.get_state_display()}，只有推进中的题目可以办结。"]})
    topic.closing_note = _text(note, "note", "办结说明", limit=2000)
    topic.state, topic.closed_at = MonthlyTopic.CLOSED, timezone.now()
    topic.save(update_fields=["closing_note", "state", "closed_at"])
    open_tasks = topic.tasks.exclude(state=TopicTask.DONE).count()
    _event(topic, "closed", actor=actor, data={"note": topic.closing_note, "open_tasks": open_tasks})
    return topic


# The effect -----------------------------------------------------------------------------------

EFFECT_WINDOWS = (30, 60, 90)


def matching_orders(topic: MonthlyTopic) -> QuerySet[WorkOrder]:
    """The orders on this topic, found by its rule: its matters, in its places, with its words."""
    qs = WorkOrder.objects.all()
    if topic.matter_codes:
        qs = qs.filter(matter_code__in=topic.matter_codes)
    place_ids = list(topic.places.values_list("pk", flat=True))
    if place_ids:
        qs = qs.filter(Q(district_id__in=place_ids) | Q(subdistrict_id__in=place_ids) | Q(community_id__in=place_ids))
    if topic.keywords:
        words = Q()
        for word in topic.keywords:
            words |= Q(content__contains=word)
        qs = qs.filter(words)
    return qs


@dataclass
class Effect:
    pivot: datetime
    window_days: int
    before: int
    after: int
    after_days: float  # the after window can be younger than the before one
    before_unsatisfied: int
    before_visited: int
    after_unsatisfied: int
    after_visited: int
    months: list[str]
    monthly: list[int]
    started: bool  # False: no plan yet; "after" is the time since the topic was chosen

    @property
    def before_rate(self) -> float:
        return round(self.before * 30.0 / self.window_days, 1)

    @property
    def after_rate(self) -> float | None:
        return round(self.after * 30.0 / self.after_days, 1) if self.after_days >= 1 else None

    @property
    def change_pct(self) -> float | None:
        if self.after_rate is None or not self.before:
            return None
        return round(100.0 * (self.after_rate - self.before_rate) / self.before_rate, 1)

    def chart(self) -> dict:
        return {
            "labels": ["方案启动前", "方案启动后"],
            "rates": [self.before_rate, self.after_rate or 0],
            "counts": [self.before, self.after],
            "months": self.months,
            "monthly": self.monthly,
        }


def measure_effect(topic: MonthlyTopic, *, window_days: int = 30, now: datetime | None = None) -> Effect:
    """Orders on the topic in the `window_days` before the plan started and since (up to as
    many days after), counted from the orders now, with their return-visit evaluations; and the
    monthly counts from six months before the topic's month to now."""
    from jiesu.followup.models import UNSATISFIED, ReturnVisit

    now = now or timezone.now()
    pivot = topic.started_at or topic.created_at
    window = timedelta(days=window_days)
    after_end = min(pivot + window, now)
    orders = matching_orders(topic)
    before_qs = orders.filter(received_at__gte=pivot - window, received_at__lt=pivot)
    after_qs = orders.filter(received_at__gte=pivot, received_at__lt=after_end) if after_end > pivot else orders.none()

    def evaluations(qs) -> tuple[int, int]:
        got = (
            ReturnVisit.objects.filter(order__in=qs)
            .exclude(satisfaction="")
            .aggregate(
                visited=Count("order_id", distinct=True),
                unsatisfied=Count("order_id", distinct=True, filter=Q(satisfaction=UNSATISFIED)),
            )
        )
        return got["unsatisfied"], got["visited"]

    bu, bv = evaluations(before_qs)
    au, av = evaluations(after_qs)
    first = topic.month
    for _ in range(6):
        first = previous_month(first)
    start, _end = month_bounds(first)
    tz = timezone.get_current_timezone()
    counts = {
        timezone.localtime(m, tz).strftime("%Y-%m") if isinstance(m, datetime) else m.strftime("%Y-%m"): n
        for m, n in orders.filter(received_at__gte=start, received_at__lt=now)
        .annotate(m=TruncMonth("received_at", tzinfo=tz))
        .values("m")
        .annotate(n=Count("pk"))
        .values_list("m", "n")
    }
    months, month = [], first
    local_now = timezone.localdate(now)
    while month <= local_now:
        months.append(month.strftime("%Y-%m"))
        month = month_bounds(month)[1].date()
    return Effect(
        pivot=pivot,
        window_days=window_days,
        before=before_qs.count(),
        after=after_qs.count(),
        after_days=max(0.0, (after_end - pivot).total_seconds() / 86400.0),
        before_unsatisfied=bu,
        before_visited=bv,
        after_unsatisfied=au,
        after_visited=av,
        months=months,
        monthly=[counts.get(m, 0) for m in months],
        started=topic.started_at is not None,
    )
