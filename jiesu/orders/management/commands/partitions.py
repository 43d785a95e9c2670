"""Show the order events' monthly partitions (PostgreSQL) and make missing months."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from jiesu.orders import partitions


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise CommandError(f"not a month: {text!r} (write it as YYYY-MM, e.g. 2026-12)") from None


class Command(BaseCommand):
    help = (
        "List the monthly partitions of the order events (PostgreSQL) with their rows and size; "
        "--ahead N makes this month's and the next N months' partitions, --from/--to a range of months."
    )

    def add_arguments(self, parser):
        parser.add_argument("--ahead", type=int, help="make this month's partition and the next N months'")
        parser.add_argument("--from", dest="first", type=_month, help="first month to make (YYYY-MM)")
        parser.add_argument("--to", dest="last", type=_month, help="last month to make (YYYY-MM)")

    def handle(self, *args, ahead=None, first=None, last=None, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("the embedded SQLite database is not partitioned; nothing to show")
            return
        if (first is None) != (last is None):
            raise CommandError("--from and --to go together")
        if first and last < first:
            raise CommandError(f"--to {last:%Y-%m} is before --from {first:%Y-%m}")
        if ahead is not None and ahead < 0:
            raise CommandError("--ahead must be 0 or more")
        made = []
        if ahead is not None:
            made += partitions.ensure_ahead(ahead)
        if first:
            made += partitions.ensure_months(first, last)
        for name in made:
            self.stdout.write(f"made {name}")
        for table in partitions.PARTITIONED:
            listed = partitions.partitions(table)
            if not listed:
                self.stdout.write(f"{table}: not partitioned (run jiesu migrate)")
                continue
            self.stdout.write(f"{table}: {len(listed)} partitions")
            for p in listed:
                rows = "not analysed" if p.rows < 0 else f"~{p.rows:,} rows"
                self.stdout.write(f"  {p.name:<36} {rows:>16} {p.size / 2**20:>9.1f} MB  {p.bounds}")
