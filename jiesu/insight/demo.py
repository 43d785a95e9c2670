"""Demo content for insight, for `jiesu demo` to call (the demo package is not ours to change):
a burst of water-outage calls in one Wangjing community and one stability-risk call, filed the way
call-takers file them, then one alert check, so a fresh demo shows alerts and unit notifications.

    from jiesu.insight.demo import add_alert_demo
    add_alert_demo(call_taker)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from . import services

if TYPE_CHECKING:
    from .models import MonthlyTopic

WATER = [
    "朝阳区望京街道望京西园三区从早上开始停水了，家里没水做饭",
    "望京街道望京西园三区停水了，什么时候来水？",
    "朝阳区望京西园三区突然停水，没有任何通知",
    "望京西园三区小区停水两个小时了，老人孩子都等着用水",
    "朝阳区望京街道望京西园三区自来水停了，水龙头不出水",
]
RISK = "朝阳区望京街道一个工地拖欠我们几十个工人的工资半年了，明天大家准备去区政府门口拉横幅"


def add_alert_demo(call_taker, *, water_calls: int = 12) -> services.CheckResult:
    from jiesu.intake.services import decide_or_leave_for_review
    from jiesu.orders import services as orders

    for i, text in enumerate([WATER[i % len(WATER)] for i in range(water_calls)] + [RISK]):
        with transaction.atomic():
            order = orders.create_order(
                orders.IntakeData(channel="phone", kind="complaint", content=text, requester_phone=f"1380000{i:04d}"),
                actor=call_taker,
            )
            decide_or_leave_for_review(order, locked=True)
    return services.check_alerts()


# 每月一题 (R24.1) -----------------------------------------------------------------------------


def add_month_topic_demo(supervisor, handler, *, district_name: str = "朝阳区") -> MonthlyTopic | None:
    """Last month's top candidate in the demo district chosen as this month's topic, studied,
    planned, with tasks for a city department, the district government and the demo township,
    and the township's first progress reports: every step the service a person's click calls.
    None when the history is too small to rank a candidate."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from jiesu.directory.models import Place, Unit
    from jiesu.engine import units as unit_kinds
    from jiesu.orders.models import OrderUnit

    from . import monthly
    from .models import MonthlyTopic  # noqa: F401  (the return annotation)

    district = Place.objects.filter(level="district", name=district_name).first()
    today = timezone.localdate()
    month = monthly.previous_month(today)
    if supervisor is None:
        return None
    # A small history may rank nothing in one district for one month: widen to the city, then to
    # this month; failing all, the centre writes the topic on the busiest matter of the quarter.
    local = monthly.candidates(month, district=district, limit=1)
    found = local or monthly.candidates(month, limit=1) or monthly.candidates(today.replace(day=1), limit=1)
    top = found[0] if found else None
    if top is None:
        from jiesu.orders.models import WorkOrder

        row = (
            WorkOrder.objects.filter(received_at__gte=timezone.now() - timedelta(days=90))
            .exclude(matter_code="")
            .values("matter_code")
            .annotate(n=Count("pk"))
            .order_by("-n", "matter_code")
            .first()
        )
        if row is None:
            return None
        top = monthly.Candidate(
            matter_code=row["matter_code"],
            matter=monthly.selectors.matter_name(row["matter_code"]),
            orders=row["n"],
            previous=0,
            repeat_callers=0,
            repeat_orders=0,
            visited=0,
            unsatisfied=0,
            districts=0,
            townships=0,
        )
        chosen_from_data = False
    else:
        chosen_from_data = True
    # The city department that led most orders of the matter is the natural lead.
    led = (
        OrderUnit.objects.filter(order__matter_code=top.matter_code, role="lead", unit__kind=unit_kinds.CITY_DEPARTMENT)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    city = Unit.objects.filter(pk=led["unit_id"]).first() if led else None
    if city is None:
        # Else the city department of the sector the dispatch catalog names for the matter.
        from jiesu.catalog.models import CatalogEntry

        sectors = {
            part.get("sector")
            for entry in CatalogEntry.objects.filter(matter_code=top.matter_code)
            for part in [entry.lead, *entry.assist]
            if isinstance(part, dict) and part.get("sector")
        }
        city = (
            Unit.objects.filter(
                kind__in=[unit_kinds.CITY_DEPARTMENT, unit_kinds.ENTERPRISE], active=True, sector__in=sectors
            )
            .order_by("kind", "code")
            .first()
            or Unit.objects.filter(kind=unit_kinds.CITY_DEPARTMENT, active=True).order_by("code").first()
        )
    district_gov = Unit.objects.filter(kind=unit_kinds.DISTRICT_GOV, active=True, district=district).first()
    township = handler.unit if handler is not None else None
    where = district_name if local else "全市"
    topic = monthly.choose_topic(
        actor=supervisor,
        month=today.replace(day=1),
        title=f"{where}{top.matter}问题集中治理",
        matter_codes=[top.matter_code],
        places=[district] if local and district else [],
        candidate=top if chosen_from_data else None,
    )
    topic = monthly.record_study(
        topic,
        actor=supervisor,
        study=(
            f"{top.matter}诉求近期{top.orders}件，多集中在老旧小区。会同牵头单位走访了诉求集中的街乡镇，问题多在老旧小区，"
            "产权和管理责任不清，单件工单办结后同类问题反复出现。"
        ),
    )
    topic = monthly.adopt_plan(
        topic,
        actor=supervisor,
        lead_unit=district_gov or city,
        plan=(
            "一、区政府牵头，按街乡镇建立问题台账，逐个小区明确责任主体；二、市级主管部门出台处理指引，"
            "统一标准；三、街乡镇每周报送进展，中心按月对比诉求量和满意率评估成效。"
        ),
    )
    tasks = []
    for unit, days, text in (
        (city, 30, "制定并下发本领域处理指引，明确各方责任和办理标准。"),
        (district_gov, 21, "组织各街乡镇排查问题小区，建立台账并协调解决资金和产权问题。"),
        (township, 14, "逐一走访诉求集中的小区，对已办结工单回头看，问题未解决的重新办理。"),
    ):
        if unit is not None and unit.kind in monthly.LEVEL_OF_KIND:
            tasks.append(
                monthly.assign_task(
                    topic, actor=supervisor, unit=unit, description=text, deadline=today + timedelta(days=days)
                )
            )
    mine = next((t for t in tasks if handler is not None and t.unit_id == handler.unit_id), None)
    if mine is not None:
        first = monthly.report_progress(
            mine,
            actor=handler,
            progress=30,
            text=("已走访诉求最集中的三个小区，与物业和居委会逐户核实，形成问题清单12项，其中5项已当场解决。"),
        )
        monthly.report_progress(
            mine,
            actor=handler,
            progress=40,
            corrects=first,
            text=("更正：问题清单共12项，已解决6项（前次报送漏计一项），其余6项需区级部门协调资金。"),
        )
    return topic
