"""Public pages (no login) and the centre's choice of published cases. Thin views over
services and selectors; nothing personal goes into a URL: phones and checks are POSTed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiesu.core import roles
from jiesu.core.pagination import CappedPaginator
from jiesu.core.security import client_ip
from jiesu.orders.models import WorkOrder

from . import forms, pdf, selectors, services
from .models import PublishedCase

PAGE_SIZE = 20


def _client(request) -> str:
    return services.client_key(client_ip(request))


def _field_errors(form, exc: ValidationError) -> None:
    for field, msgs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


@never_cache
def portal(request):
    form = forms.RequestForm(request.POST or None, request.FILES or None)
    context = {"form": form, "anonymous_kinds": services.ANONYMOUS_KINDS}
    if request.method == "POST" and request.POST.get("action") == "send_code":
        # Only the phone is checked now; the rest of the form comes back as typed, unjudged.
        form = forms.RequestForm(initial=request.POST.dict())
        try:
            services.send_submit_code(request.POST.get("phone", ""), client=_client(request))
        except ValidationError as exc:
            context.update(form=form, phone_error=exc.message_dict["phone"][0])
            return render(request, "public/portal.html", context, status=400)
        context.update(form=form, code_sent=True)
        return render(request, "public/portal.html", context)
    if request.method == "POST":
        if form.is_valid():
            try:
                order, query_code = services.submit(form.submission(), client=_client(request))
            except ValidationError as exc:
                _field_errors(form, exc)
            else:
                return render(request, "public/submitted.html", {"order": order, "query_code": query_code})
        return render(request, "public/portal.html", context, status=400)
    return render(request, "public/portal.html", context)


@never_cache
def status(request):
    form = forms.StatusForm(request.POST or None)
    context = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "public/status.html", context, status=400 if request.method == "POST" else 200)
    number = form.cleaned_data["number"].strip()
    if request.POST.get("action") == "send_code":
        services.send_status_code(number, client=_client(request))
        # The same words whatever happened: the page must not tell whether the number exists.
        context["notice"] = _("如该工单登记了手机号码，验证码已发送至该号码，10分钟内有效。")
        return render(request, "public/status.html", context)
    try:
        order = services.lookup(number, form.cleaned_data["check"], client=_client(request))
    except services.LookupThrottled:
        context["refused"] = _("查询失败次数过多，请一小时后再试，或拨打12345热线查询。")
        return render(request, "public/status.html", context, status=429)
    if order is None:
        context["refused"] = _("工单编号或校验信息不正确，请核对后重试。")
        return render(request, "public/status.html", context, status=400)
    info = selectors.status_view(order, base_url=request.build_absolute_uri("/"))
    return render(request, "public/status_result.html", {"info": info})


def cases(request):
    search = forms.CaseSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    page = Paginator(selectors.published_cases(query), PAGE_SIZE).get_page(request.GET.get("page"))
    names = selectors.matter_names(c.order.matter_code for c in page)
    return render(
        request,
        "public/cases.html",
        {"search": search, "q": query, "page": page, "rows": [selectors.case_view(c, names) for c in page]},
    )


def case(request, pk: int):
    found = get_object_or_404(selectors.published_cases(), pk=pk)
    return render(request, "public/case.html", {"info": selectors.case_view(found, with_photos=True)})


PHOTO_MAX = (1600, 1600)


def case_photo(request, pk: int, attachment: int):
    """An image of a published case, for anyone (the case page, Open311's media_url). Drawn
    again from the stored pixels as a plain JPEG of at most PHOTO_MAX, so nothing but pixels
    leaves (the stored copy was re-encoded on upload already; this holds whatever the
    storage holds). 404 for anything not on show: another order's file, a withdrawn case, a
    case no longer publishable, a recording or a document."""
    import io

    from PIL import Image

    found = selectors.published_photo(pk, attachment)
    if found is None:
        raise Http404(_("没有这张图片。"))
    with found.file.open("rb") as stored, Image.open(stored) as image:
        image.seek(0)
        picture = image.convert("RGB")
    picture.thumbnail(PHOTO_MAX)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85)  # no exif, icc or comment passed: none written
    response = HttpResponse(out.getvalue(), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="case-{pk}-{attachment}.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Short: a withdrawn case's photos must stop showing soon, in caches too.
    response["Cache-Control"] = "public, max-age=300"
    return response


def _publisher(user) -> None:
    if not roles.has_role(user, services.PUBLISHER_ROLES):
        raise PermissionDenied(_("只有督办员或政务服务局管理员可以决定公开案例。"))


@login_required
def manage_cases(request):
    _publisher(request.user)
    query, state = request.GET.get("q", "")[:50], request.GET.get("state", "")
    paginator = CappedPaginator(selectors.case_candidates(query, state=state), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    counts = selectors.image_counts(o.pk for o in page)
    for order in page:
        order.images = counts.get(order.pk, 0)
    return render(
        request, "public/manage_cases.html", {"page": page, "paginator": paginator, "q": query, "state": state}
    )


@login_required
@require_POST
def act_on_case(request, number: str, action: str):
    _publisher(request.user)
    order = get_object_or_404(WorkOrder, number=number)
    try:
        if action == "publish":
            services.publish_case(order, actor=request.user)
            messages.success(request, _("已公开：%(number)s") % {"number": number})
        elif action == "withdraw":
            services.withdraw_case(get_object_or_404(PublishedCase, order=order), actor=request.user)
            messages.success(request, _("已撤回公开：%(number)s") % {"number": number})
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/public/cases/manage/")
        else "public:manage_cases"
    )


def reports(request):
    return redirect("public:report", month=f"{selectors.last_month():%Y-%m}")


def _month(text: str):
    month = selectors.parse_month(text)
    if month is None:
        raise Http404(_("没有这个月份的报告。"))
    return month


def report(request, month: str):
    data = selectors.monthly_report(_month(month))
    chart = {
        "channels": data["by_channel"],
        "kinds": data["by_kind"],
        "matters": data["by_matter"][:10],
        "districts": [
            {
                "unit": r["unit"],
                "response": r["response"],
                "resolution": r["resolution"],
                "satisfaction": r["satisfaction"],
            }
            for r in data["districts"]
        ],
    }
    return render(request, "public/report.html", {"r": data, "chart": chart, "months": selectors.report_months()})


def report_pdf(request, month: str):
    month_ = _month(month)
    response = HttpResponse(pdf.render(selectors.monthly_report(month_)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="12345-report-{month_:%Y-%m}.pdf"'
    return response
