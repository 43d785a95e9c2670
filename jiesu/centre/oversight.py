"""What district and city governments oversee (R5.1, article 5): read-only, through the
orders' visibility selector, so that who sees which order is still decided in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiesu.core import roles
from jiesu.core.roles import oversight_district_id
from jiesu.directory.models import Place
from jiesu.orders import choices
from jiesu.orders.models import WorkOrder
from jiesu.orders.selectors import orders_visible_to


@dataclass(frozen=True)
class Scope:
    district: Place | None  # None: the whole city

    @property
    def label(self) -> str:
        return self.district.name if self.district else _("全市")


def scope_for(user) -> Scope:
    role = getattr(user, "role", None)
    if role == roles.CITY_OVERSIGHT:
        return Scope(None)
    if role == roles.DISTRICT_OVERSIGHT and oversight_district_id(user):
        return Scope(Place.objects.get(pk=oversight_district_id(user)))
    raise PermissionDenied(_("督查页面只对区、市政府督查人员开放。"))


def overdue_orders(user, query: str = "") -> QuerySet[WorkOrder]:
    scope_for(user)
    qs = (
        orders_visible_to(user)
        .filter(status__in=choices.OPEN_STATUSES, due_at__lt=timezone.now())
        .order_by("due_at", "id")
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(number__startswith=query) | Q(content__icontains=query) | Q(lead_unit__name__icontains=query))
    return qs


def counts(user) -> dict:
    scope_for(user)
    now = timezone.now()
    visible = orders_visible_to(user)
    return visible.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=choices.OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=choices.OPEN_STATUSES, due_at__lt=now)),
    )


def township_scores(user, limit: int = 200):
    """The latest assessment of the townships (and, for the city, every group) in scope."""
    from jiesu.assessment import selectors as assessment

    scope = scope_for(user)
    run = assessment.runs().first()
    if run is None:
        return None, []
    return run, list(
        assessment.ranking(run, "township", district_id=scope.district.pk if scope.district else None)[:limit]
    )
