"""Read-side questions about orders, answered the same way for every screen and endpoint.

Who may see which order (R5.1) and how much of the requester (R8.3) is decided here only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from jiesu.core import crypto, roles

from .models import OrderUnit, WorkOrder
from .services import record_identity_read


def orders_visible_to(user) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.select_related("district", "subdistrict", "community", "lead_unit")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser or user.role in roles.CENTRE_ROLES:
        return qs
    if user.role in roles.UNIT_ROLES and user.unit_id:
        # A unit sees the orders it took part in, including ones it has since objected to
        # (its own actions stay part of its record), and those it is consulted on (R12.3).
        # EXISTS rather than JOIN + DISTINCT: the list stays an index walk at millions of orders.
        from jiesu.dispatch.models import Consultation

        invited = Consultation.units.through.objects.filter(consultation__order=OuterRef("pk"), unit_id=user.unit_id)
        return qs.filter(Q(Exists(OrderUnit.objects.filter(order=OuterRef("pk"), unit_id=user.unit_id))) | Q(Exists(invited)))
    return qs.none()


def get_order_for(user, number: str) -> WorkOrder:
    try:
        return orders_visible_to(user).get(number=number)
    except WorkOrder.DoesNotExist:
        # The same answer for "missing" and "not yours": a unit must not learn which
        # numbers exist elsewhere.
        raise WorkOrder.DoesNotExist(f"工单{number}不存在或无权查看")


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
    if role in roles.IDENTITY_ROLES or getattr(user, "is_superuser", False):
        fields = [f for f, v in (("name", name), ("phone", phone), ("id_number", id_number)) if v]
        if fields and audit:
            record_identity_read(order, user, fields=fields, purpose=purpose)
        return RequesterView(name, phone, id_number, masked=False, hidden=False)
    return RequesterView(
        crypto.mask_name(name), crypto.mask_phone(phone), crypto.mask_id_number(id_number), masked=True, hidden=False
    )


def caller_history(user, phone: str, *, limit: int = 10) -> QuerySet[WorkOrder]:
    """Earlier orders of the same caller, found through the blind index (no decryption)."""
    index = crypto.blind_index(phone)
    if not index or len(crypto.normalise_phone(phone)) < 7:
        return WorkOrder.objects.none()
    return orders_visible_to(user).filter(requester_phone_index=index)[:limit]
