"""Console pages of 每月一题 (R24.1). Thin: `monthly` decides who sees what and makes every change."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiesu.core import roles
from jiesu.directory.models import Place, Unit

from . import monthly, selectors
from .models import MonthlyTopic, TaskReport, TopicTask


def _require_reader(user) -> None:
    if not monthly.may_see_monthly_topics(user):
        raise PermissionDenied(_("您的角色不能查看每月一题。"))


def _require_manager(user) -> None:
    if not monthly.may_manage(user):
        raise PermissionDenied(_("只有中心督办员和政务服务局管理员可以管理每月一题。"))


def _units_for_tasks():
    return (
        Unit.objects.filter(active=True, kind__in=list(monthly.LEVEL_OF_KIND))
        .select_related("district")
        .order_by("kind", "code")
    )


def _districts():
    return Place.objects.filter(level="district").order_by("code")


@login_required
def topic_list(request):
    _require_reader(request.user)
    qs = monthly.topics_visible_to(request.user)
    state = request.GET.get("state", "")
    if state in dict(MonthlyTopic.STATES):
        qs = qs.filter(state=state)
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:
        qs = qs.filter(month__year=int(year))
    else:
        year = ""
    q = request.GET.get("q", "").strip()[:50]
    if q:
        codes = [c for c, n in selectors.matter_names().items() if q in n]
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(lead_unit__name__icontains=q)
            | Q(keywords__icontains=q)
            | Q(pk__in=MonthlyTopic.objects.filter(tasks__unit__name__icontains=q).values("pk"))
            | _matters_q(codes)
        )
    qs = qs.annotate(
        n_tasks=Count("tasks", distinct=True),
        n_done=Count("tasks", filter=Q(tasks__state=TopicTask.DONE), distinct=True),
    )
    page = Paginator(qs.order_by("-month", "-id"), 20).get_page(request.GET.get("page"))
    years = sorted({d.year for d in monthly.topics_visible_to(request.user).dates("month", "year")}, reverse=True)
    query = "&".join(f"{k}={v}" for k, v in (("state", state), ("year", year)) if v)
    return render(
        request,
        "insight/month_topics.html",
        {
            "page": page,
            "q": q,
            "state": state,
            "year": year,
            "years": years,
            "states": MonthlyTopic.STATES,
            "may_manage": monthly.may_manage(request.user),
            "reads_all": monthly.reads_all(request.user),
            "scope_query": query,
        },
    )


def _matters_q(codes: list[str]) -> Q:
    """Topics whose matters include one of `codes` (a JSON list: matched as its quoted element)."""
    q = Q(pk__in=[])
    for code in codes[:50]:
        q |= Q(matter_codes__icontains=f'"{code}"')
    return q


@login_required
def candidate_list(request):
    if not monthly.reads_all(request.user):
        raise PermissionDenied(_("候选题目只对中心和市政府督查开放。"))
    today = timezone.localdate()
    default = monthly.previous_month(today) if today.day < 10 else today.replace(day=1)
    errors = {}
    try:
        month = monthly.parse_month(request.GET.get("month"), default)
    except ValidationError as exc:
        errors, month = exc.message_dict, default
    district = None
    district_id = request.GET.get("district", "")
    if district_id:
        district = Place.objects.filter(level="district", pk=district_id if district_id.isdigit() else 0).first()
        if district is None:
            errors.setdefault("district", []).append(_("没有这个区。"))
    rows = monthly.candidates(month, district=district)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        rows = [c for c in rows if q in c.matter or any(q in p for p, _ in c.top_places)]
    page = Paginator(rows, 15).get_page(request.GET.get("page"))
    chosen = dict(
        MonthlyTopic.objects.filter(
            source=MonthlyTopic.FROM_CANDIDATE,
            candidate_figures__month=f"{month:%Y-%m}",
            candidate_figures__district=district.name if district else "",
        ).values_list("candidate_figures__matter_code", "pk")
    )
    for c in page:
        c.chosen_pk = chosen.get(c.matter_code)
    scope = "&".join(
        f"{k}={v}" for k, v in (("month", f"{month:%Y-%m}"), ("district", district.pk if district else "")) if v
    )
    return render(
        request,
        "insight/month_candidates.html",
        {
            "page": page,
            "month": month,
            "district": district,
            "districts": _districts(),
            "q": q,
            "errors": errors,
            "weights": monthly.WEIGHTS,
            "min_orders": monthly.MIN_ORDERS,
            "min_visits": monthly.MIN_VISITS,
            "may_manage": monthly.may_manage(request.user),
            "scope_query": scope,
        },
        status=400 if errors else 200,
    )


def _form_context(request, data: dict, errors: dict | None = None) -> dict:
    from jiesu.catalog.models import Matter

    return {
        "data": data,
        "errors": errors or {},
        "units": _units_for_tasks(),
        "districts": _districts(),
        "matters": Matter.objects.filter(active=True).order_by("level1", "level2", "name"),
    }


@login_required
def topic_new(request):
    """GET: the form, filled from a candidate when ?month=&matter= name one. POST: choose."""
    _require_manager(request.user)
    today = timezone.localdate()
    if request.method == "GET":
        data = {
            "month": f"{today:%Y-%m}",
            "matters": [],
            "places": [],
            "keywords": "",
            "title": "",
            "lead_unit": "",
            "data_month": "",
        }
        matter = request.GET.get("matter", "")
        if matter:
            # Chosen from a candidate: this month's topic, ranked on the data of `data_month`.
            data["matters"] = [matter]
            data["title"] = selectors.matter_name(matter)
            data["data_month"] = request.GET.get("month", "")[:7]
            if request.GET.get("district", "").isdigit():
                data["places"] = [int(request.GET["district"])]
        return render(request, "insight/month_topic_new.html", _form_context(request, data))
    post = request.POST
    data = {
        "month": post.get("month", "")[:7],
        "title": post.get("title", ""),
        "matters": post.getlist("matters"),
        "places": [int(p) for p in post.getlist("places") if p.isdigit()],
        "keywords": post.get("keywords", ""),
        "lead_unit": post.get("lead_unit", ""),
        "data_month": post.get("data_month", "")[:7],
    }
    try:
        month = monthly.parse_month(data["month"])
        places = list(Place.objects.filter(pk__in=data["places"], level__in=["district", "subdistrict"]))
        if len(places) != len(set(data["places"])):
            raise ValidationError({"places": [_("所选地点不存在。")]})
        lead = None
        if data["lead_unit"]:
            lead = Unit.objects.filter(
                pk=data["lead_unit"] if str(data["lead_unit"]).isdigit() else 0, active=True
            ).first()
            if lead is None:
                raise ValidationError({"lead_unit": [_("所选牵头单位不存在。")]})
        candidate = None
        if data["data_month"] and len(data["matters"]) == 1:
            data_month = monthly.parse_month(data["data_month"])
            district = places[0] if len(places) == 1 and places[0].level == "district" else None
            candidate = next(
                (
                    c
                    for c in monthly.candidates(data_month, district=district, limit=1000)
                    if c.matter_code == data["matters"][0]
                ),
                None,
            )
        keywords = [k for k in data["keywords"].replace("，", ",").replace("、", ",").split(",")]
        topic = monthly.choose_topic(
            actor=request.user,
            month=month,
            title=data["title"],
            matter_codes=data["matters"],
            places=places,
            keywords=keywords,
            lead_unit=lead,
            candidate=candidate,
        )
    except ValidationError as exc:
        return render(
            request, "insight/month_topic_new.html", _form_context(request, data, exc.message_dict), status=400
        )
    messages.success(request, _("已选定本月一题。"))
    return redirect("insight:month_topic", pk=topic.pk)


def _window(request) -> int:
    try:
        days = int(request.GET.get("window", 30))
    except ValueError:
        return 30
    return days if days in monthly.EFFECT_WINDOWS else 30


def _render_topic(request, topic: MonthlyTopic, *, errors: dict | None = None, form: str = "", status: int = 200):
    user = request.user
    tasks = list(monthly.tasks_visible_to(user, topic).prefetch_related("reports__author"))
    task_ids = {t.pk for t in tasks}
    events = topic.events.select_related("actor", "task__unit")
    if not monthly.reads_all(user):
        # A unit or a district reads the topic's own steps and the lines of the tasks it sees.
        events = events.filter(Q(task__isnull=True) | Q(task_id__in=task_ids))
    window = _window(request)
    effect = monthly.measure_effect(topic, window_days=window)
    names = selectors.matter_names()
    reports_by_id = {r.pk: r for t in tasks for r in t.reports.all()}
    timeline = [{"event": e, "report": reports_by_id.get(e.data.get("report"))} for e in events]
    return render(
        request,
        "insight/month_topic.html",
        {
            "topic": topic,
            "tasks": tasks,
            "timeline": timeline,
            "effect": effect,
            "window": window,
            "windows": monthly.EFFECT_WINDOWS,
            "matters": [selectors.matter_name(c, names) for c in topic.matter_codes],
            "places": [selectors.place_name(p) for p in topic.places.select_related("parent")],
            "figures": topic.candidate_figures,
            "may_manage": monthly.may_manage(user),
            "units": _units_for_tasks() if monthly.may_manage(user) else [],
            "today": timezone.localdate(),
            "own_unit": user.unit_id if user.role in roles.UNIT_ROLES else None,
            "errors": errors or {},
            "form": form,
            "post": request.POST if errors else {},
            "chart": effect.chart(),
        },
        status=status,
    )


def _visible_topic(request, pk: int) -> MonthlyTopic:
    _require_reader(request.user)
    return get_object_or_404(monthly.topics_visible_to(request.user), pk=pk)


@login_required
def topic_detail(request, pk: int):
    return _render_topic(request, _visible_topic(request, pk))


def _manage_step(request, pk: int, form: str, step, success: str):
    topic = _visible_topic(request, pk)
    _require_manager(request.user)
    try:
        step(topic)
    except ValidationError as exc:
        return _render_topic(request, topic, errors=exc.message_dict, form=form, status=400)
    messages.success(request, success)
    return redirect("insight:month_topic", pk=topic.pk)


def _unit(value: str) -> Unit | None:
    return Unit.objects.filter(pk=value, active=True).first() if (value or "").isdigit() else None


def _date(value: str, field_name: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError({field_name: [f"{label}“{value[:20]}”不是有效日期。"]}) from None


@login_required
@require_POST
def topic_study(request, pk: int):
    return _manage_step(
        request,
        pk,
        "study",
        lambda t: monthly.record_study(t, actor=request.user, study=request.POST.get("study", "")),
        _("已保存调研情况。"),
    )


@login_required
@require_POST
def topic_plan(request, pk: int):
    return _manage_step(
        request,
        pk,
        "plan",
        lambda t: monthly.adopt_plan(
            t, actor=request.user, plan=request.POST.get("plan", ""), lead_unit=_unit(request.POST.get("lead_unit", ""))
        ),
        _("已保存工作方案。"),
    )


@login_required
@require_POST
def topic_task(request, pk: int):
    return _manage_step(
        request,
        pk,
        "task",
        lambda t: monthly.assign_task(
            t,
            actor=request.user,
            unit=_unit(request.POST.get("unit", "")),
            description=request.POST.get("description", ""),
            deadline=_date(request.POST.get("deadline", ""), "deadline", "完成期限"),
        ),
        _("已下达任务。"),
    )


@login_required
@require_POST
def topic_close(request, pk: int):
    return _manage_step(
        request,
        pk,
        "close",
        lambda t: monthly.close_topic(t, actor=request.user, note=request.POST.get("note", "")),
        _("本题已办结。"),
    )


def _visible_task(request, pk: int) -> TopicTask:
    _require_reader(request.user)
    task = get_object_or_404(TopicTask.objects.select_related("topic", "unit"), pk=pk)
    if (
        not monthly.topics_visible_to(request.user).filter(pk=task.topic_id).exists()
        or not monthly.tasks_visible_to(request.user, task.topic).filter(pk=task.pk).exists()
    ):
        raise PermissionDenied(_("这项任务不是您或您的单位的。"))
    return task


def _render_task(request, task: TopicTask, *, errors: dict | None = None, status: int = 200):
    user = request.user
    return render(
        request,
        "insight/month_task.html",
        {
            "task": task,
            "topic": task.topic,
            "reports": task.reports.select_related("author", "corrects"),
            "may_report": user.role in roles.UNIT_ROLES
            and user.unit_id == task.unit_id
            and task.topic.state == MonthlyTopic.IMPLEMENTING,
            "errors": errors or {},
            "post": request.POST if errors else {},
        },
        status=status,
    )


@login_required
def task_detail(request, pk: int):
    task = _visible_task(request, pk)
    if request.method != "POST":
        return _render_task(request, task)
    post = request.POST
    try:
        corrects = None
        if post.get("corrects"):
            corrects = TaskReport.objects.filter(
                pk=post["corrects"] if post["corrects"].isdigit() else 0, task=task
            ).first()
            if corrects is None:
                raise ValidationError({"corrects": [_("要更正的报送不存在。")]})
        monthly.report_progress(
            task,
            actor=request.user,
            text=post.get("text", ""),
            progress=post.get("progress", ""),
            done=post.get("done") == "1",
            corrects=corrects,
        )
    except ValidationError as exc:
        return _render_task(request, task, errors=exc.message_dict, status=400)
    messages.success(request, _("已报送进展。"))
    return redirect("insight:month_task", pk=task.pk)
