"""Read-side questions of insight: who sees which alert and which orders' topics, and how an
alert reads to a person (matter and place by name, never by code)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jiesu.core import roles

from .models import Alert


def matter_names() -> dict[str, str]:
    from jiesu.catalog.models import Matter

    return dict(Matter.objects.values_list("code", "name"))


def matter_name(code: str, names: dict[str, str] | None = None) -> str:
    if not code:
        return ""
    names = matter_names() if names is None else names
    return names.get(code, _("其他事项"))


def place_name(place) -> str:
    if place is None:
        return ""
    parts = []
    node = place
    while node is not None:
        parts.append(node.name)
        node = node.parent
    return "".join(reversed(parts))


def alerts_visible_to(user) -> QuerySet[Alert]:
    """The centre sees every alert; a unit those routed to it; nobody else any."""
    qs = Alert.objects.select_related("place__parent__parent")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if roles.has_role(user, roles.CENTRE_ROLES):
        return qs
    if user.role in roles.UNIT_ROLES and user.unit_id:
        return qs.filter(units=user.unit_id)
    return qs.none()


def what(alert: Alert, names: dict[str, str] | None = None) -> str:
    """The matter of a surge, the sign of a risk."""
    if alert.kind == Alert.RISK:
        from . import signals

        category = signals.default_lexicon().categories.get(alert.category)
        return category["label"] if category else _("稳定风险")
    return matter_name(alert.matter_code, names)


def alert_title(alert: Alert) -> str:
    place = place_name(alert.place) or _("未定位")
    if alert.kind == Alert.SURGE:
        return _("诉求激增预警：%(place)s %(matter)s %(count)s 件（常态 %(baseline)s 件）") % {
            "place": place,
            "matter": what(alert),
            "count": alert.count,
            "baseline": f"{alert.baseline:g}",
        }
    return _("稳定风险预警：%(place)s %(what)s") % {"place": place, "what": what(alert)}


def alert_body(alert: Alert) -> str:
    lines = [_("严重程度：%s") % alert.get_severity_display()]
    if alert.cues:
        lines.append(_("依据：%s") % "、".join(alert.cues))
    return "\n".join(lines)


def alert_target(notification) -> tuple[str, str]:
    """The inbox's link for an alert's notification: the alert (the list, for one without its id)."""
    from django.urls import reverse

    pk = notification.params.get("alert")
    url = reverse("insight:alert", kwargs={"pk": pk}) if pk else reverse("insight:alerts")
    return url, _("查看预警")


def task_target(notification) -> tuple[str, str]:
    """The inbox's link for a 每月一题 task given to a unit: the task, where it reports progress."""
    from django.urls import reverse

    pk = notification.params.get("task")
    url = reverse("insight:month_task", kwargs={"pk": pk}) if pk else reverse("insight:month_topics")
    return url, _("查看任务")
