"""Read side of the assessment: rankings, trends, a unit's own scores and deductions (R31.1, R7.1).

Who sees what is decided here: the centre and analysts see every unit; a unit sees only itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count

from jiesu.core import roles

from . import core
from .models import GROUPS, Appeal, AssessmentRun, Deduction, UnitScore

VIEW_ALL_ROLES = frozenset(
    {roles.SUPERVISOR, roles.ANALYST, roles.BUREAU_ADMIN, roles.DISPATCHER, roles.CITY_OVERSIGHT}
)


def sees_all(user) -> bool:
    return roles.has_role(user, VIEW_ALL_ROLES)


def check_sees_all(user) -> None:
    if not sees_all(user):
        raise PermissionDenied("考核看板只对督办、分析人员开放；承办单位请查看本单位得分。")


def check_sees_unit(user, unit_id: int) -> None:
    if sees_all(user):
        return
    if getattr(user, "role", None) in roles.UNIT_ROLES and user.unit_id == unit_id:
        return
    if getattr(user, "role", None) == roles.DISTRICT_OVERSIGHT:
        # A district government checks the units of its own district (article 5), no others.
        from jiesu.directory.models import Unit

        district_id = roles.oversight_district_id(user)
        if district_id and Unit.objects.filter(pk=unit_id, district_id=district_id).exists():
            return
    raise PermissionDenied("只能查看本单位的考核结果。")


def runs():
    return AssessmentRun.objects.filter(current=True).order_by("-month")


def run_for(month) -> AssessmentRun | None:
    return AssessmentRun.objects.filter(month=month, current=True).first()


def ranking(run: AssessmentRun, group: str, *, district_id: int | None = None):
    qs = run.scores.filter(group=group, rank__isnull=False).select_related("unit", "unit__district")
    if district_id:
        qs = qs.filter(unit__district_id=district_id)
    return qs.order_by("rank", "unit__code")


def group_summary(run: AssessmentRun) -> list[dict]:
    rows = (
        run.scores.filter(rank__isnull=False)
        .values("group")
        .annotate(
            n=Count("id"),
            avg=Avg("score"),
            resp=Avg("response_rate"),
            res=Avg("resolution_rate"),
            sat=Avg("satisfaction_rate"),
        )
    )
    labels = dict(GROUPS)
    return [
        {**r, "label": str(labels[r["group"]])}
        for r in sorted(rows, key=lambda r: [g for g, _ in GROUPS].index(r["group"]))
    ]


def class_counts(run: AssessmentRun) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for group, klass, n in run.scores.filter(rank__isnull=False).values_list("group", "klass").annotate(n=Count("id")):
        out.setdefault(group, {})[core.CLASS_LABELS[klass]] = n
    return out


def trend(group: str, months: int = 12) -> list[dict]:
    """Average score and rates of a group over the last months (month-over-month trend)."""
    rows = (
        UnitScore.objects.filter(run__current=True, group=group, rank__isnull=False)
        .values("run__month")
        .annotate(avg=Avg("score"), sat=Avg("satisfaction_rate"), res=Avg("resolution_rate"), resp=Avg("response_rate"))
        .order_by("-run__month")[:months]
    )
    return list(reversed(rows))


def recognition(run: AssessmentRun):
    """R7.1: the month's best and most improved units in each group."""
    qs = run.scores.filter(rank__isnull=False).select_related("unit")
    return {
        "best": qs.filter(best=True).order_by("group", "unit__code"),
        "improved": qs.filter(most_improved=True).order_by("group", "unit__code"),
    }


def unit_history(unit_id: int, months: int = 12):
    return (
        UnitScore.objects.filter(unit_id=unit_id, run__current=True)
        .select_related("run")
        .order_by("-run__month")[:months]
    )


def unit_deductions(run: AssessmentRun, unit_id: int, limit: int = 500):
    return (
        Deduction.objects.filter(run=run, unit_id=unit_id).select_related("order").order_by("-loss", "order_id")[:limit]
    )


def appeals_of(unit_id: int | None = None):
    qs = Appeal.objects.select_related("order", "unit")
    return qs.filter(unit_id=unit_id) if unit_id else qs
