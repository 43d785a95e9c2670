"""REST endpoints of the linkage (token or session auth), the same services as the screens.

    POST /linkage/api/orders/<number>/transfer/  hotline_unit (unit code), reason, judged_cross_region,
                                                 consent_personal_data
    POST /linkage/api/orders/<number>/return/    reason, consent_personal_data

400: errors keyed by field, in Chinese, including the neighbour's refusal (with its HTTP
status in remote_status); 502: the neighbour could not be reached, the order is unchanged.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.urls import path
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from jiesu.orders import selectors as order_selectors
from jiesu.orders.models import WorkOrder

from . import services
from .client import RemoteRefused, RemoteUnavailable
from .forms import ReturnForm, TransferForm


def _errors(exc: ValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


class _LinkageView(APIView):
    form_class = None

    def run(self, order, user, data):
        raise NotImplementedError

    def post(self, request, number: str):
        try:
            order = order_selectors.get_order_for(request.user, number)
        except WorkOrder.DoesNotExist:
            raise NotFound(f"工单{number}不存在或无权查看") from None
        form = self.form_class(request.data)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        try:
            done = self.run(order, request.user, form.cleaned_data)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except RemoteUnavailable as exc:
            return Response({"__all__": exc.messages}, status=status.HTTP_502_BAD_GATEWAY)
        except RemoteRefused as exc:
            return Response({"__all__": exc.messages, "remote_status": exc.status}, status=status.HTTP_400_BAD_REQUEST)
        except ValidationError as exc:
            return Response(_errors(exc), status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {
                "number": order.number,
                "status": done.order.status,
                "transfer": {
                    "id": done.pk,
                    "hotline": done.hotline.unit.code,
                    "direction": done.direction,
                    "remote_id": done.remote_id,
                    "remote_token": done.remote_token,
                    "service_code": done.service_code,
                },
            }
        )


class TransferView(_LinkageView):
    form_class = TransferForm

    def run(self, order, user, data):
        return services.transfer_to_neighbour(order, actor=user, **data)


class ReturnView(_LinkageView):
    form_class = ReturnForm

    def run(self, order, user, data):
        return services.return_to_neighbour(order, actor=user, **data)


urlpatterns = [
    path("orders/<str:number>/transfer/", TransferView.as_view(), name="api-transfer"),
    path("orders/<str:number>/return/", ReturnView.as_view(), name="api-return"),
]
