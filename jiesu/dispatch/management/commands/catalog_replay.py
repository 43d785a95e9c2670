"""`jiesu catalog-replay --draft V --days 30`: what a draft catalog would change (R11.4).

Runs every order of the last N days through the engine twice, with the catalog version that
was in force and with the draft, and reports how many would go to a different lead unit,
with examples, before the administrator publishes the draft. Writes nothing.
"""

from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jiesu.catalog.models import CatalogVersion
from jiesu.dispatch.runtime import build_engine
from jiesu.dispatch.services import request_text
from jiesu.engine.decide import Request
from jiesu.orders.choices import LEAD_ROLES
from jiesu.orders.models import WorkOrder


def _lead(decision) -> str | None:
    for unit in decision.units:
        if unit.role in LEAD_ROLES:
            return unit.code
    return None


class Command(BaseCommand):
    help = "Replay the last N days of orders with a draft catalog version and report the differences."

    def add_arguments(self, parser):
        parser.add_argument("--draft", required=True, help="version id of the draft catalog")
        parser.add_argument("--days", type=int, default=30)
        parser.add_argument("--examples", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, draft: str, days: int, examples: int, json: bool = False, **options):
        version = CatalogVersion.objects.filter(version=draft).first()
        if version is None:
            raise CommandError(f"no catalog version {draft!r}")
        if days < 1:
            raise CommandError("--days must be at least 1")
        engine = build_engine(drafts=(draft,))
        since = timezone.now() - timedelta(days=days)
        orders = WorkOrder.objects.filter(received_at__gte=since).exclude(status="received").order_by("received_at")
        total = changed = 0
        moves: Counter = Counter()
        samples = []
        for order in orders.iterator(chunk_size=2000):
            text = request_text(order.content, order.location_text)
            request = Request(
                id=order.number,
                text=text,
                channel=order.channel,
                kind=order.kind,
                received_at=timezone.localtime(order.received_at).replace(tzinfo=None),
            )
            # "Before" is the version that actually dispatched the order, where it is known.
            before = engine.decide(request, catalog_version=order.catalog_version or None)
            after = engine.decide(request, catalog_version=draft)
            total += 1
            if _lead(before) != _lead(after):
                changed += 1
                moves[(_lead(before), _lead(after))] += 1
                if len(samples) < examples:
                    samples.append(
                        {
                            "number": order.number,
                            "text": order.content[:80],
                            "before": [u.name for u in before.units if u.role in LEAD_ROLES],
                            "after": [u.name for u in after.units if u.role in LEAD_ROLES],
                        }
                    )
        report = {
            "draft": draft,
            "days": days,
            "orders": total,
            "changed": changed,
            "changed_share": round(changed / total, 4) if total else 0.0,
            "top_moves": [{"from": a, "to": b, "orders": n} for (a, b), n in moves.most_common(10)],
            "examples": samples,
        }
        if json:
            self.stdout.write(__import__("json").dumps(report, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"draft {draft}: {changed} of {total} orders in the last {days} days would go to a different lead unit "
            f"({report['changed_share']:.1%})"
        )
        for move in report["top_moves"]:
            self.stdout.write(f"  {move['from']} -> {move['to']}: {move['orders']}")
        for sample in samples:
            before, after = "、".join(sample["before"]), "、".join(sample["after"])
            self.stdout.write(f"  {sample['number']}: {sample['text']} | {before} -> {after}")
