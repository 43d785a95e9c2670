"""POST /api/v1/media-reports/: a monitored media report becomes a work order (R28.1)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from jiesu.api.serializers import CONTENT_ERRORS, StrictJSONSerializer
from jiesu.intake.services import decide_or_leave_for_review
from jiesu.orders import choices
from jiesu.orders import services as order_services

from .models import MediaReport


class MediaReportSerializer(StrictJSONSerializer):
    outlet = serializers.CharField(max_length=100, min_length=1, label="媒体名称")
    # 250: a longer one may carry a host name past the 253 characters a URL validator accepts.
    url = serializers.URLField(max_length=250, label="报道链接")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label="报道标题")
    published_at = serializers.DateTimeField(label="发布时间", help_text="不能晚于现在")
    content = serializers.CharField(max_length=4000, min_length=5, label="反映的问题", error_messages=CONTENT_ERRORS)
    kind = serializers.ChoiceField(choices=choices.KINDS, default="complaint", label="诉求类型")
    location_text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="", label="地点")
    monitored = serializers.BooleanField(default=True, label="舆情监测发现")

    def validate_published_at(self, value):
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise serializers.ValidationError("发布时间不能晚于现在。")
        return value


class MediaReportView(APIView):
    parser_classes = [JSONParser]  # as the order API: JSON says null and false as they are

    @extend_schema(
        request=MediaReportSerializer,
        responses={
            201: dict,
            409: OpenApiResponse(response=dict, description="该报道已受理（同一链接只受理一次）"),
        },
    )
    def post(self, request):
        serializer = MediaReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        if MediaReport.objects.filter(url=d["url"]).exists():
            return Response({"url": ["该报道已受理。"]}, status=status.HTTP_409_CONFLICT)
        try:
            with transaction.atomic():
                order = order_services.create_order(
                    order_services.IntakeData(
                        channel="media", kind=d["kind"], content=d["content"], location_text=d["location_text"]
                    ),
                    actor=request.user,
                )
                report = MediaReport.objects.create(
                    order=order,
                    outlet=d["outlet"],
                    url=d["url"],
                    title=d["title"],
                    published_at=d["published_at"],
                    monitored=d["monitored"],
                )
                order_services.record_event(
                    order,
                    action="media_report_recorded",
                    actor=request.user,
                    data={"outlet": report.outlet, "url": report.url, "published_at": report.published_at.isoformat()},
                )
                decide_or_leave_for_review(order, locked=True)
        except DjangoValidationError as exc:
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        order.refresh_from_db()
        return Response(
            {
                "number": order.number,
                "status": order.status,
                "status_label": str(dict(choices.STATUSES)[order.status]),
                "media": {"outlet": report.outlet, "url": report.url, "published_at": report.published_at.isoformat()},
            },
            status=status.HTTP_201_CREATED,
        )
