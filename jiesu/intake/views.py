"""The call-taker's intake screen (R2.1, R10.1): thin views over orders.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiesu.centre import selectors as centre_selectors
from jiesu.core import redact, roles
from jiesu.dispatch.services import request_text, suggest
from jiesu.orders import selectors, services

from . import services as intake_services
from .forms import IntakeForm


def _require_intake_role(user) -> None:
    if not roles.has_role(user, roles.INTAKE_ROLES):
        raise PermissionDenied(_("只有话务员、派单员或督办员可以受理诉求。"))


@login_required
def intake(request):
    _require_intake_role(request.user)
    form = IntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = services.IntakeData(**{k: v for k, v in form.cleaned_data.items()})
        try:
            # The alarm's one key: save the order and send it to the emergency line at once.
            order = intake_services.take_request(
                data, actor=request.user, emergency_line=request.POST.get("emergency_line") or None
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("已受理，工单编号 %(number)s") % {"number": order.number})
            found = redact.find(order.request_text, selectors.requester_identities(order), precise=True)
            if found:
                # Not refused: a call-taker may need an identity in the request. It is masked on
                # the way out; the writer is told, so that it goes only where it is needed.
                messages.warning(
                    request,
                    _(
                        "诉求内容中含有个人信息（%(what)s）：派单员、分析员查看和对外公开时已隐去；"
                        "如非办理所需，请只记录在诉求人信息中。"
                    )
                    % {"what": redact.describe(found)},
                )
            return redirect("orders:detail", number=order.number)
    return render(request, "intake/intake.html", {"form": form})


@login_required
@require_POST
def caller_history(request):
    """htmx partial: the caller's earlier orders while the call-taker types the number.

    POST, not GET: a phone number in a URL would be written to every access log on its way.
    """
    _require_intake_role(request.user)
    phone = request.POST.get("requester_phone", "")
    orders = list(selectors.caller_history(request.user, phone))
    # The caller's record (counts, abuse, warnings) beside the orders: shown, never used to
    # refuse; the new request is judged on its own content (R9.1).
    record = centre_selectors.record_for_phone(request.user, phone)
    return render(
        request,
        "intake/_history.html",
        {"orders": orders, "phone": phone, "record": record, "latest_number": orders[0].number if orders else ""},
    )


@login_required
def suggestion(request):
    """htmx partial: what the engine suggests for the text typed so far (writes nothing)."""
    _require_intake_role(request.user)
    text = request.POST.get("content", "").strip()
    location = request.POST.get("location_text", "").strip()
    if len(text) < 5:
        return render(request, "dispatch/_suggestion.html", {"suggestion": None, "redactor": None})
    kind = request.POST.get("kind") or None
    known = redact.known_values(
        request.POST.get("requester_name", ""),
        request.POST.get("requester_phone", ""),
        request.POST.get("requester_id_number", ""),
    )
    return render(
        request,
        "dispatch/_suggestion.html",
        {
            "suggestion": suggest(
                text=request_text(text, location), kind=kind, channel=request.POST.get("channel", "phone")
            ),
            # The call-taker reads back what they typed: reasons are not masked for them.
            "redactor": None,
            "personal_data": redact.describe(redact.find(text, known, precise=True)),
        },
    )
