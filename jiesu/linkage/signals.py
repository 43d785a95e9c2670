"""Orders a neighbour hotline POSTs to our Open311 server are marked as theirs when they arrive.

A signal rather than a call from jiesu.open311: the Open311 server serves every client the
same way and need not know that some clients are hotlines.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from jiesu.open311.models import Submission


@receiver(post_save, sender=Submission, dispatch_uid="linkage.record_received")
def _mark_neighbour_order(sender, instance: Submission, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        from .services import record_received

        record_received(instance)
