from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiesu.assessment import services


class Command(BaseCommand):
    help = (
        "Compute every unit's response, resolution and satisfaction rates and score for a month and store "
        "them with the rules version (R31.1). Same data and rules give the same digest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-11")
        parser.add_argument("--ruleset", type=int, help="id of a rules version (default: the one effective that month)")

    def handle(self, *args, month: str, ruleset: int | None, **options):
        from jiesu.assessment.models import RuleSet

        try:
            m = services.parse_month(month)
            rs = RuleSet.objects.get(pk=ruleset) if ruleset else None
            run = services.run_assessment(m, ruleset=rs)
        except (ValidationError, RuleSet.DoesNotExist) as exc:
            raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from exc
        ranked = run.scores.filter(rank__isnull=False).count()
        self.stdout.write(
            f"{m:%Y-%m}: {run.lines} lines, {run.units} units ({ranked} ranked), rules {run.rules_version}, "
            f"digest {run.digest}, {run.seconds:.1f}s"
        )
