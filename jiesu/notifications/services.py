"""Telling units, users and requesters: one row per message, deliveries after commit.

A notification's title and body are stored redacted (R8.3): they are read in inboxes by people
who see identities masked, carried by e-mail and SMS gateways, and kept. A bearer link (the
requester's rating link) is never stored: the notification keeps a reference in `params`, and
the link is made when the message is sent, by the function its app registered for the kind.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from jiesu.core import redact, rows
from jiesu.directory.models import Unit

from .models import Delivery, Notification

# kind -> function(notification) giving the link to append at sending (see register_link).
_LINKS: dict[str, Callable[[Notification], str]] = {}


def register_link(kind: str, make: Callable[[Notification], str]) -> None:
    """An app names how a kind's link is made at sending time, from the notification's params."""
    _LINKS[kind] = make


def link_for(notification: Notification) -> str:
    make = _LINKS.get(notification.kind)
    return make(notification) if make else ""


# kind -> function(notification) giving (url, button text) of what it is about in the console,
# for notifications about something other than an order (an alert, a 每月一题 task).
_TARGETS: dict[str, Callable[[Notification], tuple[str, str] | None]] = {}


def register_target(kind: str, make: Callable[[Notification], tuple[str, str] | None]) -> None:
    """An app names the console page a kind of notification opens (the page checks who asks)."""
    _TARGETS[kind] = make


def target_for(notification: Notification) -> tuple[str, str] | None:
    """Where the inbox's button leads: the order, or the page its app registered for the kind."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    if notification.order_id:
        return reverse("handling:order", kwargs={"number": notification.order.number}), _("查看工单")
    make = _TARGETS.get(notification.kind)
    return make(notification) if make else None


def _stored(text: str, order) -> str:
    """What may be kept of a title or body: the order's requester and every identity-shaped
    string blanked, and no bearer link (the caller passes a reference in params instead)."""
    from jiesu.orders.selectors import requester_identities

    known = requester_identities(order) if order is not None else ()
    return redact.scrub(text, known)


def _schedule(deliveries: list[Delivery]) -> None:
    from .tasks import deliver

    for d in deliveries:
        # After commit: a worker in another process must find the row, and a rolled-back
        # action must not have told anyone anything.
        transaction.on_commit(lambda pk=d.pk: deliver.delay(pk))


def _create(
    *,
    audience: str,
    kind: str,
    title: str,
    body: str = "",
    order=None,
    unit=None,
    user=None,
    channels: tuple[str, ...] = (),
    params: dict | None = None,
) -> Notification:
    n = Notification(
        audience=audience,
        kind=kind,
        title=_stored(title, order)[:200],
        body=_stored(body, order),
        order=order,
        recipient_unit=unit,
        recipient_user=user,
        params=params or {},
    )
    # One statement built once per table (a reply writes two notices and a delivery).
    rows.insert([n])
    deliveries = [Delivery(notification=n, channel=c) for c in channels]
    rows.insert(deliveries)
    _schedule(deliveries)
    return n


def notify_unit(
    unit: Unit, *, kind: str, title: str, body: str = "", order=None, params: dict | None = None
) -> Notification:
    """In the unit's inbox; by e-mail and SMS too where the directory has the unit's addresses.
    `params`: what the kind's registered target needs (an alert's id), never a secret."""
    channels = tuple(
        c for c, have in ((Delivery.EMAIL, unit.contact_email), (Delivery.SMS, unit.contact_phone)) if have
    )
    return _create(
        audience=Notification.UNIT,
        kind=kind,
        title=title,
        body=body,
        order=order,
        unit=unit,
        channels=channels,
        params=params,
    )


def notify_units(messages: list[tuple[Unit, str, str]], *, kind: str, order) -> list[Notification]:
    """notify_unit for several units about one order, in one INSERT per table: dispatch tells
    every unit given a part inside the intake transaction (issue 17 counts its statements)."""
    notices = [
        Notification(
            audience=Notification.UNIT,
            kind=kind,
            title=_stored(title, order)[:200],
            body=_stored(body, order),
            order=order,
            recipient_unit=unit,
            params={},
        )
        for unit, title, body in messages
    ]
    rows.insert(notices)
    deliveries = [
        Delivery(notification=n, channel=c)
        for n, (unit, _, _) in zip(notices, messages)
        for c, have in ((Delivery.EMAIL, unit.contact_email), (Delivery.SMS, unit.contact_phone))
        if have
    ]
    rows.insert(deliveries)
    _schedule(deliveries)
    return notices


def notify_user(user, *, kind: str, title: str, body: str = "", order=None) -> Notification:
    channels = (Delivery.EMAIL,) if user.email else ()
    return _create(
        audience=Notification.USER, kind=kind, title=title, body=body, order=order, user=user, channels=channels
    )


def notify_requester(order, *, kind: str, title: str, body: str = "", params: dict | None = None) -> Notification:
    """An SMS to the requester of an order (R15.1); the number is read from the order at sending,
    and a link registered for `kind` is made then from `params`."""
    channels = (Delivery.SMS,) if order.requester_phone_enc and order.requester_phone_index else ()
    return _create(
        audience=Notification.REQUESTER,
        kind=kind,
        title=title,
        body=body,
        order=order,
        channels=channels,
        params=params,
    )


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
