"""Today in the demo centre, through the real service functions (`jiesu demo`).

After the bulk history (jiesu.demo.orders) the demo users do what a morning brings: the engine
decides the orders that just came in (so the review queue shows its suggestions), the demo
unit signs, calls, asks for an extension, blows the whistle, escalates and objects, the
supervisor visits requesters and chases an overdue order, the monthly assessment is computed
for every month of the history, and the unit appeals a deduction. Every step is the service a
person's click would call, so every record and event is the product's own.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from jiesu.directory.models import Unit, User
from jiesu.engine import units as unit_kinds
from jiesu.orders import choices
from jiesu.orders.models import OrderUnit, WorkOrder

# (phone, kind, content, place): what a Beijing morning brings; the engine decides them below.
MORNING_CALLS = (
    (
        "13911112345",
        "complaint",
        "望京西园三区楼下的烧烤店每天营业到凌晨，油烟和噪音很大，孩子睡不着觉。",
        "朝阳区望京街道望京西园三区",
    ),
    (
        "13522223456",
        "help",
        "家里暖气从昨天开始不热了，室内只有十四度，家里有八十多岁的老人，请尽快派人来看。",
        "朝阳区望京街道花家地北里",
    ),
    ("18633334567", "consultation", "想咨询一下老年人优待卡怎么办理，需要带什么材料，在哪里办？", ""),
    (
        "010-64445678",
        "complaint",
        "小区门口的共享单车乱停乱放，把人行道和盲道都堵住了，好几天没人清理。",
        "朝阳区望京街道南湖西园",
    ),
)


def _step(out, label: str, fn, *args, **kwargs):
    """One demo step; a refusal by a service is reported and the demo goes on without it."""
    try:
        return fn(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        out.write(f"  demo step skipped ({label}): {'; '.join(getattr(exc, 'messages', [str(exc)]))}\n")
        return None


def _months_back(today: date, n: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    for _ in range(n):
        months.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(months)


def bring_to_life(out, *, months: int = 12) -> dict[str, int]:
    from jiesu.assessment import services as assessment
    from jiesu.assessment.models import Deduction
    from jiesu.dispatch import services as dispatch
    from jiesu.followup import models as visits_m
    from jiesu.followup import services as followup
    from jiesu.handling import services as handling
    from jiesu.handling.models import Supervision

    done: dict[str, int] = {}

    def count(key: str, result) -> None:
        if result is not None:
            done[key] = done.get(key, 0) + 1

    users = {
        u.username: u
        for u in User.objects.filter(username__in=["handler", "supervisor", "dispatcher", "unitadmin", "calltaker"])
    }
    handler, supervisor, call_taker = users.get("handler"), users.get("supervisor"), users.get("calltaker")

    # 0. This morning's first calls, taken by the call-taker.
    if call_taker:
        from jiesu.orders import services as orders

        for phone, kind, content, place in MORNING_CALLS:
            count(
                "intake",
                _step(
                    out,
                    "intake",
                    orders.create_order,
                    orders.IntakeData(
                        channel="phone", kind=kind, content=content, location_text=place, requester_phone=phone
                    ),
                    actor=call_taker,
                ),
            )

    # 1. The engine decides what came in since yesterday: confident orders go out, the rest wait
    #    for the dispatcher with the engine's suggestion and its reasons.
    for order in WorkOrder.objects.filter(status=choices.RECEIVED).order_by("received_at"):
        count("decided", _step(out, f"decide {order.number}", dispatch.decide_new_order, order))

    if handler and handler.unit_id:
        unit_id = handler.unit_id
        mine = WorkOrder.objects.filter(lead_unit_id=unit_id).order_by("due_at")
        # 2. The unit's morning: sign for new orders, call the requester, reply to one.
        for order in mine.filter(status=choices.DISPATCHED)[:2]:
            count("accepted", _step(out, "accept", handling.accept, order, actor=handler))
        in_progress = list(mine.filter(status=choices.IN_PROGRESS, due_at__gt=timezone.now()))
        if in_progress:
            order = in_progress[0]
            count(
                "extension",
                _step(
                    out,
                    "extension",
                    handling.request_extension,
                    order,
                    actor=handler,
                    extra_days=5,
                    reason="需协调产权单位共同出资维修，资金审批流程预计还需一周。",
                ),
            )
        if len(in_progress) > 1:
            order = in_progress[1]
            departments = list(
                Unit.objects.filter(
                    kind=unit_kinds.DISTRICT_DEPARTMENT, active=True, district_id=order.district_id
                ).order_by("code")[:2]
            )
            if departments:
                count(
                    "whistle",
                    _step(
                        out,
                        "whistle",
                        handling.blow_whistle,
                        order,
                        actor=handler,
                        departments=departments,
                        note="违法建设和占道经营交织，需城管、市场监管联合执法。",
                        hours=4,
                    ),
                )
        if len(in_progress) > 2:
            count(
                "escalation",
                _step(
                    out,
                    "escalate",
                    handling.escalate,
                    in_progress[2],
                    actor=handler,
                    level="district",
                    reason="已多次协调物业和产权单位未果，需区政府统筹协调。",
                ),
            )
        if len(in_progress) > 3:
            count(
                "objection",
                _step(
                    out,
                    "objection",
                    dispatch.raise_objection,
                    in_progress[3],
                    actor=handler,
                    grounds="duty",
                    reason="该路段由区市政管理部门负责养护，不属于街道职责范围。",
                    suggested_unit="朝阳区城市管理委员会",
                ),
            )
        if len(in_progress) > 4:
            order = in_progress[4]
            count(
                "contact",
                _step(
                    out,
                    "contact",
                    handling.record_contact,
                    order,
                    actor=handler,
                    method="phone",
                    outcome="reached",
                    note="再次电话联系诉求人，约定明天上午上门查看。",
                ),
            )
            count(
                "reply",
                _step(
                    out,
                    "reply",
                    handling.reply,
                    order,
                    actor=handler,
                    result="resolved",
                    public_text="经现场核实，已协调物业完成维修，诉求人表示认可。",
                    internal_notes="维修前后照片已存档。",
                ),
            )
        _more_of_the_morning(out, count, in_progress, handler, users.get("dispatcher"), supervisor)
        _help_asked_of_the_demo_unit(out, count, handler)
        _policy_help_asked_of_the_city_bureau(out, count)

    if supervisor:
        # 3. The supervisor chases the oldest overdue part and calls requesters back.
        overdue = (
            OrderUnit.objects.filter(
                active=True,
                finished_at__isnull=True,
                due_at__lt=timezone.now(),
                role="lead",
                order__status__in=choices.AT_UNIT_STATUSES,
            )
            .select_related("order")
            .order_by("due_at")
            .first()
        )
        if overdue:
            count(
                "supervised",
                _step(
                    out,
                    "supervise",
                    handling.supervise,
                    overdue.order,
                    actor=supervisor,
                    reason=Supervision.OVERDUE,
                    message="已超期，请今日内联系诉求人并答复。",
                    new_due=timezone.now() + timedelta(days=2),
                ),
            )
        pending = list(
            visits_m.ReturnVisit.objects.filter(state=visits_m.PENDING)
            .select_related("order")
            .order_by("queued_at")[:6]
        )
        answers = [
            (True, "resolved", "satisfied", "处理得很快，谢谢。"),
            (True, "resolved", "basic", "解决了，就是等了几天。"),
            (True, "unresolved", "unsatisfied", "只回了个电话，现场没人来看。"),
            (True, "partly", "basic", ""),
        ]
        for visit, (contacted, resolution, satisfaction, comments) in zip(pending, answers):
            count(
                "visited",
                _step(
                    out,
                    "visit",
                    followup.record_visit,
                    visit,
                    actor=supervisor,
                    contacted=contacted,
                    resolution=resolution,
                    satisfaction=satisfaction,
                    comments=comments,
                ),
            )
        if len(pending) > len(answers):
            count(
                "visit_attempt",
                _step(
                    out,
                    "visit attempt",
                    followup.record_attempt,
                    pending[len(answers)],
                    actor=supervisor,
                    outcome="no_answer",
                ),
            )

    # 4. The monthly assessment for every month of the history, oldest first (each compares
    #    itself with the month before), then the unit contests one of last month's deductions.
    today = timezone.localdate()
    for month in _months_back(today, months):
        count("assessment_runs", assessment.run_assessment(month))
    last_month = _months_back(today, 2)[0]
    if handler and handler.unit_id:
        deductions = (
            Deduction.objects.filter(run__month=last_month, run__current=True, unit_id=handler.unit_id)
            .select_related("order")
            .order_by("id")[:2]
        )
        for i, deduction in enumerate(deductions):
            appeal = _step(
                out,
                "appeal",
                assessment.file_appeal,
                deduction.order,
                actor=handler,
                month=last_month,
                reason="诉求人反映的问题属于物业合同纠纷，已依法告知诉讼渠道，不应计为未解决。",
            )
            count("appeals", appeal)
            if appeal and i == 1 and supervisor:
                count(
                    "appeals_decided",
                    _step(
                        out,
                        "decide appeal",
                        assessment.decide_appeal,
                        appeal,
                        actor=supervisor,
                        uphold=False,
                        note="回访录音显示单位未联系诉求人，维持扣分。",
                    ),
                )
    # 5. This month's 每月一题: the supervisor picks last month's top candidate, tasks go out, the
    #    demo township reports progress (jiesu.insight.demo).
    from jiesu.insight.demo import add_month_topic_demo

    count("month_topic", _step(out, "month topic", add_month_topic_demo, supervisor, handler))
    if supervisor and call_taker:
        _centre_quality(out, count, supervisor, call_taker, handler, today=timezone.localdate())
    # 6. The return-visit sweep the schedule runs every few minutes, once now: replied orders and
    #    those at their limit are in the visit queue on first login, as they are minutes later.
    done["visits_queued"] = followup.sweep()
    return done


# What the supervisor writes back to the call-taker on last week's sample, and the lessons of two
# typical cases for the training page.
QUALITY_FEEDBACK = "诉求地点只记录到街道，未问清具体小区和楼号，承办单位需再次联系诉求人核实，请注意追问详细地址。"
TRAINING_CASES = (
    (
        "暖气不热：先问清室温和是否有老人孩子",
        "供暖期报修要记录实测室温、供热单位和户内有无老人、婴幼儿或病人：有的按紧急诉求派单，当天上门。",
        "供暖",
    ),
    (
        "拖欠工资：问清用工单位全称和欠薪金额",
        "讨薪诉求记录用工单位全称、工地或经营地址、欠薪人数、金额和时间段，12333并线诉求同样按人社部门派单。",
        "工资",
    ),
)


def _centre_quality(out, count, supervisor, call_taker, handler, *, today: date) -> None:
    """The centre's own work on its staff (R29.1, R7.1): last week's call-taker sample scored, the
    feedback waiting for the call-taker, two typical cases for training, this month's and last
    month's recognitions; through the services the supervisor's clicks call."""
    from jiesu.assessment import services as assessment
    from jiesu.centre import services as centre
    from jiesu.centre.models import QualityItem, QualityReview
    from jiesu.knowledge.models import Article

    last_week = centre.week_of(today) - timedelta(days=7)
    count("quality_sampled", _step(out, "quality sample", centre.sample_week, last_week, actor=supervisor) or None)
    items = [i.code for i in QualityItem.objects.filter(active=True).order_by("position")]
    pending = QualityReview.objects.filter(call_taker=call_taker, status=QualityReview.PENDING).order_by("pk")
    # Two of the sample scored (one in full, one with the address check failed), the rest left
    # for the supervisor's quality page.
    for review, passed, feedback in (
        (pending.first(), set(items), "受理规范，诉求要素记录完整。"),
        (pending[1:2].first(), set(items[1:]), QUALITY_FEEDBACK),
    ):
        if review is not None and items:
            count(
                "quality_scored",
                _step(
                    out,
                    "quality score",
                    centre.score_review,
                    review,
                    actor=supervisor,
                    passed=passed,
                    feedback=feedback,
                ),
            )
    taken = WorkOrder.objects.filter(created_by=call_taker, status=choices.CLOSED)
    for title, lesson, word in TRAINING_CASES:
        order = taken.filter(content__contains=word).order_by("-received_at").first()
        if order is None:
            continue
        count(
            "training_cases",
            _step(
                out,
                "training case",
                centre.mark_training_case,
                order,
                actor=supervisor,
                title=title,
                lesson=lesson,
                articles=Article.objects.filter(title__contains=word)[:2],
            ),
        )
    _oversight_records(out, count, supervisor, call_taker, handler)
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for person, month, reason in (
        (call_taker, this_month, "本月受理工单要素完整率全中心第一，多次获诉求人来电致谢。"),
        (handler, last_month, "连续跟进老旧小区电梯维修诉求，协调产权单位完成更换，诉求人送来锦旗。"),
        (call_taker, last_month, "寒潮期间加班接听供暖诉求，紧急诉求全部当场转派。"),
    ):
        if person is not None:
            count(
                "recognitions",
                _step(
                    out,
                    "recognition",
                    assessment.recognise_person,
                    person,
                    actor=supervisor,
                    month=month,
                    reason=reason,
                ),
            )


def _oversight_records(out, count, supervisor, call_taker, handler) -> None:
    """A supervision record on a unit's perfunctory handling (one decided, R6.1), and a caller who
    abused the call-takers, flagged and talked to (R9.1): the centre's oversight pages have rows."""
    from jiesu.centre import services as centre
    from jiesu.centre.models import SupervisionRecord
    from jiesu.followup.models import ReturnVisit

    if handler is not None and handler.unit_id:
        unhappy = (
            ReturnVisit.objects.filter(unit_id=handler.unit_id, satisfaction="unsatisfied")
            .filter(order__status=choices.CLOSED)
            .select_related("order")
            .order_by("-visited_at")[:2]
        )
        for i, visit in enumerate(unhappy):
            record = _step(
                out,
                "supervision record",
                centre.open_supervision,
                visit.order,
                actor=supervisor,
                unit=handler.unit,
                kind=SupervisionRecord.PERFUNCTORY,
                facts="回访时诉求人反映承办单位仅电话联系、未到现场核实，问题仍未解决即答复已办结。",
                evidence_text="回访录音一份；督查人员现场查看，问题与诉求描述一致，未见整改。",
            )
            count("supervision_records", record)
            if record is not None and i == 0:
                count(
                    "supervision_decided",
                    _step(
                        out,
                        "supervision decision",
                        centre.decide_supervision,
                        record,
                        actor=supervisor,
                        substantiated=True,
                        note="经调取办理记录和现场核查，敷衍办理属实，已通报承办单位限期整改。",
                    ),
                )
    # The caller who called most often this year, as the one who abused the line.
    repeat = (
        WorkOrder.objects.filter(created_by=call_taker)
        .exclude(requester_phone_index="")
        .values("requester_phone_index")
        .annotate(n=models.Count("id"))
        .order_by("-n", "requester_phone_index")
        .first()
    )
    if repeat:
        order = WorkOrder.objects.filter(requester_phone_index=repeat["requester_phone_index"]).latest("received_at")
        flagged = _step(
            out,
            "flag caller",
            centre.flag_caller,
            order,
            actor=call_taker,
            note="来电人一周内多次来电，情绪激动并辱骂话务员，通话已录音。",
        )
        count("callers_flagged", flagged)
        if flagged is not None:
            count(
                "callers_warned",
                _step(
                    out,
                    "warn caller",
                    centre.warn_caller,
                    order,
                    actor=supervisor,
                    kind="persuasion",
                    note="已回电劝导来电人文明表达诉求，告知恶意骚扰热线的法律后果。",
                ),
            )


def _more_of_the_morning(out, count, in_progress: list[WorkOrder], handler, dispatcher, supervisor) -> None:
    """What else a busy unit's morning holds, so the supervision board's sub-lists and the
    "due today" tiles are not empty: a second extension, a refused objection, helpers whose own
    limits end today."""
    from jiesu.dispatch import services as dispatch
    from jiesu.handling import services as handling
    from jiesu.handling.models import ExtensionRequest

    # The extension asked for above is granted, and the work still needs more time: a second one.
    first = ExtensionRequest.objects.filter(order__in=in_progress[:1], status=ExtensionRequest.PENDING).first()
    if first and supervisor:
        granted = _step(
            out,
            "extension decided",
            handling.decide_extension,
            first,
            actor=supervisor,
            approve=True,
            note="同意延期，请按期完成并及时答复诉求人。",
        )
        if granted:
            count(
                "extension",
                _step(
                    out,
                    "second extension",
                    handling.request_extension,
                    first.order,
                    actor=handler,
                    extra_days=3,
                    reason="产权单位资金已批复，施工队排期需再延后三个工作日。",
                ),
            )
    # Orders not worked on above first; a small demo has few, so the others follow.
    candidates = in_progress[5:] + in_progress[:5]
    # An objection the dispatcher does not accept: the unit keeps the order.
    for order in candidates if dispatcher else []:
        if order.objections.exists():
            continue
        objection = _step(
            out,
            "objection",
            dispatch.raise_objection,
            order,
            actor=handler,
            grounds="duty",
            reason="该小区由物业公司管理，设施维修应由物业负责，不属于街道职责。",
        )
        count("objection", objection)
        if objection:
            count(
                "objection_rejected",
                _step(
                    out,
                    "objection rejected",
                    dispatch.reject_objection,
                    objection,
                    actor=dispatcher,
                    note="属地街道负责督促物业履行维修责任，请继续办理。",
                ),
            )
            break
    # Helpers asked to report back by tonight (Beijing time), whenever the demo is run.
    now = timezone.localtime()
    tonight = now.replace(hour=23, minute=30, second=0, microsecond=0)
    due = min(now + timedelta(hours=4), tonight)
    if due <= now + timedelta(minutes=10):
        return
    added = 0
    for order in candidates:
        department = (
            Unit.objects.filter(kind=unit_kinds.DISTRICT_DEPARTMENT, active=True, district_id=order.district_id)
            .exclude(pk__in=order.assignments.filter(active=True).values("unit_id"))
            .order_by("code")
            .first()
        )
        if department and added < 3:
            part = _step(
                out,
                "assist",
                handling.add_assisting_unit,
                order,
                actor=handler,
                unit=department,
                task="请派员今日到现场核实情况，并将核实结果报告主办单位。",
                due_at=due,
            )
            count("assist", part)
            added += part is not None


# When the demo unit's help was asked for, from now: the first half-way to midnight (so that
# something is due today at any hour the demo is made), then spread over the next two days at
# every hour of the clock, as assisting deadlines set by the lead are.
HELP_OFFSETS_HOURS = (2, 5, 9, 14, 20, 27, 35, 44)
HELP_TASKS = (
    "请街道协调物业配合入户核查，并将核查结果报告主办单位。",
    "请街道组织社区工作人员到现场核实情况，反馈现场照片。",
    "请街道协助联系诉求人所在小区物业，督促其配合处置。",
)

HELP_ELSEWHERE = "被反映单位的经营地址在贵街道辖区，请协助联系其负责人核实情况，并将结果报告主办单位。"


# The municipal HR bureau (the demo's knowledge-base administrator's unit) answers policy points
# that district bureaus and townships leading labour orders ask of it.
POLICY_TASKS = (
    "请市人社局就本诉求涉及的社保政策出具答复口径，并反馈主办单位。",
    "请市人社局核实诉求人社保缴费记录，并将核实结果报告主办单位。",
    "请市人社局明确该情形的待遇标准及办理渠道，反馈主办单位。",
)


def _policy_help_asked_of_the_city_bureau(out, count) -> None:
    """Leads of open labour orders ask the municipal HR bureau to assist, so that the unit of
    the demo's knowledge-base administrator has work waiting, due today and soon, as the
    demo unit has."""
    bureau = Unit.objects.filter(code="city-hr_social_security", active=True).first()
    if bureau is not None:
        _help_asked_of_the_demo_unit(out, count, None, unit=bureau, tasks=POLICY_TASKS, matters="labour.", limit=4)


def _help_asked_of_the_demo_unit(
    out, count, handler, *, unit=None, tasks=HELP_TASKS, matters: str = "", limit: int | None = None
) -> None:
    """Other units leading open orders in the demo unit's territory ask it to assist, each with the
    deadline the lead gives (handling.add_assisting_unit): the unit's "due today" and "due soon"
    lists have rows at whatever hour the demo is made, as a busy subdistrict's do. With `unit`,
    another unit is asked, on orders whose matter code starts with `matters`."""
    from jiesu.handling import services as handling
    from jiesu.orders.models import OrderUnit

    now = timezone.now()
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    offsets = [timedelta(hours=h) for h in HELP_OFFSETS_HOURS]
    if midnight - now > timedelta(minutes=4):
        offsets.insert(0, (midnight - now) / 2)
    unit = unit or handler.unit
    if limit is not None:
        offsets = offsets[:limit]
    leads = (
        OrderUnit.objects.filter(
            role__in=choices.LEAD_ROLES,
            active=True,
            finished_at__isnull=True,
            accepted_at__isnull=False,
            order__status=choices.IN_PROGRESS,
            due_at__gt=now + offsets[0],
            order__matter_code__startswith=matters,
        )
        .exclude(unit_id=unit.pk)
        .exclude(order__assignments__unit_id=unit.pk)
        .select_related("order", "unit")
        .order_by("-order__received_at", "id")
    )
    # Orders in the unit's own territory first, then its district, then those elsewhere whose
    # party (a company, a landlord) sits in its territory.
    candidates = sorted(
        leads[:300],
        key=lambda p: (p.order.subdistrict_id != unit.territory_id, p.order.district_id != unit.district_id),
    )
    used = set()
    for i, offset in enumerate(offsets):
        for part in candidates:
            # A helper's deadline is never later than the lead's own.
            if part.order_id in used or part.due_at < now + offset:
                continue
            asker = User.objects.filter(unit_id=part.unit_id, role="unit_handler", is_active=True).first()
            if asker is None:
                continue
            used.add(part.order_id)
            if handler is None:
                task = tasks[i % len(tasks)]
            elif part.order.district_id == unit.district_id:
                task = tasks[i % len(tasks)]
            else:
                task = HELP_ELSEWHERE
            done = _step(
                out,
                "help asked",
                handling.add_assisting_unit,
                part.order,
                actor=asker,
                unit=unit,
                task=task,
                due_at=now + offset,
            )
            count("help_asked", done)
            if done is not None:
                break
