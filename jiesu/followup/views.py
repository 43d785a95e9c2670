"""Return-visit screens (R23.1) and the public rating page (R8.2). Thin views over services."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiesu.core import actions as core_actions
from jiesu.core import roles, worklists
from jiesu.core.actions import Action
from jiesu.orders import selectors as order_selectors

from . import forms, selectors, services
from .models import ReturnVisit


def _visitor(user) -> None:
    if not roles.has_role(user, roles.VISITOR_ROLES):
        raise PermissionDenied("回访队列只对督办员（回访员）开放。")


@login_required
def queue(request):
    _visitor(request.user)
    f = worklists.read_filters(request.GET)
    lists = {}
    for name, qs in selectors.queue().items():
        qs = worklists.apply(qs, f, order="order__", due="order__due_at", unit="unit__")
        # Each list pages on its own parameter.
        lists[name] = Paginator(qs, worklists.PER_PAGE).get_page(request.GET.get(f"{name}_page"))
    return render(
        request,
        "followup/queue.html",
        {
            **lists,
            "filters": f,
            "keep": f.query_string(),
            "with_unit": True,
            "list_id": "visits",
            **worklists.choices_context(),
        },
    )


@login_required
@require_POST
def sweep(request):
    _visitor(request.user)
    n = services.sweep()
    messages.success(request, f"新进入回访队列：{n}件")
    return redirect("followup:queue")


def _render_visit(request, visit, *, failed: str = "", form=None, status=200):
    ctx = selectors.visit_screen(visit, request.user)
    ctx.update(
        {
            "attempt_form": forms.AttemptForm(),
            "visit_form": forms.VisitForm(),
            "decide_form": forms.DecideForm(),
            "failed": failed,
            "max_tries": services.max_tries(),
        }
    )
    if form is not None:
        ctx[f"{failed}_form"] = form
    response = render(request, "followup/visit.html", ctx, status=status)
    order_selectors.record_exposure(visit.order, request.user, ctx["redactor"], purpose="return_visit")
    return response


@login_required
def visit(request, pk: int):
    _visitor(request.user)
    return _render_visit(request, get_object_or_404(ReturnVisit.objects.select_related("order", "unit"), pk=pk))


# The visitor's actions, each offered on every visit screen: the services say what the visit's
# state allows.
ACTIONS = {
    "attempt": Action(
        forms.AttemptForm,
        lambda v, u, d: services.record_attempt(v, actor=u, outcome=d["outcome"], note=d["note"]),
        "已记录拨打情况",
    ),
    "visit": Action(forms.VisitForm, lambda v, u, f: services.record_visit(v, actor=u, **f), "已记录回访结果"),
    "decide": Action(
        forms.DecideForm,
        lambda v, u, d: services.decide_after_visit(
            v, actor=u, reopen=d["decision"] == "reopen", note=d["note"], days=d["days"]
        ),
        "已处理",
    ),
}


@login_required
@require_POST
def act(request, pk: int, action: str):
    _visitor(request.user)
    v = get_object_or_404(ReturnVisit.objects.select_related("order", "unit"), pk=pk)
    if action == "link":
        try:
            services.send_rating_link(v, actor=request.user, base_url=request.build_absolute_uri("/"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("followup:visit", pk=v.pk)
        messages.success(request, "已向诉求人发送评价短信")
        return redirect("followup:queue")
    if action not in ACTIONS:
        raise PermissionDenied("未知操作")
    try:
        core_actions.run(ACTIONS, action, v, request.user, request.POST)
    except core_actions.ActionFailed as failed:
        return _render_visit(request, v, failed=action, form=failed.form, status=400)
    messages.success(request, f"{ACTIONS[action].done}：{v.order.number}")
    v.refresh_from_db()
    if v.state == "pending" or (v.state == "done" and not v.outcome):
        return redirect("followup:visit", pk=v.pk)
    return redirect("followup:queue")


# Public rating page (R8.2): no login; the signed, expiring token is the only key ----------------


def _no_referrer(view):
    """The page's URL holds the token: the browser must not send it on as a Referer (static
    files, any link), where access logs would keep it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


@never_cache
@_no_referrer
def rate(request, token: str):
    try:
        v = services.visit_for_token(token)
    except services.LinkExpired:
        return render(request, "followup/rate_error.html", {"expired": True}, status=410)
    except services.LinkInvalid:
        return render(request, "followup/rate_error.html", {"expired": False}, status=404)
    form = forms.RatingForm(request.POST or None)
    if v.state != "pending":
        return render(request, "followup/rate_done.html", {"already": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_online(token, **form.answers())
        except ValidationError as exc:
            core_actions.add_errors(form, exc)
        else:
            return render(request, "followup/rate_done.html", {"already": False})
    return render(
        request,
        "followup/rate.html",
        {"form": form, "info": selectors.public_view(v)},
        status=400 if request.method == "POST" else 200,
    )
