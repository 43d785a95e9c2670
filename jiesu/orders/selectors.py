"""Read-side questions about orders, answered the same way for every screen and endpoint.

Who may see which order (R5.1) and how much of the requester (R8.3) is decided here only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from jiesu.core import crypto, redact, roles, rows
from jiesu.directory.models import Unit

from . import choices
from .models import IdempotencyRecord, OrderUnit, WorkOrder
from .services import record_identity_read

# Where a unit sees orders it took no part in: functions from a unit's key to order keys, given
# by the apps above orders from their AppConfig.ready() (dispatch: the orders the unit is
# consulted on, R12.3). Orders sits below those apps and does not import them.
_UNIT_SIGHT: list[Callable[[int], Iterable[int]]] = []


def register_unit_sight(source: Callable[[int], Iterable[int]]) -> None:
    """Let a unit see the orders `source(unit_id)` names, besides the ones it took part in."""
    if source not in _UNIT_SIGHT:
        _UNIT_SIGHT.append(source)


_ORDER_JOINS = ("district", "subdistrict", "community", "lead_unit")


def orders_visible_to(user) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.select_related(*_ORDER_JOINS)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_every_order(user) or user.role == roles.CITY_OVERSIGHT:
        return qs
    if user.role == roles.DISTRICT_OVERSIGHT:
        return _district_oversight(qs, user)
    if user.role in roles.UNIT_ROLES and user.unit_id:
        # A unit sees the orders it took part in, including ones it has since objected to
        # (its own actions stay part of its record), and those it is consulted on (R12.3).
        # One EXISTS that PostgreSQL turns into a semi-join, free to start from the unit's own
        # rows (a subdistrict's 2,500 of 1M orders) or to walk the newest orders and probe
        # (a district's 150,000). An OR of two subqueries made it test every order in the table
        # instead. Consultations are few, so their orders come as a short list of keys, and only
        # a unit that has some pays for the OR.
        took_part = Q(Exists(OrderUnit.objects.filter(order=OuterRef("pk"), unit_id=user.unit_id)))
        return _or_consulted(qs, took_part, user.unit_id)
    return qs.none()


def _or_consulted(qs: QuerySet[WorkOrder], took_part: Q, unit_id: int) -> QuerySet[WorkOrder]:
    consulted = _consulted(unit_id)
    return qs.filter(took_part | Q(pk__in=consulted)) if consulted else qs.filter(took_part)


def _consulted(unit_id: int) -> list[int]:
    return [pk for source in _UNIT_SIGHT for pk in source(unit_id)]


def _district_oversight(qs: QuerySet[WorkOrder], user) -> QuerySet[WorkOrder]:
    """A district government oversees (article 5) the orders located in its territory and
    those dispatched to any unit of the district (its departments, townships, communities)."""
    district_id = roles.oversight_district_id(user)
    if not district_id:
        return qs.none()
    if connection.vendor == "postgresql":
        return qs.filter(_district_keys_test(district_id))
    of_its_units = Exists(OrderUnit.objects.filter(order=OuterRef("pk"), unit__district_id=district_id))
    return qs.filter(Q(district_id=district_id) | Q(of_its_units))


def _district_keys_test(district_id: int) -> Q:
    """The same orders as the EXISTS over the parts, by the order's search keys (migration
    orders 0019). The district's own key, in the search index beside the bigrams and the units,
    gives the orders once located in the district or handled by one of its units; on those few,
    located there now or one of its units among the order's unit keys (parts are never deleted,
    so those are its parts' units) is the EXISTS's test. With the EXISTS the planner hashed every
    part of the district's units first: 0.4 s for the first page of its list at 1.6M orders, and
    1.2 s to count its orders holding 物业, against 10 and 65 ms (bench/README.md)."""
    table = WorkOrder._meta.db_table
    candidate = RawSQL(f'"{table}"."unit_keys" @> ARRAY[%s]::bigint[]', (-district_id,), output_field=BooleanField())
    of_its_units = RawSQL(
        f'"{table}"."unit_keys" && ARRAY(SELECT "id" FROM "{Unit._meta.db_table}" WHERE "district_id" = %s)::bigint[]',
        (district_id,),
        output_field=BooleanField(),
    )
    return Q(candidate) & (Q(district_id=district_id) | Q(of_its_units))


def sees_every_order(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and roles.has_role(user, roles.CENTRE_ROLES))


def search_orders(
    user, query: str, *, visible: QuerySet[WorkOrder] | None = None, indexed: bool = True
) -> QuerySet[WorkOrder]:
    """The order list's search box over what `user` may see: a caller's phone number (seven
    digits or more, for roles that see requesters' identities), an order number prefix when the
    query starts with a digit (261130-00042 has a dash after six), else the text anywhere in the
    content, ignoring case.

    On PostgreSQL a GIN index on the content's character bigrams (migration 0007) finds the
    candidates, and for longer queries the substring test keeps only true matches (the bigrams of
    烧烤店 also occur in 烧烤 ... 烤店); a two-character query is its own single bigram, so
    containment is the whole test. pg_trgm would not do: it has no trigram for the two-character
    words people type most (物业, 噪音). Single characters have no bigram and are scanned, as is
    everything on SQLite.

    `indexed=False` gives the same rows through the LIKE alone. For a word in thousands of orders
    the newest page is best found by walking the orders newest first, and there the LIKE costs
    a microsecond per order where computing the bigrams costs twenty (CappedPaginator's `walk`).
    `visible` is `orders_visible_to(user)` when the caller already has it (it costs a query for a
    unit's consultations). A unit's indexed search on PostgreSQL does not use it: it asks for the
    same orders by the order's unit keys, which the search index holds. A district government's
    sight is its district's key in the same index (`_district_keys_test`).
    """
    qs = orders_visible_to(user) if visible is None else visible
    query = query.strip()
    if not query:
        return qs
    if query.isdigit() and len(query) >= 7:
        return _search_by_phone(user, qs, query)
    if query[:1].isdigit():
        return qs.filter(number__startswith=query)
    if not indexed or connection.vendor != "postgresql" or len(query) < 2:
        return qs.filter(content__icontains=query)
    table = WorkOrder._meta.db_table
    if _unit_sight_only(user):
        # The same orders as orders_visible_to's, by the order's own unit keys (migration orders
        # 0018): one GIN index then gives the unit's orders holding the word, where the bigrams
        # alone gave the whole city's and each was probed for the unit's part.
        took_part = Q(
            RawSQL(f'"{table}"."unit_keys" @> ARRAY[%s]::bigint[]', (user.unit_id,), output_field=BooleanField())
        )
        qs = _or_consulted(WorkOrder.objects.select_related(*_ORDER_JOINS), took_part, user.unit_id)
    qs = qs.filter(
        RawSQL(f'jiesu_bigrams("{table}"."content") @> jiesu_bigrams(%s)', (query,), output_field=BooleanField())
    )
    # Not the LIKE as well for two characters: PostgreSQL would count both tests' selectivity,
    # expect a handful of rows where there are 160,000 (物业 at 1M orders) and plan for a handful.
    return qs if len(query) == 2 else qs.filter(content__icontains=query)


def sees_identities(user) -> bool:
    """Whether the user sees requesters' names and phones unmasked (R8.3), confidentiality apart."""
    return roles.has_role(user, roles.IDENTITY_ROLES)


def _search_by_phone(user, qs: QuerySet[WorkOrder], phone: str) -> QuerySet[WorkOrder]:
    """Through the blind index, as the intake screen's caller history: no decryption. Only for
    roles that see the phone anyway, and never a confidential requester's orders for a unit,
    which would learn the number by finding a match."""
    if not sees_identities(user):
        return qs.none()
    qs = qs.filter(requester_phone_index=crypto.blind_index(phone))
    return qs.filter(requester_confidential=False) if user.role in roles.UNIT_ROLES else qs


def get_order_for(user, number: str, *, related: bool = True) -> WorkOrder:
    """The order with this number if `user` may see it (orders_visible_to), else DoesNotExist.

    `related=False` leaves out the district, places and lead unit rows that pages show and an
    action does not need (it locks and reads the row again)."""
    missing = WorkOrder.DoesNotExist(f"工单{number}不存在或无权查看")
    if _unit_sight_only(user):
        # One order by its number, asked whether the unit took part: one statement where the
        # list's filter also needed the unit's consultations first. Those are read only for an
        # order the unit took no part in.
        order, took_part = _unit_order(user.unit_id, number, related)
        if order is None or not (took_part or order.pk in _consulted(user.unit_id)):
            # The same answer for "missing" and "not yours": a unit must not learn which
            # numbers exist elsewhere.
            raise missing
        return order
    qs = orders_visible_to(user)
    try:
        return (qs if related else qs.select_related(None)).get(number=number)
    except WorkOrder.DoesNotExist:
        raise missing from None


def _unit_order(unit_id: int, number: str, related: bool) -> tuple[WorkOrder | None, bool]:
    """The order by its number, and whether the unit has a part in it."""
    if related:
        took_part = Exists(OrderUnit.objects.filter(order=OuterRef("pk"), unit_id=unit_id))
        order = (
            WorkOrder.objects.select_related(*_ORDER_JOINS)
            .filter(number=number)
            .annotate(unit_took_part=took_part)
            .first()
        )
        return order, bool(order and order.unit_took_part)
    # An action's read (every accept, contact and reply): a statement built once.
    found = rows.one(
        WorkOrder,
        '"orders_workorder"."number" = %s',
        [number],
        extra='EXISTS (SELECT 1 FROM "orders_orderunit" part WHERE part."order_id" = "orders_workorder"."id" '
        'AND part."unit_id" = %s)',
        extra_params=(unit_id,),
    )
    return (found[0], bool(found[1])) if found else (None, False)


def _unit_sight_only(user) -> bool:
    """Whether orders_visible_to gives this user a unit's sight (its parts and consultations)."""
    return (
        getattr(user, "is_authenticated", False)
        and not sees_every_order(user)
        and user.role in roles.UNIT_ROLES
        and bool(user.unit_id)
    )


def check_can_view(user, order: WorkOrder) -> None:
    if not orders_visible_to(user).filter(pk=order.pk).exists():
        raise PermissionDenied("无权查看该工单。")


@dataclass(frozen=True)
class RequesterView:
    name: str
    phone: str
    id_number: str
    masked: bool
    hidden: bool  # confidential requester: units see no identity at all

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "phone": self.phone,
            "id_number": self.id_number,
            "masked": self.masked,
            "hidden": self.hidden,
        }


def requester_view(order: WorkOrder, user, *, purpose: str, audit: bool = True) -> RequesterView:
    """The requester as this user may see them; an unmasked read is recorded.

    `audit=False` only where the user is reading back what they have just submitted.
    """
    role = getattr(user, "role", "")
    if order.requester_confidential and role in roles.UNIT_ROLES:
        return RequesterView("（保密）", "（保密）", "", masked=True, hidden=True)
    name, phone, id_number = order.requester_name, order.requester_phone, order.requester_id_number
    if sees_identities(user):
        fields = [f for f, v in (("name", name), ("phone", phone), ("id_number", id_number)) if v]
        if fields and audit:
            record_identity_read(order, user, fields=fields, purpose=purpose)
        return RequesterView(name, phone, id_number, masked=False, hidden=False)
    return RequesterView(
        crypto.mask_name(name), crypto.mask_phone(phone), crypto.mask_id_number(id_number), masked=True, hidden=False
    )


# Free text and the identities in it (R8.3) ----------------------------------------------------


def requester_identities(order: WorkOrder, *, other=()) -> list[tuple[str, str]]:
    """The requester's own values, to find or blank wherever they were typed into free text.

    Decrypting here is not a read by a person: nothing leaves but redacted text or the fact
    that something was found, so no PersonalDataAccess record is due for it.
    """
    return redact.known_values(order.requester_name, order.requester_phone, order.requester_id_number, other)


def shows_identities(order: WorkOrder, user) -> bool:
    """Whether this user sees this order's identities unmasked: the rule of requester_view,
    applied to free text too (a confidential requester stays hidden from units)."""
    if order.requester_confidential and getattr(user, "role", "") in roles.UNIT_ROLES:
        return False
    return sees_identities(user)


def redactor_for(order: WorkOrder, user) -> redact.Redactor:
    """How this user reads the order's free text (content, replies, notes, event data)."""
    return redact.Redactor(
        lambda: requester_identities(order),
        mask=not shows_identities(order, user),
        originals=lambda: {order.content: order.request_text},
    )


def check_centre_text(order: WorkOrder | None, fields: dict[str, tuple[str, str]]) -> None:
    """Warn the centre's writer about identities in text that leaves the centre (units, the
    requester, other bodies): field name -> (label, text). Confirmable, unlike units' text."""
    from jiesu.core import validation

    validation.check_entry(fields, requester_identities(order) if order is not None else ())


def public_redactor(order: WorkOrder) -> redact.Redactor:
    """For anyone outside: the rating page, SMS, notifications, Open311, neighbour hotlines."""
    return redact.Redactor(lambda: requester_identities(order), mask=True)


def record_exposure(order: WorkOrder, user, redactor: redact.Redactor, *, purpose: str) -> None:
    """Audit identities a page or response showed unmasked in free text, beside the requester
    block that requester_view audits: each read is recorded with what kinds were shown."""
    if redactor.exposed and getattr(user, "is_authenticated", False):
        record_identity_read(order, user, fields=[f"text.{kind}" for kind in sorted(redactor.exposed)], purpose=purpose)


def caller_history(user, phone: str, *, limit: int = 10) -> QuerySet[WorkOrder]:
    """Earlier orders of the same caller, found through the blind index (no decryption)."""
    index = crypto.blind_index(phone)
    if not index or len(crypto.normalise_phone(phone)) < 7:
        return WorkOrder.objects.none()
    return orders_visible_to(user).filter(requester_phone_index=index)[:limit]


def order_record(order: WorkOrder, user) -> dict:
    """What the order page shows beside the timeline: the records each stage keeps about the order.

    Who may see the order at all is decided by get_order_for; these are the order's own rows,
    and their free text goes through the page's redactor like the rest of the page.
    """
    objections = order.objections.select_related("unit").order_by("raised_at")
    appeals = order.assessment_appeals.select_related("unit").order_by("filed_at")
    if getattr(user, "role", "") in roles.UNIT_ROLES:
        # A unit's objection or appeal is between it and the centre, not for the other units.
        objections, appeals = objections.filter(unit_id=user.unit_id), appeals.filter(unit_id=user.unit_id)
    return {
        "replies": order.replies.select_related("unit", "replied_by").all(),
        "visits": order.return_visits.select_related("unit", "visitor").order_by("round"),
        "extensions": order.extension_requests.select_related("unit", "decided_by").all(),
        "escalations": order.escalations.select_related("from_unit", "to_unit").all(),
        "whistles": order.whistles.select_related("office").prefetch_related("calls__department").all(),
        "objections": objections,
        "supervisions": order.supervisions.select_related("unit", "by").all(),
        "appeals": appeals,
    }


# Attachments (R8.1, R8.3) ----------------------------------------------------------------------

# A unit's part that works the order itself; an assisting unit gets its task, not the requester's files.


def can_open_attachments(user, order: WorkOrder) -> bool:
    """Photos and recordings show the requester's home, face and voice: the centre and the units
    that lead or coordinate the order may open them, each opening audited like an identity read."""
    if not getattr(user, "is_authenticated", False):
        return False
    if sees_every_order(user):
        return True
    if user.role in roles.UNIT_ROLES and user.unit_id:
        return OrderUnit.objects.filter(
            order=order, unit_id=user.unit_id, active=True, role__in=choices.LEAD_ROLES
        ).exists()
    return False


class AttachmentErased(Exception):
    """The attachment's file was erased with the order's personal data: answered 410."""

    message = "该附件已按规定删除，无法再查看或下载。"


def attachment_for(user, number: str, pk: int):
    """The attachment if `user` may open it; Http404 where the order is not theirs to see,
    PermissionDenied where they see the order but not its files, AttachmentErased once its
    file was erased."""
    from django.http import Http404

    from .models import Attachment

    try:
        order = get_order_for(user, number)
    except WorkOrder.DoesNotExist:
        raise Http404("工单不存在或无权查看") from None
    attachment = Attachment.objects.filter(order=order, pk=pk).first()
    if attachment is None:
        raise Http404("附件不存在")
    if not can_open_attachments(user, order):
        raise PermissionDenied("只有热线中心和主办、牵头单位可以查看附件。")
    if attachment.erased_at or not attachment.file.name:
        raise AttachmentErased(AttachmentErased.message)
    return attachment


def record_attachment_read(attachment, user, *, purpose: str) -> None:
    record_identity_read(attachment.order, user, fields=[f"attachment.{attachment.pk}"], purpose=purpose)


def idempotency_key_known(user, key: str) -> bool:
    """Whether this user has sent this Idempotency-Key before: asked of every keyed intake POST
    (a statement built once; the queryset's compile cost half a millisecond of CPU), and of the
    primary, where a retry sent right after its first POST finds the key that POST wrote."""
    return rows.exists(IdempotencyRecord, '"user_id" = %s AND "key" = %s', [user.pk, key])
