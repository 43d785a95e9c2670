"""State changes of the dispatch catalog, each one function that records who made it and when.

The shipped rules are loaded by `jiesu load-rules` (rules.py); what a person changes afterwards
goes through here, from the admin or any other screen.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CatalogVersion


def publish_version(version: CatalogVersion, *, actor) -> CatalogVersion:
    """Publish a draft catalog version: from its effective date the engine dispatches by it
    (R12.1), and it never changes again (past orders were dispatched by it). Records who
    published it and when; saving it moves the rules revision, so every worker's engine
    rebuilds (signals.py)."""
    with transaction.atomic():
        # Locked: two people publishing the same draft at once publish it once.
        locked = CatalogVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != CatalogVersion.DRAFT:
            raise ValidationError({"status": [_("只能发布草稿：%(v)s 已经发布。") % {"v": locked.version}]})
        locked.status = CatalogVersion.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = actor
        locked.save(update_fields=["status", "published_at", "published_by"])
    for field in ("status", "published_at", "published_by"):
        setattr(version, field, getattr(locked, field))
    return version
