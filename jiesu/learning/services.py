"""The learning loop (R12.3): record what people confirm, retrain, promote only a better model.

- ``record_example`` is called by dispatch on every correction and accepted objection.
- ``train_and_store`` trains from history files (+ recorded examples), stores a versioned model
  and activates it only if it beats the active one on held-out rows neither was trained on
  (the split is a deterministic hash of the text, the same in every run).
- ``train_from_corrections`` retrains on the active model's history sources plus the examples;
  ``retrain_job`` is the plain function the scheduler (Celery beat or cron) calls.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .evaluation import threshold_from_curve
from .featurizing import Doc, FeatureConfig
from .models import ClassifierModel, LabelledExample
from .segmenting import build_user_dictionary
from .storage import jsonable
from .tables import check_columns, iter_labelled
from .textmodel import TextClassifier
from .training import TrainConfig, train

log = logging.getLogger(__name__)

SOURCES = {"correction", "objection", "import"}
# A recorded correction or accepted objection counts as this many history rows (see
# featurizing.Doc.weight): enough for a few dozen to outvote an outdated habit in the history,
# not so much that one mistaken correction rules a matter.
EXAMPLE_WEIGHT = 3.0


def record_example(*, text: str, matter_code: str, source: str, order_number: str = "") -> LabelledExample | None:
    """Keep one confirmed (text, matter) pair. Empty text or matter is ignored (nothing to learn)."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {sorted(SOURCES)}, not {source!r}")
    text = (text or "").strip()
    matter_code = (matter_code or "").strip()
    if not text or not matter_code:
        return None
    return LabelledExample.objects.create(
        text=text, matter_code=matter_code, source=source, order_number=order_number or ""
    )


@dataclass
class HistorySource:
    """A history file to train on: a text column, or a tokens column for pre-tokenised rows."""

    path: str
    label_column: str
    text_column: str = ""
    tokens_column: str = ""
    # Supplementary files never provide validation rows (see featurizing.Doc.train_only).
    train_only: bool = False

    def check(self) -> None:
        check_columns(self.path, self.tokens_column or self.text_column, self.label_column)

    def rows(self) -> Iterator[tuple[Doc, str]]:
        return iter_labelled(
            self.path, self.text_column, self.label_column, self.tokens_column or None, train_only=self.train_only
        )


def catalog_user_words() -> list[str]:
    """jieba user words from the matter taxonomy (names, level-2 names, keywords) and the
    administrative divisions (names, aliases) and landmarks of this centre's database.

    Without them jieba splits "望京西园" or "噪音扰民" into pieces that mean less than the
    whole; with them a matter keyword or a community name is one feature for the model.
    """
    from jiesu.catalog.models import Landmark, Matter
    from jiesu.directory.models import Place

    words: list[str] = []
    for name, level2, keywords in Matter.objects.filter(active=True).values_list("name", "level2", "keywords"):
        words += [name, level2, *[k for k in (keywords or []) if isinstance(k, str)]]
    for name, aliases in Place.objects.filter(active=True).values_list("name", "aliases"):
        words += [name, *[a for a in (aliases or []) if isinstance(a, str)]]
    words += list(Landmark.objects.values_list("name", flat=True))
    return build_user_dictionary(words)


def default_config(**overrides) -> TrainConfig:
    """Training settings when none are given (the scheduled retraining): the catalog's and
    directory's words as jieba's user dictionary, everything else at its default."""
    return TrainConfig(features=FeatureConfig(user_words=tuple(catalog_user_words())), **overrides)


def models_dir() -> Path:
    d = Path(settings.DATA_DIR) / "models"
    d.mkdir(parents=True, exist_ok=True)
    return d


def _examples(weight: float = EXAMPLE_WEIGHT) -> Iterator[tuple[Doc, str]]:
    for text, code in (
        LabelledExample.objects.order_by("pk").values_list("text", "matter_code").iterator(chunk_size=2000)
    ):
        yield Doc(text, weight=weight), code


def _new_version() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:4]


@dataclass
class TrainOutcome:
    record: ClassifierModel
    promoted: bool
    reason: str
    compared_with: str | None = None
    new_heldout: dict = field(default_factory=dict)
    old_heldout: dict | None = None

    def summary(self) -> dict:
        def brief(m):
            if not m:
                return None
            return {
                k: m.get(k)
                for k in (
                    "n",
                    "accuracy",
                    "macro_f1",
                    "top3_accuracy",
                    "auto_dispatch_share",
                    "auto_dispatch_precision",
                )
            }

        return {
            "version": self.record.version,
            "promoted": self.promoted,
            "reason": self.reason,
            "compared_with": self.compared_with,
            "threshold": self.record.threshold,
            "target_precision": self.record.target_precision,
            "new_on_heldout": brief(self.new_heldout),
            "active_on_heldout": brief(self.old_heldout),
        }


def better(new: dict, old: dict) -> bool:
    """Does the new model beat the old on the same held-out rows? Macro-F1 first (every matter
    counts); on a tie, the larger auto-dispatched share at the target precision."""
    nf, of = round(new.get("macro_f1", 0.0), 4), round(old.get("macro_f1", 0.0), 4)
    if nf != of:
        return nf > of
    return (new.get("auto_dispatch_share") or 0.0) > (old.get("auto_dispatch_share") or 0.0)


def train_and_store(
    sources: Sequence[HistorySource],
    *,
    include_examples: bool = False,
    example_weight: float = EXAMPLE_WEIGHT,
    config: TrainConfig | None = None,
    activate: str = "auto",
    description: str = "",
    log_fn: Callable[[str], None] | None = None,
) -> TrainOutcome:
    """Train, store a new version, and promote it per ``activate``:
    "auto" only if no model is active or it beats the active one on held-out rows,
    "always" (an admin's explicit choice), "never" (keep it for later comparison/rollback)."""
    if activate not in {"auto", "always", "never"}:
        raise ValueError("activate must be auto, always or never")
    config = config or default_config()
    for s in sources:
        s.check()
    # Main histories first, then supplementary files: a supplementary row is checked against
    # the validation rows already seen (near copies are dropped), so they must come later.
    ordered = [s for s in sources if not s.train_only] + [s for s in sources if s.train_only]

    def rows() -> Iterator[tuple[Doc, str]]:
        for s in ordered:
            if not s.train_only:
                yield from s.rows()
        if include_examples:
            yield from _examples(example_weight)
        for s in ordered:
            if s.train_only:
                yield from s.rows()

    model, report = train(rows, config, log=log_fn)
    val_docs, val_labels = report.validation
    new_heldout = (model.metrics or {}).get("validation") or {}

    version = _new_version()
    filename = f"{version}.skops"
    info = {
        "train": report.to_dict(),
        "sources": [asdict(s) for s in sources],
        "include_examples": include_examples,
        "example_weight": example_weight if include_examples else None,
        "estimator_config": {k: v for k, v in asdict(config).items() if k != "features"},
    }
    model.save(models_dir() / filename, info=info)
    parts = [f"{Path(s.path).name}" + (" (补充)" if s.train_only else "") for s in sources]
    if include_examples:
        parts.append(f"标注样本 {LabelledExample.objects.count()} 条")
    record = ClassifierModel.objects.create(
        version=version,
        file=filename,
        metrics=jsonable(
            {
                "validation": new_heldout,
                # Where the threshold came from (cross-fitted scores or the validation rows).
                "calibrated_on": model.metrics.get("calibrated_on"),
                "calibration": model.metrics.get("calibration"),
                "temperature": model.temperature,
                "train": report.to_dict(),
                "sources": info["sources"],
            }
        ),
        threshold=model.threshold,
        target_precision=model.target_precision,
        trained_from=description or "；".join(parts),
    )

    active = ClassifierModel.objects.filter(is_active=True).exclude(pk=record.pk).first()
    outcome = TrainOutcome(record, False, "", new_heldout=new_heldout)
    if activate == "never":
        outcome.reason = "not activated (activate=never)"
    elif activate == "always":
        outcome.promoted, outcome.reason = True, "activated on request"
    elif active is None:
        outcome.promoted, outcome.reason = True, "no active model yet"
    else:
        outcome.compared_with = active.version
        try:
            old = TextClassifier.load(active.path)
            outcome.old_heldout = old.evaluate(val_docs, val_labels) if val_docs else None
        except (OSError, ValueError) as exc:
            log.warning("active model %s unreadable (%s); the new model replaces it", active.version, exc)
            outcome.promoted, outcome.reason = True, f"active model unreadable: {exc}"
        if not outcome.reason:
            if outcome.old_heldout is None:
                outcome.reason = "no held-out rows to compare on; active model kept"
            elif better(new_heldout, outcome.old_heldout):
                outcome.promoted, outcome.reason = True, "beats the active model on held-out rows"
            else:
                outcome.reason = "does not beat the active model on held-out rows; active model kept"
    if outcome.promoted:
        record.activate()
    record.metrics = jsonable({**record.metrics, "promotion": outcome.summary()})
    record.save(update_fields=["metrics"])
    return outcome


def check_target_precision(record: ClassifierModel, target) -> list[dict]:
    """The model's stored precision curve, if `target` can be set on it; else a ValidationError
    naming what is wrong (the admin form shows it next to the field)."""
    from django.core.exceptions import ValidationError

    if target is None or not 0.5 <= target < 1.0:
        raise ValidationError({"target_precision": ["目标准确率应在0.5到1之间（例如0.97）。"]})
    curve = ((record.metrics or {}).get("calibration") or {}).get("precision_curve")
    if not curve:
        raise ValidationError(
            {"target_precision": ["此模型没有保存准确率曲线（由较早版本训练），请重新训练后再调整目标准确率。"]}
        )
    return curve


def set_target_precision(record: ClassifierModel, target: float, *, actor=None) -> ClassifierModel:
    """The admin moves a model's target precision; its threshold follows from the precision
    curve stored at training (out-of-fold or held-out rows), never from a guess. The change is
    kept in the model's metrics with who made it."""
    curve = check_target_precision(record, target)
    metrics = dict(record.metrics or {})
    threshold = threshold_from_curve(curve, target)
    metrics["threshold_changes"] = [
        *metrics.get("threshold_changes", []),
        {
            "at": timezone.now().isoformat(),
            "by": getattr(actor, "username", "") or "",
            "target_precision": target,
            "threshold": threshold,
            "previous_target_precision": record.target_precision,
            "previous_threshold": record.threshold,
        },
    ]
    record.target_precision, record.threshold, record.metrics = target, threshold, metrics
    record.save(update_fields=["target_precision", "threshold", "metrics"])
    return record


def sources_of(record: ClassifierModel | None) -> list[HistorySource]:
    """The history files a stored model was trained on (those still on disk)."""
    if record is None:
        return []
    out = []
    for s in (record.metrics or {}).get("sources") or []:
        src = HistorySource(**s)
        if Path(src.path).is_file():
            out.append(src)
        else:
            log.warning("history file %s of model %s is gone; retraining without it", src.path, record.version)
    return out


def train_from_corrections(
    *,
    extra_sources: Iterable[HistorySource] = (),
    config: TrainConfig | None = None,
    activate: str = "auto",
    log_fn: Callable[[str], None] | None = None,
    example_weight: float = EXAMPLE_WEIGHT,
) -> TrainOutcome:
    """Retrain on the active model's history plus every recorded example; promote if better."""
    active = ClassifierModel.objects.filter(is_active=True).first() or ClassifierModel.objects.first()
    sources = sources_of(active) + list(extra_sources)
    if not sources and not LabelledExample.objects.exists():
        raise ValueError("nothing to train on: no history file on record and no labelled examples")
    return train_and_store(
        sources, include_examples=True, example_weight=example_weight, config=config, activate=activate, log_fn=log_fn
    )


def retrain_job() -> dict:
    """Scheduled retraining (plain function; wrap with @shared_task where Celery is wired).
    Skips when nothing new was recorded since the active model was trained."""
    active = ClassifierModel.objects.filter(is_active=True).first()
    new = LabelledExample.objects.all()
    if active is not None:
        new = new.filter(created_at__gt=active.created_at)
    if active is not None and not new.exists():
        return {"skipped": True, "reason": "no new labelled examples since the active model"}
    try:
        return train_from_corrections().summary()
    except ValueError as exc:
        return {"skipped": True, "reason": str(exc)}
