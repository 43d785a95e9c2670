"""Telling units, users and requesters: one row per message, deliveries after commit."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from jiesu.directory.models import Unit

from .models import Delivery, Notification


def _schedule(deliveries: list[Delivery]) -> None:
    from .tasks import deliver

    for d in deliveries:
        # After commit: a worker in another process must find the row, and a rolled-back
        # action must not have told anyone anything.
        transaction.on_commit(lambda pk=d.pk: deliver.delay(pk))


def _create(*, audience: str, kind: str, title: str, body: str = "", order=None, unit=None, user=None,
            channels: tuple[str, ...] = ()) -> Notification:
    n = Notification.objects.create(audience=audience, kind=kind, title=title[:200], body=body, order=order,
                                    recipient_unit=unit, recipient_user=user)
    deliveries = [Delivery.objects.create(notification=n, channel=c) for c in channels]
    _schedule(deliveries)
    return n


def notify_unit(unit: Unit, *, kind: str, title: str, body: str = "", order=None) -> Notification:
    """In the unit's inbox; by e-mail and SMS too where the directory has the unit's addresses."""
    channels = tuple(c for c, have in ((Delivery.EMAIL, unit.contact_email), (Delivery.SMS, unit.contact_phone)) if have)
    return _create(audience=Notification.UNIT, kind=kind, title=title, body=body, order=order, unit=unit,
                   channels=channels)


def notify_user(user, *, kind: str, title: str, body: str = "", order=None) -> Notification:
    channels = (Delivery.EMAIL,) if user.email else ()
    return _create(audience=Notification.USER, kind=kind, title=title, body=body, order=order, user=user,
                   channels=channels)


def notify_requester(order, *, kind: str, title: str, body: str = "") -> Notification:
    """An SMS to the requester of an order (R15.1); the number is read from the order at sending."""
    channels = (Delivery.SMS,) if order.requester_phone_enc and order.requester_phone_index else ()
    return _create(audience=Notification.REQUESTER, kind=kind, title=title, body=body, order=order, channels=channels)


def inbox(user):
    """What the user's inbox shows: their own notifications and their unit's."""
    from django.db.models import Q

    if not user.is_authenticated:
        return Notification.objects.none()
    q = Q(recipient_user=user)
    if user.unit_id:
        q |= Q(recipient_unit_id=user.unit_id)
    return Notification.objects.filter(q).select_related("order", "recipient_unit")


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def mark_read(notification: Notification, *, user) -> Notification:
    if not inbox(user).filter(pk=notification.pk).exists():
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("这条通知不是发给您或您的单位的。")
    if notification.read_at is None:
        notification.read_at, notification.read_by = timezone.now(), user
        notification.save(update_fields=["read_at", "read_by"])
    return notification
