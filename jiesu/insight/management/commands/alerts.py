"""`jiesu alerts --since 1h --format jsonl`: the alerts raised lately, one JSON object a line (R27.1)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiesu.insight import selectors, services
from jiesu.insight.models import Alert

_SPAN = re.compile(r"^(\d+)([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def parse_since(value: str, now: datetime) -> datetime:
    m = _SPAN.match(value.strip())
    if m:
        return now - timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--since：应为 30m、1h、2d 或 ISO 时间，收到 {value!r}") from None
    return at if timezone.is_aware(at) else timezone.make_aware(at)


class Command(BaseCommand):
    help = "列出最近发现的诉求激增和稳定风险预警，每行一条 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--since", default="1h", help="30m、1h、2d 或 ISO 时间（默认 1h）")
        parser.add_argument("--check", action="store_true", help="先运行一次预警检查")
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")

    def handle(self, *args, **o):
        now = timezone.now()
        since = parse_since(o["since"], now)
        if o["check"]:
            services.check_alerts(now)
        names = selectors.matter_names()
        alerts = (
            Alert.objects.filter(raised_at__gte=since)
            .select_related("place__parent__parent")
            .prefetch_related("orders", "units")
            .order_by("raised_at", "id")
        )
        for a in alerts:
            self.stdout.write(
                json.dumps(
                    {
                        "kind": a.kind,
                        "matter": selectors.what(a, names),
                        "matter_code": a.matter_code,
                        "category": a.category,
                        "place": selectors.place_name(a.place),
                        "count": a.count,
                        "baseline": a.baseline,
                        "severity": a.severity,
                        "status": a.status,
                        "raised_at": timezone.localtime(a.raised_at).isoformat(),
                        "orders": sorted(o.number for o in a.orders.all()),
                        "units": sorted(u.name for u in a.units.all()),
                    },
                    ensure_ascii=False,
                )
            )
