"""The engine's reader: learned models that understand a request's words (R11.1-R11.3, R12.3).

Rules keep what must be hard (the emergency transfer, the catalog's routing, geography, the
legal consequences of the six special cases); the reader supplies understanding of text that
nobody wrote a rule for. It holds three calibrated linear text models trained on the corpus
that ships with the project (`jiesu/learning/corpus/`, built by `jiesu train-reader`):

- disposition: dispatch, answer_directly, one class per emergency line ("emergency:110" ...),
  and the special cases legal_channel, secret_privacy, out_of_scope, unlawful;
- kind: consultation, help, complaint, report, suggestion;
- matter: the taxonomy's matter codes.

Each model's probabilities were calibrated out of fold at training time, and the manifest
carries the gates read off those out-of-fold figures (see `Gates`). Plain Python: the models
are loaded from skops files with the learning package's safe loader; no Django.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .gate import FILE_NAME as GATE_FILE
from .gate import LeadGate
from .leadtype import FILE_NAME as CHOOSER_FILE
from .leadtype import TypeChooser

DEFAULT_DIR = Path(__file__).with_name("defaults") / "reader"
LEAD_TYPE_FILE = "lead_type.skops"
EMERGENCY_PREFIX = "emergency:"
DISPATCH = "dispatch"
# A consultation the hotline answers at once from its knowledge base (R11.1): not a special
# case of article 11.3, and not a dispatch either.
ANSWER = "answer_directly"


@dataclass(frozen=True)
class Gates:
    """Thresholds on calibrated probabilities, chosen at training time on out-of-fold scores.

    - ``emergency_transfer``: P(emergency) at or above which a request is transferred to its
      line even when no rule saw it (out of fold: at most about 0.5 % of non-emergencies).
    - ``emergency_review``: P(emergency) at or above which a person must look before anything
      else happens (out of fold: catches at least 99 % of emergencies).
    - ``special_case``: P(one special case) at or above which the reader's special case is
      taken when no rule fired.
    - ``special_review``: P(not dispatch) at or above which a dispatch waits for review.
    - ``matter``: P(top matter) at or above which the matter's lead unit is right at the
      target precision (out of fold), so the order may go out without review;
    - ``matter_agree``: the same where the rules' keywords name the same matter.
    """

    emergency_transfer: float = 0.9
    emergency_review: float = 0.2
    special_case: float = 0.8
    special_review: float = 0.3
    matter: float = 0.9
    matter_agree: float = 0.9
    target_precision: float = 0.97

    @classmethod
    def from_dict(cls, d: dict) -> Gates:
        return cls(**{k: float(v) for k, v in d.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Reading:
    disposition: dict[str, float]
    kind: tuple[str, float] | None
    matters: tuple[tuple[str, float], ...]
    gates: Gates = field(default_factory=Gates)
    # P(each type of lead unit) by the lead-type model (None: a reader without one).
    lead_types: dict[str, float] | None = None
    # P(each kind) (None: built without them); `kind` is the most likely of these.
    kinds: dict[str, float] | None = None

    @property
    def p_emergency(self) -> float:
        return sum(p for k, p in self.disposition.items() if k.startswith(EMERGENCY_PREFIX))

    @property
    def emergency_line(self) -> str | None:
        lines = {k[len(EMERGENCY_PREFIX) :]: p for k, p in self.disposition.items() if k.startswith(EMERGENCY_PREFIX)}
        return max(lines, key=lines.get) if lines else None

    @property
    def p_not_dispatch(self) -> float:
        return 1.0 - self.disposition.get(DISPATCH, 0.0)

    @property
    def p_answer(self) -> float:
        """P(a consultation answered at once); 0 for a reader trained without such rows."""
        return self.disposition.get(ANSWER, 0.0)

    def special_case(self) -> tuple[str, float] | None:
        """The most likely special case (not dispatch, not emergency, not an instant answer)
        and its probability."""
        special = {
            k: p
            for k, p in self.disposition.items()
            if k not in (DISPATCH, ANSWER) and not k.startswith(EMERGENCY_PREFIX)
        }
        if not special:
            return None
        best = max(special, key=special.get)
        return best, special[best]


class Reader:
    def __init__(
        self,
        disposition,
        kind,
        matter,
        gates: Gates,
        manifest: dict | None = None,
        lead_gate=None,
        lead_type=None,
        type_chooser=None,
    ):
        self.disposition_model = disposition
        self.kind_model = kind
        self.matter_model = matter
        # Which type of unit leads (township office, department, enterprise, district
        # government), learnt from the development sets' labels of Beijing practice; optional.
        self.lead_type_model = lead_type
        # Weighs the catalog's route against that model (`leadtype.TypeChooser`); optional.
        self.type_chooser = type_chooser
        self.gates = gates
        self.manifest = manifest or {}
        # The auto-dispatch gate calibrated for this reader on others' requests (`gate.LeadGate`).
        self.lead_gate = lead_gate
        # Segmenting and hashing the text is most of a prediction's cost; when the three models
        # share one feature configuration (as `jiesu train-reader` makes them), do it once.
        self._shared_features = all(m.config == disposition.config for m in self._models())

    def _models(self):
        models = (self.disposition_model, self.kind_model, self.matter_model)
        return models + ((self.lead_type_model,) if self.lead_type_model is not None else ())

    def with_lead_type(self, model, chooser=None, lead_gate=None) -> Reader:
        """This reader with another lead-type model, chooser and gate (held-out ones, for
        `jiesu fit-lead-gate`)."""
        return Reader(
            self.disposition_model,
            self.kind_model,
            self.matter_model,
            self.gates,
            self.manifest,
            lead_gate,
            model,
            chooser,
        )

    @property
    def version(self) -> str:
        return str(self.manifest.get("version", ""))

    def read(self, text: str, k: int = 3) -> Reading:
        raw = self.disposition_model.featurizer.raw([text]) if self._shared_features else None

        def proba(model):
            if raw is None:
                return model.predict_proba([text])[0]
            return model.proba_from_scores(model.scores_from_raw(raw))[0]

        disp = dict(zip(self.disposition_model.classes, map(float, proba(self.disposition_model))))
        p_kind = proba(self.kind_model)
        kind = (self.kind_model.classes[int(p_kind.argmax())], float(p_kind.max()))
        kinds = dict(zip(self.kind_model.classes, map(float, p_kind)))
        p_matter = proba(self.matter_model)
        top = p_matter.argsort()[::-1][:k]
        matters = tuple((self.matter_model.classes[i], float(p_matter[i])) for i in top)
        types = None
        if self.lead_type_model is not None:
            types = dict(zip(self.lead_type_model.classes, map(float, proba(self.lead_type_model))))
        return Reading(disp, kind, matters, self.gates, types, kinds)

    @classmethod
    def load(cls, directory: str | Path = DEFAULT_DIR) -> Reader:
        from jiesu.learning.textmodel import TextClassifier

        directory = Path(directory)
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        models = {name: TextClassifier.load(directory / f"{name}.skops") for name in ("disposition", "kind", "matter")}
        type_file = directory / LEAD_TYPE_FILE
        lead_type = TextClassifier.load(type_file) if type_file.is_file() else None
        lead_gate = LeadGate.load(directory / GATE_FILE)
        if lead_gate is not None and (lead_gate.info or {}).get("reader_version") != manifest.get("version"):
            # Fitted on another reader's probabilities: it would promise a precision it never measured.
            lead_gate = None
        chooser = TypeChooser.load(directory / CHOOSER_FILE) if lead_type is not None else None
        if chooser is not None and (chooser.info or {}).get("reader_version") != manifest.get("version"):
            chooser = None
        return cls(
            models["disposition"],
            models["kind"],
            models["matter"],
            Gates.from_dict(manifest.get("gates", {})),
            manifest,
            lead_gate,
            lead_type,
            chooser,
        )


_default: dict = {}
_default_lock = threading.Lock()


def warm_up() -> None:
    """Load the shipped reader and its segmenter before the first request (a worker's first
    request must not wait seconds for model files and jieba's dictionary)."""
    reader = default_reader()
    if reader is not None:
        reader.read("预热")


def default_reader() -> Reader | None:
    """The shipped reader, loaded once per process; None when its files are absent (a checkout
    that has not built it), and the engine then decides on rules alone."""
    with _default_lock:
        if "reader" not in _default:
            _default["reader"] = Reader.load(DEFAULT_DIR) if (DEFAULT_DIR / "manifest.json").is_file() else None
        return _default["reader"]
