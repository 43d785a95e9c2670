import threading

from django.core.validators import RegexValidator
from django.utils.functional import cached_property
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

from jiesu.core import phones
from jiesu.orders import choices
from jiesu.orders.models import Attachment, OrderEvent, OrderUnit, WorkOrder

# What orders.services accepts, said as patterns so the schema says it (and the API holds to it):
# a phone as jiesu.core.phones takes it (7 to 12 digits with the separators people type, or +86
# and 11 digits); an identity card number of 15 or 18 characters, all digits but the last.
PHONE = RegexValidator(phones.PATTERN, phones.MESSAGE)
ID_NUMBER = RegexValidator(r"^(?:[0-9]{14}|[0-9]{17})[0-9A-Za-z]$", "身份证号应为15位或18位。")
CONTENT_ERRORS = {"blank": "请记录诉求内容（至少5个字）。", "min_length": "请记录诉求内容（至少5个字）。"}


class ReusedFields:
    """Fields built once per thread and class instead of for every instance (issue 17: the intake
    POST spent about a tenth of its CPU deep-copying its input's declared fields and building its
    answer's model fields, the same each time).

    DRF builds fresh fields per instance so that a view may change them; the serializers that
    take this never do. Between uses a field keeps no state but its `parent`, which each new
    instance takes over (a SerializerMethodField calls its parent, which holds the context). So a
    thread uses one instance at a time, as a view does: build, validate or render, done; and each
    thread keeps its own set, since a gthread worker serves several requests at once.
    """

    _per_thread = threading.local()

    @cached_property
    def fields(self):
        built = self._per_thread.__dict__.setdefault("fields", {})
        first = built.get(type(self))
        if first is None:
            built[type(self)] = first = super().fields
            return first
        fields = BindingDict(self)
        fields.fields.update(first.fields)  # bound already: only the parent changes
        for field in fields.fields.values():
            field.parent = self
        return fields


def _json_kind(field) -> tuple[tuple[type, ...], str] | None:
    """The JSON type a field's value must already have, and the message when it does not."""
    if isinstance(field, serializers.BooleanField):
        return (bool,), "须为 true 或 false。"
    if isinstance(field, serializers.IntegerField):
        return (int,), "须为整数。"
    if isinstance(field, (serializers.FloatField, serializers.DecimalField)):
        return (int, float), "须为数字。"
    if isinstance(field, (serializers.CharField, serializers.ChoiceField, serializers.DateTimeField)):
        return (str,), "须为字符串。"
    return None


class StrictJSONSerializer(serializers.Serializer):
    """An input serializer that takes each JSON value as the type the schema says, as a client
    generated from the schema sends it: DRF would also read 0 as false and 0 as the text "0",
    so a request that breaks the schema would be taken (and a typo'd client never told)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name, field in self.fields.items():
                value = data.get(name)
                kind = _json_kind(field)
                if field.read_only or value is None or kind is None:
                    continue  # absent, or null (allow_null decides), or a type DRF checks itself
                types, message = kind
                if isinstance(value, bool) and bool not in types or not isinstance(value, types):
                    errors[name] = [message]
                elif getattr(field, "max_length", None) and isinstance(value, str) and len(value) > field.max_length:
                    # DRF trims before it counts: the length the schema gives is of what is sent.
                    errors[name] = [f"最多{field.max_length}个字符，当前{len(value)}个。"]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class OrderCreateSerializer(ReusedFields, StrictJSONSerializer):
    """Input of POST /api/v1/orders/ (R2.1, R10.1). The service validates again."""

    channel = serializers.ChoiceField(choices=choices.CHANNELS, default="api")
    source_line = serializers.ChoiceField(choices=choices.SOURCE_LINES, default="12345")
    kind = serializers.ChoiceField(choices=choices.KINDS)
    # The service's own rule (at least 5 characters once trimmed), said here so the schema says it.
    content = serializers.CharField(max_length=4000, min_length=5, error_messages=CONTENT_ERRORS)
    requester_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", validators=[PHONE], help_text="7至12位数字"
    )
    requester_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    requester_id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, default="", validators=[ID_NUMBER], help_text="15位或18位"
    )
    requester_type = serializers.ChoiceField(choices=choices.REQUESTER_TYPES, default="natural")
    requester_organisation = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    requester_confidential = serializers.BooleanField(default=False)
    location_text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    # From 2000-01-01 (Beijing) to now (orders.services, five minutes' grace for a caller's clock):
    # JSON Schema has no bounds for a date-time, so the description says them.
    received_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text="受理时间：2000-01-01起，不晚于现在；留空为现在"
    )
    # Both or neither (the schema says so: api.schema.COORDINATES).
    latitude = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-180, max_value=180)
    # Where the telephony knows it: the call's length, kept in the caller's record (R9.1).
    call_duration = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=6 * 3600, help_text="通话时长（秒），可选"
    )


def _redactor(serializer, order):
    """The reader's redactor from the context (the detail view's, which records what an unmasked
    reader was shown), or, for lists, one that always masks: identities are read one order at a
    time, where the read is audited (R8.3)."""
    from jiesu.orders.selectors import public_redactor

    return serializer.context.get("redactor") or public_redactor(order)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = OrderEvent
        fields = ["at", "action", "from_status", "to_status", "actor", "data"]

    def to_representation(self, event):
        # Event data holds free text (a reply, a contact note, engine reasons quoting the request).
        out = super().to_representation(event)
        out["data"] = _redactor(self, event.order).data(out["data"])
        return out


class AssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    unit_code = serializers.CharField(source="unit.code")

    class Meta:
        model = OrderUnit
        fields = ["unit", "unit_code", "role", "active", "response_due", "due_at", "assigned_at"]


class RequesterSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()
    id_number = serializers.CharField()
    masked = serializers.BooleanField()
    hidden = serializers.BooleanField()


class OrderSerializer(serializers.ModelSerializer):
    district = serializers.CharField(source="district.name", default=None, allow_null=True)
    subdistrict = serializers.CharField(source="subdistrict.name", default=None, allow_null=True)
    community = serializers.CharField(source="community.name", default=None, allow_null=True)
    lead_unit = serializers.CharField(source="lead_unit.name", default=None, allow_null=True)

    class Meta:
        model = WorkOrder
        fields = [
            "number",
            "received_at",
            "channel",
            "source_line",
            "kind",
            "status",
            "requester_type",
            "requester_organisation",
            "requester_confidential",
            "content",
            "location_text",
            "district",
            "subdistrict",
            "community",
            "latitude",
            "longitude",
            "matter_code",
            "lead_unit",
            "response_due",
            "due_at",
        ]

    def to_representation(self, order):
        out = super().to_representation(order)
        redactor = _redactor(self, order)
        for name in ("content", "location_text"):
            out[name] = redactor.text(out[name])
        return out


class OrderDetailSerializer(OrderSerializer):
    requester = serializers.SerializerMethodField()
    events = EventSerializer(many=True, read_only=True)
    assignments = AssignmentSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = OrderSerializer.Meta.fields + ["requester", "events", "assignments", "attachments"]

    def get_requester(self, order) -> dict:
        return self.context["requester"].as_dict()

    def get_attachments(self, order) -> list[dict]:
        """The files with their download URLs, for those who may open them (centre, lead,
        coordinating unit); for others none, as on the order page."""
        if not self.context.get("can_open_attachments"):
            return []
        return AttachmentSerializer(order.attachments.all(), many=True, context=self.context).data


class OrderCreatedSerializer(ReusedFields, OrderSerializer):
    """The answer to a create: the order as decided, without its timeline (GET the order for that)."""

    requester = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = OrderSerializer.Meta.fields + ["requester"]

    def get_requester(self, order) -> dict:
        return self.context["requester"].as_dict()


class AttachmentSerializer(serializers.ModelSerializer):
    """A stored file; `url` downloads it through the API (audited), never from the media folder."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "stage", "kind", "content_type", "size", "sha256", "uploaded_at", "erased_at", "url"]

    def get_url(self, attachment) -> str:
        from django.urls import reverse

        path = reverse("order-attachment", kwargs={"number": attachment.order.number, "pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
