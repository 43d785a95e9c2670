"""The centre's screens: a caller's record (R9.1, R35.1), oversight for district and city
governments and a unit administrator's accounts (R5.1). Thin views over services and selectors."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiesu.core import crypto, roles
from jiesu.directory.models import Unit, User
from jiesu.orders import selectors as order_selectors
from jiesu.orders.models import WorkOrder

from . import oversight, selectors, services
from .models import WARNING_KINDS, Caller, QualityItem, QualityReview, StaffEvent, SupervisionRecord, TrainingCase

SEARCH_TOKEN_SECONDS = 8 * 3600


def _flash(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def _caller_order(request, number: str) -> WorkOrder:
    if not selectors.may_read_caller_records(request.user):
        raise PermissionDenied(_("来电人档案只对话务员、派单员和督办员开放。"))
    try:
        order = order_selectors.get_order_for(request.user, number)
    except WorkOrder.DoesNotExist:
        raise Http404(_("工单不存在或无权查看")) from None
    if not order.requester_phone_index:
        raise Http404(_("该工单没有来电号码"))
    return order


@login_required
def caller(request, number: str):
    """A caller's record, reached from one of their orders (no number in the URL)."""
    order = _caller_order(request, number)
    record = selectors.record_for_index(order.requester_phone_index)
    orders = Paginator(
        WorkOrder.objects.filter(requester_phone_index=order.requester_phone_index).order_by("-received_at", "-id"), 30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "centre/caller.html",
        {
            "order": order,
            "record": record,
            "orders": orders,
            "warning_kinds": WARNING_KINDS,
            "abusive": set(record.abusive_numbers),
            "can_decide": roles.has_role(request.user, roles.CALLER_DECISION_ROLES),
        },
    )


def _act(request, number: str, action) -> object:
    order = _caller_order(request, number)
    try:
        action(order)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("已记录。"))
    return redirect("centre:caller", number=order.number)


@login_required
@require_POST
def flag(request, number: str):
    return _act(
        request,
        number,
        lambda order: services.flag_caller(order, actor=request.user, note=request.POST.get("note", "")),
    )


@login_required
@require_POST
def warn(request, number: str):
    return _act(
        request,
        number,
        lambda order: services.warn_caller(
            order, actor=request.user, kind=request.POST.get("kind", ""), note=request.POST.get("note", "")
        ),
    )


@login_required
@require_POST
def refer(request, number: str):
    def go(order):
        chosen = list(
            WorkOrder.objects.filter(
                number__in=request.POST.getlist("orders"), requester_phone_index=order.requester_phone_index
            )
        )
        services.refer_to_police(
            services.caller_for_order(order), actor=request.user, orders=chosen, note=request.POST.get("note", "")
        )

    return _act(request, number, go)


@login_required
@require_POST
def lift(request, number: str):
    def go(order):
        caller_row = Caller.objects.filter(phone_index=order.requester_phone_index).first()
        if caller_row is None:
            raise ValidationError({"caller": [_("该来电人没有被标记。")]})
        services.lift_flag(caller_row, actor=request.user, note=request.POST.get("note", ""))

    return _act(request, number, go)


@login_required
def callers(request):
    """Flagged callers, newest first; a number is searched by POST and travels sealed."""
    if not selectors.may_read_caller_records(request.user):
        raise PermissionDenied(_("来电人档案只对话务员、派单员和督办员开放。"))
    if request.method == "POST":
        phone = crypto.normalise_phone(request.POST.get("q", ""))
        if phone and len(phone) < 7:
            messages.error(request, _("来电号码：请输入至少7位数字。"))
            return redirect("centre:callers")
        return redirect(
            f"{reverse('centre:callers')}?{urlencode({'caller': crypto.seal(phone)})}"
            if phone
            else reverse("centre:callers")
        )
    token = request.GET.get("caller", "")
    phone = crypto.unseal(token, max_age=SEARCH_TOKEN_SECONDS) if token else ""
    if token and phone is None:
        messages.error(request, _("来电号码查询已过期或无效，请重新输入。"))
    latest = WorkOrder.objects.filter(requester_phone_index=OuterRef("phone_index")).order_by("-received_at")
    qs = selectors.callers(phone or "", flagged_only=not phone).annotate(
        latest_number=Subquery(latest.values("number")[:1])
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "centre/callers.html",
        {"page": page, "keep": urlencode({"caller": token} if token else {}), "searched": bool(phone)},
    )


# Oversight (R5.1) ---------------------------------------------------------------------------


@login_required
def oversight_home(request):
    scope = oversight.scope_for(request.user)
    page = Paginator(oversight.overdue_orders(request.user, request.GET.get("q", "")), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "centre/oversight.html",
        {
            "scope": scope,
            "page": page,
            "q": request.GET.get("q", ""),
            "counts": oversight.counts(request.user),
            "scores": oversight.township_scores(request.user),
        },
    )


# A unit administrator's accounts (R5.1) -----------------------------------------------------


def _check_unit_admin(request) -> None:
    if request.user.role != roles.UNIT_ADMIN or not request.user.unit_id:
        raise PermissionDenied(_("只有承办单位管理员可以管理本单位账号。"))


def _users_page(request, *, handed_over: dict | None = None):
    q = request.GET.get("q", "").strip()
    qs = User.objects.filter(unit_id=request.user.unit_id).order_by("-is_active", "username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "centre/unit_users.html",
        {
            "page": page,
            "q": q,
            "keep": urlencode({"q": q} if q else {}),
            "handed_over": handed_over,
            "unit": request.user.unit,
            "history": StaffEvent.objects.filter(user__unit_id=request.user.unit_id).select_related("user", "actor")[
                :20
            ],
        },
    )


@login_required
def unit_users(request):
    _check_unit_admin(request)
    return _users_page(request)


@login_required
@require_POST
def unit_user_create(request):
    _check_unit_admin(request)
    try:
        user, password = services.create_handler(
            actor=request.user,
            username=request.POST.get("username", ""),
            display_name=request.POST.get("display_name", ""),
        )
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("centre:unit_users")
    # The password is shown once on this answer: never in a message cookie, a URL or a log.
    return _users_page(request, handed_over={"user": user, "password": password})


def _unit_user(request, pk: int) -> User:
    _check_unit_admin(request)
    # Another unit's account is as missing as one that does not exist.
    return get_object_or_404(User, pk=pk, unit_id=request.user.unit_id)


@login_required
@require_POST
def unit_user_active(request, pk: int):
    user = _unit_user(request, pk)
    try:
        services.set_active(user, actor=request.user, active=request.POST.get("active") == "1")
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("已更新账号 %(u)s。") % {"u": user.username})
    return redirect("centre:unit_users")


@login_required
@require_POST
def unit_user_password(request, pk: int):
    user = _unit_user(request, pk)
    password = services.reset_password(user, actor=request.user)
    return _users_page(request, handed_over={"user": user, "password": password})


# Supervision records and the identity-read review (R33.1, R8.3) --------------------------------


def _check_supervision(request) -> None:
    if not roles.is_decider(request.user):
        raise PermissionDenied(_("督查记录只对督办员和政务服务局管理员开放。"))


@login_required
def supervision(request):
    _check_supervision(request)
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    page = Paginator(selectors.supervision_records(q, status), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "centre/supervision.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "keep": urlencode({k: v for k, v in (("q", q), ("status", status)) if v}),
            "statuses": SupervisionRecord.STATUSES,
            "kinds": SupervisionRecord.KINDS,
            "prefill": {"order": request.GET.get("order", ""), "kind": request.GET.get("kind", "")},
        },
    )


@login_required
@require_POST
def supervision_open(request):
    _check_supervision(request)
    post = request.POST
    order = WorkOrder.objects.filter(number=post.get("order", "").strip()).first()
    unit = Unit.objects.filter(code=post.get("unit", "").strip()).first()
    person = User.objects.filter(username=post.get("person", "").strip()).first() if post.get("person") else None
    try:
        if order is None:
            raise ValidationError({"order": [_("工单编号：工单不存在。")]})
        if post.get("person") and person is None:
            raise ValidationError({"person": [_("涉及人员：用户名不存在。")]})
        record = services.open_supervision(
            order,
            actor=request.user,
            unit=unit,
            kind=post.get("kind", ""),
            facts=post.get("facts", ""),
            evidence_text=post.get("evidence_text", ""),
            evidence=request.FILES.get("evidence"),
            person=person,
        )
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("centre:supervision")
    messages.success(request, _("已登记督查记录。"))
    return redirect("centre:supervision_detail", pk=record.pk)


@login_required
def supervision_detail(request, pk: int):
    _check_supervision(request)
    record = get_object_or_404(SupervisionRecord.objects.select_related("order", "unit", "person"), pk=pk)
    return render(
        request,
        "centre/supervision_detail.html",
        {"record": record, "redactor": order_selectors.public_redactor(record.order)},
    )


@login_required
@require_POST
def supervision_decide(request, pk: int):
    _check_supervision(request)
    record = get_object_or_404(SupervisionRecord, pk=pk)
    try:
        services.decide_supervision(
            record,
            actor=request.user,
            substantiated=request.POST.get("decision") == "substantiated",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("centre:supervision_detail", pk=pk)


@login_required
@require_POST
def supervision_refer(request, pk: int):
    _check_supervision(request)
    record = get_object_or_404(SupervisionRecord, pk=pk)
    try:
        services.refer_supervision(record, actor=request.user, authority=request.POST.get("authority", ""))
    except ValidationError as exc:
        _flash(request, exc)
    return redirect("centre:supervision_detail", pk=pk)


@login_required
def supervision_export(request, pk: int):
    """The case as one self-contained page for the supervisory authority: the record, its
    evidence and the order's timeline, with the requester masked (it leaves the platform)."""
    _check_supervision(request)
    record = get_object_or_404(SupervisionRecord.objects.select_related("order", "unit", "person"), pk=pk)
    redactor = order_selectors.public_redactor(record.order)
    events = [(e, redactor.data(e.data)) for e in record.order.history().select_related("actor").order_by("at", "id")]
    response = render(
        request,
        "centre/referral.html",
        {
            "record": record,
            "events": events,
            "content": redactor.text(record.order.content),
            "requester": order_selectors.requester_view(record.order, _Masked(), purpose="referral", audit=False),
        },
    )
    response["Content-Disposition"] = f'attachment; filename="supervision-{record.pk}.html"'
    return response


class _Masked:
    """A reader without identity rights: the export carries masked identities only."""

    role = ""
    is_superuser = False
    is_authenticated = True


@login_required
def identity_reads(request):
    if not selectors.may_review_identity_reads(request.user):
        raise PermissionDenied(_("个人信息查阅记录只对督办员和政务服务局管理员开放。"))
    days = request.GET.get("days", "7")
    days = int(days) if days in {"1", "7", "30"} else 7
    since = timezone.now() - timedelta(days=days)
    reader, number = request.GET.get("reader", "").strip(), request.GET.get("order", "").strip()
    page = Paginator(selectors.identity_reads(reader=reader, order_number=number, since=since), 50).get_page(
        request.GET.get("page")
    )
    volumes, threshold = selectors.reader_volumes(since)
    return render(
        request,
        "centre/identity_reads.html",
        {
            "page": page,
            "volumes": volumes,
            "threshold": threshold,
            "days": days,
            "reader": reader,
            "order": number,
            "keep": urlencode({k: v for k, v in (("days", days), ("reader", reader), ("order", number)) if v}),
        },
    )


# Call quality (R29.1) ---------------------------------------------------------------------------


def _check_quality(request) -> None:
    if not roles.is_decider(request.user):
        raise PermissionDenied(_("受理质检只对督办员和政务服务局管理员开放。"))


@login_required
def quality(request):
    _check_quality(request)
    status, who = request.GET.get("status", ""), request.GET.get("who", "").strip()
    qs = QualityReview.objects.select_related("order", "call_taker")
    if status in dict(QualityReview.STATUSES):
        qs = qs.filter(status=status)
    if who:
        qs = qs.filter(Q(call_taker__username__icontains=who) | Q(call_taker__display_name__icontains=who))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "centre/quality.html",
        {
            "page": page,
            "status": status,
            "who": who,
            "statuses": QualityReview.STATUSES,
            "keep": urlencode({k: v for k, v in (("status", status), ("who", who)) if v}),
            "last_week": services.week_of(timezone.localdate()) - timedelta(days=7),
        },
    )


@login_required
@require_POST
def quality_sample(request):
    _check_quality(request)
    from datetime import date

    try:
        week = date.fromisoformat(request.POST.get("week", ""))
    except ValueError:
        messages.error(request, _("抽检周：请填写日期，例如2026-11-23。"))
        return redirect("centre:quality")
    try:
        made = services.sample_week(week, actor=request.user)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, _("已抽取 %(n)s 件样本。") % {"n": made})
    return redirect("centre:quality")


@login_required
def quality_review(request, pk: int):
    _check_quality(request)
    review = get_object_or_404(QualityReview.objects.select_related("order", "call_taker"), pk=pk)
    if request.method == "POST":
        try:
            services.score_review(
                review,
                actor=request.user,
                passed=set(request.POST.getlist("passed")),
                feedback=request.POST.get("feedback", ""),
            )
        except ValidationError as exc:
            _flash(request, exc)
        return redirect("centre:quality_review", pk=pk)
    return render(
        request, "centre/quality_review.html", {"review": review, "items": QualityItem.objects.filter(active=True)}
    )


@login_required
def quality_mine(request):
    """A call-taker's own scored samples and the feedback on them."""
    if request.user.role != roles.CALL_TAKER:
        raise PermissionDenied(_("只有话务员可以查看本人的质检反馈。"))
    if request.method == "POST":
        review = get_object_or_404(QualityReview, pk=request.POST.get("review"), call_taker=request.user)
        services.mark_feedback_read(review, actor=request.user)
        return redirect("centre:quality_mine")
    qs = QualityReview.objects.filter(call_taker=request.user, status=QualityReview.SCORED).select_related("order")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "centre/quality_mine.html", {"page": page})


@login_required
def training(request):
    """Typical cases and the knowledge behind them, for call-takers to learn from (R29.1). The
    requester never appears: a case is read by people who do not handle that order."""
    from jiesu.knowledge.models import Article

    if not roles.has_role(request.user, roles.CENTRE_ROLES):
        raise PermissionDenied(_("培训材料只对热线中心人员开放。"))
    if request.method == "POST":
        _check_quality(request)
        order = WorkOrder.objects.filter(number=request.POST.get("order", "").strip()).first()
        try:
            if order is None:
                raise ValidationError({"order": [_("工单编号：工单不存在。")]})
            services.mark_training_case(
                order,
                actor=request.user,
                title=request.POST.get("title", ""),
                lesson=request.POST.get("lesson", ""),
                articles=Article.objects.filter(slug__in=request.POST.getlist("articles")),
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, _("已加入培训案例。"))
        return redirect("centre:training")
    q = request.GET.get("q", "").strip()
    qs = TrainingCase.objects.filter(active=True).select_related("order").prefetch_related("articles")
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(lesson__icontains=q) | Q(order__content__icontains=q))
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    cases = [(c, order_selectors.public_redactor(c.order).text(c.order.content)) for c in page]
    return render(
        request,
        "centre/training.html",
        {
            "page": page,
            "cases": cases,
            "q": q,
            "keep": urlencode({"q": q} if q else {}),
            "can_mark": roles.is_decider(request.user),
            "articles": Article.objects.filter(active=True).order_by("title")[:200],
        },
    )
