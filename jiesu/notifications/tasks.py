"""Delivery of notifications over e-mail and SMS, one task per delivery."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from jiesu.celery import app
from jiesu.core import redact, rows

from .models import Delivery, Notification
from .services import link_for
from .sms import get_backend


class NoAddress(Exception):
    pass


def _email_address(n: Notification) -> str:
    if n.recipient_user_id and n.recipient_user.email:
        return n.recipient_user.email
    if n.recipient_unit_id and n.recipient_unit.contact_email:
        return n.recipient_unit.contact_email
    raise NoAddress("没有可用的电子邮箱")


def _phone(n: Notification) -> str:
    if n.audience == Notification.REQUESTER and n.order_id:
        phone = n.order.requester_phone  # decrypted only here, at the moment of sending
    elif n.recipient_unit_id:
        phone = n.recipient_unit.contact_phone
    else:
        phone = ""
    if not phone:
        raise NoAddress("没有可用的手机号码")
    return phone


# What sending reads: the four joined rows in full were some 80 columns to compile, plan and
# build per message (2-3 ms of a worker's CPU and 2.5 ms of planning per reply with a text to the
# citizen); a field left out is still read if a link maker needs it, by a query of its own.
_SENDING_FIELDS = (
    "notification_id",
    "channel",
    "status",
    "attempts",
    "sent_at",
    "gateway_id",
    "error",
    "notification__audience",
    "notification__kind",
    "notification__title",
    "notification__body",
    "notification__params",
    "notification__order_id",
    "notification__recipient_unit_id",
    "notification__recipient_user_id",
    "notification__order__requester_phone_enc",
    "notification__recipient_unit__contact_phone",
    "notification__recipient_unit__contact_email",
    "notification__recipient_user__email",
)


def _locked_delivery(delivery_id: int) -> Delivery:
    # In a statement built once per process (core.rows): the queryset's compile of the same
    # read was a quarter of a reply's CPU where the SMS goes out in the request (no broker).
    delivery = rows.one_with(
        Delivery, '"notifications_delivery"."id" = %s', [delivery_id], fields=_SENDING_FIELDS, lock=True
    )
    if delivery is None:
        raise Delivery.DoesNotExist(f"delivery {delivery_id}")
    return delivery


@app.task(bind=True, max_retries=3, default_retry_delay=30)
def deliver(self, delivery_id: int) -> str:
    error = None
    with transaction.atomic():
        delivery = _locked_delivery(delivery_id)
        if delivery.status == Delivery.SENT:
            return delivery.status  # a retried or duplicated message must not send twice
        n = delivery.notification
        delivery.attempts += 1
        try:
            # A link (a bearer token) is made now and goes only to the gateway, never to a row.
            link = link_for(n)
            if delivery.channel == Delivery.EMAIL:
                send_mail(n.title, (n.body or n.title) + link, None, [_email_address(n)])
                delivery.gateway_id = "email"
            else:
                text = f"【12345】{n.title}。{n.body}"
                delivery.gateway_id = get_backend().send(_phone(n), text[: 300 - len(link)] + link)
            delivery.status, delivery.sent_at, delivery.error = Delivery.SENT, timezone.now(), ""
        except NoAddress as exc:
            delivery.status, delivery.error = Delivery.FAILED, str(exc)
        except Exception as exc:  # noqa: BLE001 - a gateway failure is recorded, then retried
            error = exc
            # A gateway may echo the message: keep neither its link nor an identity in the row.
            delivery.error = redact.scrub(repr(exc))[:2000]
            final = self.request.is_eager or self.request.retries >= self.max_retries
            if final:
                delivery.status = Delivery.FAILED
        rows.update(delivery, ("attempts", "status", "sent_at", "gateway_id", "error"))
    # Retry outside the transaction, so the recorded attempt survives.
    if error is not None and delivery.status != Delivery.FAILED:
        raise self.retry(exc=error)
    return delivery.status


@app.task(name="jiesu.notifications.limits_near")
def limits_near() -> int:
    from .pushes import notify_limits_near

    return notify_limits_near()


@app.task(name="jiesu.notifications.daily_digest")
def daily_digest() -> int:
    from .pushes import send_daily_digest

    return send_daily_digest()
