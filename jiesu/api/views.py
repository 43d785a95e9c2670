"""REST API v1: create, read and list work orders (R2.1, R10.1). Thin: services decide."""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from jiesu.centre.services import record_call_duration
from jiesu.core import roles, rows, validation
from jiesu.intake.services import take_request
from jiesu.orders import choices, selectors, services
from jiesu.orders import views as order_views
from jiesu.orders.models import Attachment, IdempotencyRecord, OrderEvent, OrderUnit

from .serializers import (
    AttachmentSerializer,
    OrderCreatedSerializer,
    OrderCreateSerializer,
    OrderDetailSerializer,
    OrderSerializer,
)

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _with_history(qs):
    return qs.select_related("district", "subdistrict", "community", "lead_unit").prefetch_related(
        Prefetch("events", queryset=OrderEvent.objects.select_related("actor")),
        Prefetch("assignments", queryset=OrderUnit.objects.select_related("unit")),
    )


_STATUS_NAMES = dict(choices.STATUSES)


class OrderViewSet(viewsets.GenericViewSet):
    lookup_field = "number"
    serializer_class = OrderSerializer
    # An order is sent as JSON: a form body cannot say null (latitude, received_at) and reads
    # "0" as false; files go to the attachments action, which takes multipart only.
    parser_classes = [JSONParser]

    def get_queryset(self):
        qs = selectors.orders_visible_to(self.request.user)
        status_filter = self.request.query_params.get("status")
        if status_filter:
            if status_filter not in _STATUS_NAMES:
                raise ValidationError(
                    {"status": [f"须为以下之一：{'、'.join(f'{k}（{v}）' for k, v in _STATUS_NAMES.items())}。"]}
                )
            qs = qs.filter(status=status_filter)
        return qs

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(OrderSerializer(page, many=True).data)

    def retrieve(self, request, number=None):
        order = get_object_or_404(_with_history(self.get_queryset()), number=number)
        requester = selectors.requester_view(order, request.user, purpose="api_read")
        redactor = selectors.redactor_for(order, request.user)
        data = OrderDetailSerializer(
            order,
            context={
                "requester": requester,
                "redactor": redactor,
                "request": request,
                "can_open_attachments": selectors.can_open_attachments(request.user, order),
            },
        ).data
        selectors.record_exposure(order, request.user, redactor, purpose="api_read")
        return Response(data)

    @extend_schema(
        request=OrderCreateSerializer,
        responses={
            201: OrderCreatedSerializer,
            # A retry with the same key and body: the order the first POST created, marked replayed.
            200: OpenApiResponse(OrderCreatedSerializer, description="同一幂等键的重试：首次创建的工单"),
            422: OpenApiResponse(dict, description="该幂等键已用于内容不同的请求"),
        },
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="A retried POST with the same key returns the first result.",
            ),
            OpenApiParameter(
                "Idempotent-Replayed",
                str,
                OpenApiParameter.HEADER,
                enum=["true"],
                response=[200],
                description="true: the answer is the first result of this Idempotency-Key.",
            ),
        ],
    )
    def create(self, request):
        serializer = OrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > 200:
            return Response({"Idempotency-Key": ["最多200个字符。"]}, status=status.HTTP_400_BAD_REQUEST)
        char = validation.forbidden_character(key)
        if char is not None:
            return Response(
                {"Idempotency-Key": [validation.character_message(char)]}, status=status.HTTP_400_BAD_REQUEST
            )
        body_hash = hashlib.sha256(
            json.dumps(serializer.validated_data, sort_keys=True, default=str).encode()
        ).hexdigest()
        # A replay is rare: ask only whether the key is known (a join with the order and its 40
        # columns cost a millisecond of CPU on every POST), and read the record when it is.
        if key and selectors.idempotency_key_known(request.user, key):
            earlier = IdempotencyRecord.objects.filter(user=request.user, key=key).select_related("order").first()
            if earlier:
                return self._replay(request, earlier, body_hash)
        try:
            # One transaction, one commit: the order, decided before it is written, and its
            # idempotency key. An engine failure leaves the order received for a dispatcher.
            with transaction.atomic():
                fields = dict(serializer.validated_data)
                call_duration = fields.pop("call_duration", None)
                order = take_request(services.IntakeData(**fields), actor=request.user)
                if call_duration:
                    record_call_duration(order, seconds=call_duration, actor=request.user)
                if key:
                    rows.insert([IdempotencyRecord(user=request.user, key=key, request_hash=body_hash, order=order)])
        except DjangoValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except IntegrityError:
            # Two retries raced with the same key: the other one won; answer with its order.
            earlier = IdempotencyRecord.objects.filter(user=request.user, key=key).select_related("order").first()
            if not earlier:
                raise
            return self._replay(request, earlier, body_hash)
        # The client is reading back what it has just sent: not a read of stored personal data.
        requester = selectors.requester_view(order, request.user, purpose="api_create", audit=False)
        context = {"requester": requester, "redactor": selectors.redactor_for(order, request.user)}
        return Response(OrderCreatedSerializer(order, context=context).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
            }
        },
        responses={201: AttachmentSerializer(many=True)},
        description="Attach files to an order (multipart, field `file`, repeatable). Images are re-encoded; "
        "HTML, SVG and unknown types are refused.",
    )
    @action(detail=True, methods=["post"], url_path="attachments", parser_classes=[MultiPartParser])
    def attachments(self, request, number=None):
        order = get_object_or_404(self.get_queryset(), number=number)
        if not selectors.can_open_attachments(request.user, order):
            raise PermissionDenied("只有热线中心和主办、牵头单位可以上传和查看附件。")
        files = request.FILES.getlist("file")
        if not files:
            return Response(
                {"file": ["请以 multipart/form-data 上传文件，字段名为 file（可重复）。"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        stage = Attachment.RESULT if request.user.role in roles.UNIT_ROLES else Attachment.REQUEST
        try:
            stored = services.add_attachments(order, files, actor=request.user, stage=stage, field="file")
        except DjangoValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            AttachmentSerializer(stored, many=True, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses={(200, "application/octet-stream"): drf_serializers.FileField()})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<pk>\d+)")
    def attachment(self, request, number=None, pk=None):
        from django.http import Http404

        try:
            attachment = selectors.attachment_for(request.user, number, int(pk))
        except Http404 as exc:
            raise NotFound(str(exc)) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except selectors.AttachmentErased as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_410_GONE)
        return order_views.send_attachment(request, attachment, purpose="api_attachment_download")

    def _replay(self, request, record: IdempotencyRecord, body_hash: str) -> Response:
        if record.request_hash != body_hash:
            return Response(
                {"Idempotency-Key": ["该幂等键已用于内容不同的请求。"]}, status=status.HTTP_422_UNPROCESSABLE_ENTITY
            )
        requester = selectors.requester_view(record.order, request.user, purpose="api_create_replay")
        redactor = selectors.redactor_for(record.order, request.user)
        data = OrderCreatedSerializer(record.order, context={"requester": requester, "redactor": redactor}).data
        selectors.record_exposure(record.order, request.user, redactor, purpose="api_create_replay")
        response = Response(data, status=status.HTTP_200_OK)
        response["Idempotent-Replayed"] = "true"
        return response
