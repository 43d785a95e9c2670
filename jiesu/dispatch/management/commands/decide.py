"""`jiesu decide`: JSON Lines in, one decision per line out; writes nothing.

The same engine as intake, built from the database's rules, so an administrator can try a
rule change on sample texts before publishing it, and benchmarks measure the real code.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from jiesu.dispatch.runtime import RulesMissing, current_engine


class Command(BaseCommand):
    help = 'Read {"id","text","channel",["kind"],["received_at"]} JSON lines on stdin; write one decision per line.'

    def add_arguments(self, parser):
        parser.add_argument(
            "--record", action="store_true", help="also print unit codes, deadlines per unit and the catalog version"
        )

    def handle(self, *args, record: bool, **options):
        try:
            engine = current_engine()
        except RulesMissing as exc:
            raise CommandError(str(exc)) from exc
        out = sys.stdout
        failures = 0
        for lineno, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                request = json.loads(line)
                if not isinstance(request, dict):
                    raise ValueError("each line must be a JSON object")
                decision = engine.decide(request)
            except (ValueError, KeyError) as exc:
                failures += 1
                out.write(
                    json.dumps(
                        {
                            "id": (request.get("id") if isinstance(request, dict) else None),
                            "error": f"line {lineno}: {exc}",
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                continue
            out.write(json.dumps(decision.to_record() if record else decision.to_json(), ensure_ascii=False) + "\n")
        out.flush()
        if failures:
            self.stderr.write(f"{failures} line(s) could not be decided")
