"""REST endpoints for handling (token or session auth): the same actions and forms as the screens.

    GET  /handling/api/workbench/                 the caller's unit's open orders, least time left first
                                                  (limit: 1-500, default 100)
    POST /handling/api/orders/<number>/<action>/  one action (accept, contact, reply, ...; see actions.ACTIONS)

Bad input answers 400 with errors keyed by field name, in Chinese; an order the caller cannot
see answers 404, whether or not it exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from jiesu.core import redact, validation
from jiesu.orders import selectors as order_selectors
from jiesu.orders.models import WorkOrder

from . import actions, selectors


def _when(dt):
    return timezone.localtime(dt).isoformat() if dt else None


class WorkbenchView(APIView):
    def get(self, request):
        limit = validation.query_int(request.query_params, "limit", default=100, minimum=1, maximum=500)
        items = selectors.workbench(request.user, limit=limit)
        return Response(
            {
                "results": [
                    {
                        "number": i.order.number,
                        "role": i.part.role,
                        "status": i.order.status,
                        "kind": i.order.kind,
                        "content": redact.redact(i.order.content, order_selectors.requester_identities(i.order))[:200],
                        "due_at": _when(i.due_at),
                        "response_due": _when(i.part.response_due),
                        "accepted_at": _when(i.part.accepted_at),
                        "first_contact_at": _when(i.part.first_contact_at),
                        "state": i.state,
                        "seconds_left": int(i.left.total_seconds()) if i.left is not None else None,
                    }
                    for i in items
                ]
            }
        )


class ActionView(APIView):
    def post(self, request, number: str, action: str):
        if action not in actions.ACTIONS:
            raise NotFound(f"未知操作：{action}")
        try:
            order = order_selectors.get_order_for(request.user, number, related=False)
        except WorkOrder.DoesNotExist:
            raise NotFound(f"工单{number}不存在或无权查看") from None
        try:
            actions.run(action, order, request.user, request.data, request.FILES)
        except actions.ActionFailed as failed:
            return Response(failed.form.errors, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except Http404 as exc:
            raise NotFound(str(exc)) from exc
        after, last_event = selectors.state_after_action(order)
        return Response(
            {"number": order.number, "status": after.status, "due_at": _when(after.due_at), "event": last_event}
        )


urlpatterns = [
    path("workbench/", WorkbenchView.as_view(), name="api-workbench"),
    path("orders/<str:number>/<slug:action>/", ActionView.as_view(), name="api-act"),
]
