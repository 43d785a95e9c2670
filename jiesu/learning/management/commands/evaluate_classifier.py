"""jiesu evaluate-classifier: JSON metrics of a stored classifier on a labelled file (R11.2)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from jiesu.learning.models import ClassifierModel
from jiesu.learning.storage import jsonable
from jiesu.learning.tables import ColumnError, check_columns, iter_labelled
from jiesu.learning.textmodel import TextClassifier


class Command(BaseCommand):
    help = "Evaluate a stored classifier (active by default) on a CSV/XLSX file; prints JSON."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="labelled file (.csv or .xlsx)")
        parser.add_argument("--text-column", default="text")
        parser.add_argument("--label-column", default="label")
        parser.add_argument("--tokens-column", default="", help="column of space-separated tokens, if pre-tokenised")
        parser.add_argument("--model", default="", help="model version (default: the active one)")

    def handle(self, *args, **o):
        if o["model"]:
            record = ClassifierModel.objects.filter(version=o["model"]).first()
            if record is None:
                known = ", ".join(ClassifierModel.objects.values_list("version", flat=True)[:10]) or "none"
                raise CommandError(f"no classifier version {o['model']!r} (known: {known})")
        else:
            record = ClassifierModel.objects.filter(is_active=True).first()
            if record is None:
                raise CommandError("no active classifier: train one with `jiesu train-classifier` or pass --model")
        try:
            check_columns(o["input"], o["tokens_column"] or o["text_column"], o["label_column"])
            model = TextClassifier.load(record.path)
            rows = iter_labelled(o["input"], o["text_column"], o["label_column"], o["tokens_column"] or None)
            docs, labels = [], []
            for d, y in rows:
                docs.append(d)
                labels.append(y)
        except (FileNotFoundError, ColumnError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        if not docs:
            raise CommandError(f"{o['input']}: no labelled rows")
        metrics = model.evaluate(docs, labels)
        metrics["model_version"] = record.version
        metrics["target_precision"] = record.target_precision
        self.stdout.write(json.dumps(jsonable(metrics), ensure_ascii=False, indent=1))
