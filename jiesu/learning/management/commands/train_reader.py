"""jiesu train-reader: fit the decision engine's reader on the shipped corpus (R11.1-R11.3, R12.3)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiesu.engine.reader import DEFAULT_DIR
from jiesu.learning import corpus as corpus_lib


class Command(BaseCommand):
    help = (
        "Train the engine's reader (disposition, kind and matter models) on labelled JSON Lines "
        "(default: the corpus shipped in jiesu/learning/corpus/) and write it with its gates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--corpus", nargs="*", default=[], help="JSON Lines files or folders (default: the shipped corpus)"
        )
        parser.add_argument("--out", default=str(DEFAULT_DIR), help="folder for the model files and manifest.json")
        parser.add_argument("--target-precision", type=float, default=0.97)
        parser.add_argument("--folds", type=int, default=5, help="folds for the out-of-fold figures that set the gates")
        parser.add_argument(
            "--kind-sets",
            nargs="*",
            default=[],
            help="labelled development sets (tests/blind format) whose kinds also train the kind model",
        )
        parser.add_argument(
            "--disposition-sets",
            nargs="*",
            default=[],
            help="labelled development sets (tests/blind format) whose dispositions also train the disposition model",
        )

    def handle(
        self,
        *args,
        corpus: list[str],
        out: str,
        target_precision: float,
        folds: int,
        kind_sets: list[str],
        disposition_sets: list[str],
        **options,
    ):
        if not 0.5 <= target_precision < 1.0:
            raise CommandError("--target-precision must be between 0.5 and 1 (e.g. 0.97)")
        if not 2 <= folds <= 10:
            raise CommandError("--folds must be between 2 and 10")
        paths: list[Path] = []
        for item in corpus:
            p = Path(item)
            if p.is_dir():
                paths += corpus_files_in(p)
            elif p.is_file():
                paths.append(p)
            else:
                raise CommandError(f"no such corpus file or folder: {item}")
        from jiesu.engine.rules import RuleSet

        rules = RuleSet.from_defaults()
        matters = {m.code: m.name for m in rules.matters}
        words = [w for m in rules.matters for w in (m.name, *m.keywords)]
        from jiesu.engine.classify import KeywordClassifier

        keywords = KeywordClassifier(rules.matters)
        floor = rules.thresholds.classify_min

        def keyword_rank(text: str) -> str | None:
            ranked = keywords.rank(text, 1)
            return ranked[0].code if ranked and ranked[0].confidence >= floor else None

        # Two matters routed to the same kind of lead unit at the same level are the same dispatch.
        catalog = max(rules.catalogs, key=lambda c: c.effective_from)
        route_of: dict[str, object] = {}
        for e in catalog.entries:
            route_of.setdefault(e.matter, set()).add((e.level, e.lead.kind, e.lead.sector, e.lead.code))
        route_of = {k: tuple(sorted(v, key=str)) for k, v in route_of.items()}
        try:
            manifest = corpus_lib.train_reader(
                paths or None,
                out,
                matters=matters,
                user_words=words,
                target=target_precision,
                folds=folds,
                log=self.stdout.write,
                route_of=route_of,
                keyword_rank=keyword_rank,
                kind_sets=kind_sets,
                disposition_sets=disposition_sets,
            )
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {exc.filename}") from exc
        except corpus_lib.CorpusError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            json.dumps({k: manifest[k] for k in ("version", "gates", "out_of_fold")}, ensure_ascii=False, indent=1)
        )


def corpus_files_in(folder: Path) -> list[Path]:
    files = corpus_lib.corpus_files(folder)
    if not files:
        raise CommandError(f"no *.jsonl files in {folder}")
    return files
