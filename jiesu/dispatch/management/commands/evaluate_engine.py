from django.core.management.base import BaseCommand, CommandError

from jiesu.dispatch.runtime import RulesMissing, current_engine
from jiesu.engine.evaluate import CaseError, accuracy, format_report


class Command(BaseCommand):
    help = (
        "Per-field accuracy of the decision engine (with this database's rules) on a JSON Lines test set, "
        "or on several pooled (--input a.jsonl b.jsonl ...)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", nargs="+", default=["tests/data/beijing_requests.jsonl"])
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--show-errors", action="store_true")

    def handle(self, *args, input: list[str], json: bool = False, show_errors: bool = False, **options):
        try:
            result = accuracy(current_engine(), input)
        except FileNotFoundError as exc:
            raise CommandError(f"no test set at {exc.filename}") from None
        except (RulesMissing, CaseError) as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(
                __import__("json").dumps(
                    {k: v for k, v in result.items() if k != "errors" or show_errors}, ensure_ascii=False, indent=2
                )
            )
            return
        self.stdout.write(format_report(result))
        if show_errors:
            for error in result["errors"]:
                # The errors that went out without review are the ones the gate must learn from.
                sent = " [sent without review]" if error.get("sent") else ""
                self.stdout.write(f"  {error['id']}: {error['text'][:50]} {error['wrong']}{sent}")
