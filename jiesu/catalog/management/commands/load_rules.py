from django.core.management.base import BaseCommand

from jiesu.catalog.rules import lexicons_behind, load_default_rules, upgrade_lexicons


class Command(BaseCommand):
    help = (
        "Load the Beijing default rules (matters, catalog, time limits, lexicons, landmarks, articles); "
        "adds only what is missing. --upgrade also merges this release's lexicons into the centre's "
        "edited ones (three-way: the centre's own edits stay)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--upgrade",
            action="store_true",
            help="merge this release's lexicon terms into existing sections, keeping the centre's edits",
        )
        parser.add_argument("--show", action="store_true", help="with --upgrade: list every term added or removed")

    def handle(self, *args, upgrade: bool = False, show: bool = False, **options):
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in load_default_rules().items()))
        if not upgrade:
            behind = lexicons_behind()
            if behind:
                self.stdout.write(
                    f"{len(behind)} lexicon sections differ from this release's ({', '.join(behind)}); "
                    "`jiesu load-rules --upgrade` merges the release's terms in and keeps your edits."
                )
            return
        reports = upgrade_lexicons()
        touched = {k: r for k, r in reports.items() if r.touched or r.kept}
        added = sum(len(r.added) for r in reports.values())
        removed = sum(len(r.removed) for r in reports.values())
        changed = sum(len(r.changed) for r in reports.values())
        kept = [path for r in reports.values() for path in r.kept]
        self.stdout.write(
            f"lexicons upgraded: {len([r for r in touched.values() if r.touched])} sections changed, "
            f"{added} terms added, {removed} removed, {changed} values replaced"
        )
        if kept:
            self.stdout.write("kept your value where both you and the release changed it: " + ", ".join(kept))
        if show:
            for report in touched.values():
                for line in report.added:
                    self.stdout.write(f"  + {line}")
                for line in report.removed:
                    self.stdout.write(f"  - {line}")
                for line in report.changed:
                    self.stdout.write(f"  ~ {line}")
