"""`events_recorded`: sent once order events are written, whether one by one (record_event) or
in one bulk_create (intake, acting on the engine's decision). bulk_create sends no post_save, so
apps that react to an order's history (units told of a dispatch) listen here instead."""

from django.dispatch import Signal

# Sent with events=[OrderEvent, ...], all saved, in the transaction that wrote them, and parts:
# the unit parts written with them (their units loaded), or None when the sender did not write
# any (a receiver that needs an order's parts then reads them).
events_recorded = Signal()


def send_recorded(events, *, parts=None) -> None:
    events_recorded.send(sender=None, events=list(events), parts=parts)
