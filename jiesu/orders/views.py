"""Order list and order page for every role; what each sees comes from orders.selectors."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from jiesu.catalog.models import Matter
from jiesu.core import crypto
from jiesu.core.pagination import CappedPaginator

from . import choices, erasure, selectors, uploads
from .models import WorkOrder

# How long a searched phone's token is good for: a shift of paging, not a bookmark.
CALLER_TOKEN_SECONDS = 8 * 3600


ORDER_NUMBER = re.compile(r"\d{6}-\d*")  # 261130-00042 and its prefixes


def _looks_like_phone(query: str) -> bool:
    """Seven digits or more, perhaps written 138-1234-5678 or +86 138..., and not an order number."""
    return (
        bool(re.fullmatch(r"\+?[\d\s()（）-]+", query))
        and not ORDER_NUMBER.fullmatch(query)
        and len(crypto.normalise_phone(query)) >= 7
    )


@login_required
def order_list(request):
    """The search form posts, and the answer is a redirect to a GET that access logs may keep:
    a phone number searched for travels in it as a sealed token (crypto.seal), never as digits."""
    if request.method == "POST":
        query = request.POST.get("q", "").strip()
        params = {"status": request.POST.get("status", "")}
        if _looks_like_phone(query):
            params["caller"] = crypto.seal(crypto.normalise_phone(query))
        elif query:
            params["q"] = query
        return redirect(f"{reverse('orders:list')}?{urlencode({k: v for k, v in params.items() if v})}")
    query = request.GET.get("q", "").strip()
    caller = request.GET.get("caller", "")
    shown_query, refused = query, False
    if caller:
        phone = crypto.unseal(caller, max_age=CALLER_TOKEN_SECONDS)
        if phone is None:
            messages.error(request, "来电号码查询已过期或无效，请重新输入号码查询。")
        query = phone or ""
        # The searcher typed it; the page (not the URL) shows it back to a role that sees phones.
        shown_query = phone if phone and selectors.sees_identities(request.user) else ""
    elif _looks_like_phone(query):
        # A phone in a URL (an old bookmark, a typed address) is not searched: answering it would
        # keep such URLs in use, and each leaves the number in every access log on its way.
        messages.error(request, "请在搜索框中输入来电号码查询：号码不能出现在网址中。")
        query = shown_query = ""
        refused = True
    visible = selectors.orders_visible_to(request.user)
    if (caller and not query) or refused:
        found = walk = visible.none()
    else:
        found = selectors.search_orders(request.user, query, visible=visible)
        walk = selectors.search_orders(request.user, query, visible=visible, indexed=False)
    status = request.GET.get("status", "")
    if status in dict(choices.STATUSES):
        found, walk = found.filter(status=status), walk.filter(status=status)
    page = CappedPaginator(found, 30, walk=walk).get_page(request.GET.get("page"))
    keep = urlencode([(k, v) for k, v in (("status", status), ("q", "" if caller else query), ("caller", caller)) if v])
    return render(
        request,
        "orders/list.html",
        {"page": page, "status": status, "q": shown_query, "keep": keep, "statuses": choices.STATUSES},
    )


@login_required
def order_detail(request, number: str):
    try:
        order = selectors.get_order_for(request.user, number)
    except WorkOrder.DoesNotExist:
        raise Http404("工单不存在或无权查看") from None
    requester = selectors.requester_view(order, request.user, purpose="order_page")
    redactor = selectors.redactor_for(order, request.user)
    events = order.history().select_related("actor", "actor_unit")
    assignments = order.assignments.select_related("unit").all()
    matter = Matter.objects.filter(code=order.matter_code).first() if order.matter_code else None
    response = render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "requester": requester,
            "redactor": redactor,
            "events": events,
            "assignments": assignments,
            "matter": matter,
            "can_erase": erasure.can_erase(request.user),
            **selectors.order_record(order, request.user),
        },
    )
    # After rendering: the redactor knows what free text the page really showed unmasked.
    selectors.record_exposure(order, request.user, redactor, purpose="order_page")
    return response


# Files are never served by the web server from the media folder: each read passes here, is
# checked against the order's units and audited (R8.3). The response can only be saved, never
# rendered on our origin: a fixed type, nosniff, attachment, and a sandbox should it be opened.
_SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
}


def _safe(response):
    for name, value in _SAFE_HEADERS.items():
        response[name] = value
    return response


def _erased(request):
    return render(request, "orders/attachment_erased.html", status=410)


@login_required
def attachment_download(request, number: str, pk: int):
    try:
        attachment = selectors.attachment_for(request.user, number, pk)
    except selectors.AttachmentErased:
        return _erased(request)
    return send_attachment(request, attachment, purpose="attachment_download")


def send_attachment(request, attachment, *, purpose: str):
    """The file as a download, the read audited; the REST API sends through here too."""
    extension = attachment.file.name.rsplit(".", 1)[-1] if "." in attachment.file.name else "bin"
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=f"{attachment.order.number}-{attachment.pk}.{extension}",
        content_type="application/octet-stream",
    )
    selectors.record_attachment_read(attachment, request.user, purpose=purpose)
    return _safe(response)


@login_required
def attachment_thumbnail(request, number: str, pk: int):
    try:
        attachment = selectors.attachment_for(request.user, number, pk)
    except selectors.AttachmentErased:
        return _erased(request)
    if attachment.kind != "image":
        raise Http404("该附件不是图片")
    with attachment.file.open("rb") as f:
        data = uploads.thumbnail(f)
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="{attachment.order.number}-{attachment.pk}-thumb.jpg"'
    selectors.record_attachment_read(attachment, request.user, purpose="attachment_thumbnail")
    return _safe(response)
