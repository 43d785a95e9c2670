"""jiesu train-classifier: train a versioned matter classifier from history (R11.2, R12.3)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiesu.learning import services
from jiesu.learning.featurizing import FeatureConfig
from jiesu.learning.segmenting import build_user_dictionary
from jiesu.learning.tables import ColumnError, looks_pretokenised, table_columns
from jiesu.learning.training import TrainConfig


class Command(BaseCommand):
    help = (
        "Train the learned matter classifier from a CSV/XLSX history (streamed), store it as a new "
        "version with its held-out metrics, and activate it if it beats the active one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", help="history file (.csv or .xlsx)")
        parser.add_argument("--text-column", default="text", help="column with the message text")
        parser.add_argument("--label-column", default="label", help="column with the matter code")
        parser.add_argument(
            "--tokens-column", default="", help="column of space-separated tokens, if the input is pre-tokenised"
        )
        parser.add_argument(
            "--extra",
            action="append",
            default=[],
            help="supplementary training file (repeatable); never used for validation",
        )
        parser.add_argument(
            "--extra-text-column",
            default="",
            help="text column of the extra files (default: --text-column, or 'tokens' when the file has one)",
        )
        parser.add_argument(
            "--extra-label-column", default="", help="label column of the extra files (default: --label-column)"
        )
        parser.add_argument(
            "--target-precision",
            type=float,
            default=0.97,
            help="precision the auto-dispatch threshold must reach on validation rows",
        )
        parser.add_argument(
            "--from-corrections",
            action="store_true",
            help="retrain on the active model's history plus every recorded correction/objection",
        )
        parser.add_argument(
            "--correction-weight",
            type=float,
            default=services.EXAMPLE_WEIGHT,
            help="how many history rows one recorded correction or accepted objection counts as",
        )
        parser.add_argument(
            "--user-words", default="", help="file with more words for jieba's user dictionary, one per line"
        )
        parser.add_argument(
            "--no-catalog-words",
            action="store_true",
            help="do not add the matter taxonomy and division names of the database to jieba's user dictionary",
        )
        parser.add_argument("--estimator", default="auto", choices=["auto", "svm", "sgd", "svm+cnb", "cnb"])
        parser.add_argument(
            "--val-fraction",
            type=float,
            default=0.1,
            help="share of the main history held out to compare models before promotion",
        )
        parser.add_argument(
            "--crossfit-folds",
            type=int,
            default=5,
            help="calibrate on out-of-fold scores of this many folds (0: on the held-out rows)",
        )
        parser.add_argument("--n-jobs", type=int, default=1, help="processes for text segmentation (jieba)")
        parser.add_argument("--activate", default="auto", choices=["auto", "always", "never"])

    def handle(self, *args, **o):
        if not 0.5 <= o["target_precision"] < 1.0:
            raise CommandError("--target-precision must be between 0.5 and 1 (e.g. 0.97)")
        if not 0.0 <= o["val_fraction"] < 0.9:
            raise CommandError("--val-fraction must be between 0 and 0.9 (e.g. 0.1)")
        if o["crossfit_folds"] < 0 or o["crossfit_folds"] == 1 or o["crossfit_folds"] > 20:
            raise CommandError("--crossfit-folds must be 0 (off) or between 2 and 20")
        if not 1.0 <= o["correction_weight"] <= 100.0:
            raise CommandError("--correction-weight must be between 1 and 100 (e.g. 3)")
        if not o["input"] and not o["from_corrections"]:
            raise CommandError("give --input FILE, or --from-corrections")
        sources: list[services.HistorySource] = []
        try:
            if o["input"]:
                sources.append(self._source(o["input"], o["text_column"], o["label_column"], o["tokens_column"], False))
            for path in o["extra"]:
                col = o["extra_text_column"]
                tokens = ""
                if not col:
                    have = self._columns(path)
                    if o["text_column"] in have:
                        col = o["text_column"]
                    elif looks_pretokenised(path):
                        tokens = "tokens"
                    else:
                        raise CommandError(
                            f"{path}: no column {o['text_column']!r} and no 'tokens' column; give --extra-text-column "
                            f"(columns: {', '.join(have) or 'none'})"
                        )
                elif col == "tokens":
                    col, tokens = "", "tokens"
                sources.append(self._source(path, col, o["extra_label_column"] or o["label_column"], tokens, True))
            user_words: list[str] = []
            if o["user_words"]:
                p = Path(o["user_words"])
                if not p.is_file():
                    raise CommandError(f"user word file not found: {p}")
                user_words = p.read_text(encoding="utf-8").split()
            if not o["no_catalog_words"]:
                user_words += services.catalog_user_words()
            user_words = build_user_dictionary(user_words)
            config = TrainConfig(
                features=FeatureConfig(user_words=tuple(user_words)),
                estimator=o["estimator"],
                target_precision=o["target_precision"],
                val_fraction=o["val_fraction"],
                crossfit_folds=o["crossfit_folds"],
                n_jobs=o["n_jobs"],
            )
            log = lambda m: self.stderr.write(m)  # noqa: E731
            if o["from_corrections"]:
                outcome = services.train_from_corrections(
                    extra_sources=sources,
                    config=config,
                    activate=o["activate"],
                    log_fn=log,
                    example_weight=o["correction_weight"],
                )
            else:
                outcome = services.train_and_store(sources, config=config, activate=o["activate"], log_fn=log)
        except (FileNotFoundError, ColumnError) as exc:
            raise CommandError(str(exc)) from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        record = outcome.record
        out = {
            "summary": outcome.summary(),
            "metrics": record.metrics.get("validation"),
            "calibrated_on": record.metrics.get("calibrated_on"),
            "calibration": record.metrics.get("calibration"),
        }
        self.stdout.write(json.dumps(out, ensure_ascii=False, indent=1))

    def _columns(self, path: str) -> list[str]:
        if not Path(path).is_file():
            raise CommandError(f"input file not found: {path}")
        return table_columns(path)

    def _source(self, path, text_col, label_col, tokens_col, train_only) -> services.HistorySource:
        have = self._columns(path)
        for flag, col in (
            ("--label-column", label_col),
            ("--text-column" if not tokens_col else "--tokens-column", tokens_col or text_col),
        ):
            if col not in have:
                raise CommandError(f"{path}: no column {col!r} ({flag}); columns: {', '.join(have) or 'none'}")
        return services.HistorySource(str(Path(path).resolve()), label_col, text_col, tokens_col, train_only)
