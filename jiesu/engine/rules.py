"""The rules the service bureau owns, as plain serialisable data (R11.4, R13.1).

The Django side loads its database rows into these dataclasses; `RuleSet.from_defaults()`
reads the Beijing defaults shipped in `defaults/*.json`. Every class round-trips through
`to_dict` / `from_dict` with JSON-compatible values only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

DEFAULTS_DIR = Path(__file__).parent / "defaults"

# Territorial precision a catalog entry needs before it applies.
LEVEL_SUBDISTRICT = "subdistrict"
LEVEL_DISTRICT = "district"
LEVEL_CITY = "city"
LEVELS = (LEVEL_SUBDISTRICT, LEVEL_DISTRICT, LEVEL_CITY)

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
NATURAL_HOURS = "natural_hours"
LIMIT_UNITS = (WORKING_DAYS, WORKING_HOURS, NATURAL_HOURS)

KINDS = ("consultation", "help", "complaint", "report", "suggestion")


def _load(name: str) -> dict:
    with open(DEFAULTS_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


@dataclass(frozen=True)
class Matter:
    """A leaf of the three-level matter taxonomy."""

    code: str
    name: str
    path: tuple[str, str]  # level-1 and level-2 names
    keywords: tuple[str, ...]
    time_limit: str  # TimeLimitRule.code
    community_may_assist: bool = False

    @property
    def full_name(self) -> str:
        return " > ".join((*self.path, self.name))

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "path": list(self.path),
            "keywords": list(self.keywords),
            "time_limit": self.time_limit,
            "community_may_assist": self.community_may_assist,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Matter:
        return cls(
            d["code"],
            d["name"],
            tuple(d["path"]),
            tuple(d.get("keywords", ())),
            d.get("time_limit", "general"),
            bool(d.get("community_may_assist", False)),
        )


@dataclass(frozen=True)
class UnitRef:
    """Which unit a catalog entry names: by kind (+ sector), or one unit by its code."""

    kind: str = ""
    sector: str = ""
    code: str = ""

    def to_dict(self) -> dict:
        return {k: v for k, v in (("kind", self.kind), ("sector", self.sector), ("code", self.code)) if v}

    @classmethod
    def from_dict(cls, d: dict) -> UnitRef:
        if not (d.get("kind") or d.get("code")):
            raise ValueError("unit reference needs 'kind' or 'code'")
        return cls(d.get("kind", ""), d.get("sector", ""), d.get("code", ""))


@dataclass(frozen=True)
class CatalogEntry:
    matter: str
    level: str  # the least territorial precision this entry needs
    lead: UnitRef
    assist: tuple[UnitRef, ...] = ()
    note: str = ""

    def to_dict(self) -> dict:
        d = {
            "matter": self.matter,
            "level": self.level,
            "lead": self.lead.to_dict(),
            "assist": [a.to_dict() for a in self.assist],
        }
        if self.note:
            d["note"] = self.note
        return d

    @classmethod
    def from_dict(cls, d: dict) -> CatalogEntry:
        level = d.get("level", LEVEL_CITY)
        if level not in LEVELS:
            raise ValueError(f"catalog entry for {d.get('matter')!r}: level must be one of {LEVELS}")
        return cls(
            d["matter"],
            level,
            UnitRef.from_dict(d["lead"]),
            tuple(UnitRef.from_dict(a) for a in d.get("assist", ())),
            d.get("note", ""),
        )


@dataclass(frozen=True)
class Catalog:
    """One published version of the dispatch catalog (R11.4)."""

    version: str
    effective_from: date
    entries: tuple[CatalogEntry, ...]
    note: str = ""

    def index(self) -> dict[tuple[str, str], CatalogEntry]:
        return {(e.matter, e.level): e for e in self.entries}

    def to_dict(self) -> dict:
        return {
            "version": self.version,
            "effective_from": self.effective_from.isoformat(),
            "note": self.note,
            "entries": [e.to_dict() for e in self.entries],
        }

    @classmethod
    def from_dict(cls, d: dict) -> Catalog:
        return cls(
            str(d["version"]),
            date.fromisoformat(d["effective_from"]),
            tuple(CatalogEntry.from_dict(e) for e in d.get("entries", ())),
            d.get("note", ""),
        )


@dataclass(frozen=True)
class Limit:
    amount: int
    unit: str

    def __post_init__(self):
        if self.unit not in LIMIT_UNITS:
            raise ValueError(f"time limit unit must be one of {LIMIT_UNITS}, not {self.unit!r}")
        if self.amount < 0:
            raise ValueError("time limit amount must not be negative")

    def to_dict(self) -> dict:
        return {"amount": self.amount, "unit": self.unit}

    @classmethod
    def from_dict(cls, d: dict) -> Limit:
        return cls(int(d["amount"]), d["unit"])


@dataclass(frozen=True)
class TimeLimitRule:
    """Response (contact the requester) and completion limits, optionally per request kind."""

    code: str
    name: str
    response: Limit
    completion: Limit
    by_kind: tuple[tuple[str, Limit, Limit], ...] = ()

    def limits_for(self, kind: str | None) -> tuple[Limit, Limit]:
        for k, resp, comp in self.by_kind:
            if k == kind:
                return resp, comp
        return self.response, self.completion

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "response": self.response.to_dict(),
            "completion": self.completion.to_dict(),
            "by_kind": {k: {"response": r.to_dict(), "completion": c.to_dict()} for k, r, c in self.by_kind},
        }

    @classmethod
    def from_dict(cls, d: dict) -> TimeLimitRule:
        by_kind = tuple(
            (k, Limit.from_dict(v["response"]), Limit.from_dict(v["completion"]))
            for k, v in (d.get("by_kind") or {}).items()
        )
        return cls(
            d["code"],
            d.get("name", d["code"]),
            Limit.from_dict(d["response"]),
            Limit.from_dict(d["completion"]),
            by_kind,
        )


@dataclass(frozen=True)
class Lexicons:
    """Word lists for the special cases of R11.3 and for kind inference, kept as plain JSON.

    Sections: emergency, cues, legal_channels, legal_suppress, secret_privacy, out_of_scope,
    unlawful, repeat, kind, locate_stop_aliases, compounds (longer words that contain a
    term without meaning it, "来电人" around "来电"; see defaults/lexicons.json for the shapes).
    """

    data: dict = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def to_dict(self) -> dict:
        return json.loads(json.dumps(self.data))

    @classmethod
    def from_dict(cls, d: dict) -> Lexicons:
        required = (
            "emergency",
            "cues",
            "legal_channels",
            "secret_privacy",
            "out_of_scope",
            "unlawful",
            "repeat",
            "kind",
        )
        missing = [k for k in required if k not in d]
        if missing:
            raise ValueError(f"lexicons missing sections: {', '.join(missing)}")
        return cls(json.loads(json.dumps(d)))


@dataclass(frozen=True)
class Thresholds:
    """Confidence levels below which a step sends the order to dispatch review (R12.3).

    `auto_dispatch_target` is the administrator's precision target for orders sent out without
    review: the calibrated gate's threshold is read off its held-out curve at this precision.
    None: the target the reader was trained for (0.97). A lower target sends more out unreviewed
    at the precision the curve shows for it."""

    classify_min: float = 0.45
    answer_min: float = 0.5
    auto_dispatch_target: float | None = None

    def __post_init__(self):
        t = self.auto_dispatch_target
        if t is not None and not 0.5 <= t < 1.0:
            raise ValueError(f"auto_dispatch_target must be at least 0.5 and below 1 (got {t})")

    def to_dict(self) -> dict:
        return {
            "classify_min": self.classify_min,
            "answer_min": self.answer_min,
            "auto_dispatch_target": self.auto_dispatch_target,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Thresholds:
        target = d.get("auto_dispatch_target")
        return cls(
            float(d.get("classify_min", 0.45)),
            float(d.get("answer_min", 0.5)),
            None if target is None else float(target),
        )


def _parse_hhmm(s: str) -> time:
    return time.fromisoformat(s)


@dataclass(frozen=True)
class RuleSet:
    matters: tuple[Matter, ...]
    catalogs: tuple[Catalog, ...]
    time_limits: tuple[TimeLimitRule, ...]
    lexicons: Lexicons
    thresholds: Thresholds = Thresholds()
    work_start: time = time(9, 0)
    work_end: time = time(17, 0)

    def __post_init__(self):
        if not self.catalogs:
            raise ValueError("a rule set needs at least one catalog version")
        codes = {m.code for m in self.matters}
        if len(codes) != len(self.matters):
            raise ValueError("matter codes must be unique")
        rules = {r.code for r in self.time_limits}
        bad = sorted({m.time_limit for m in self.matters} - rules)
        if bad:
            raise ValueError(f"matters refer to unknown time-limit rules: {', '.join(bad)}")
        if self.work_end <= self.work_start:
            raise ValueError("working hours must end after they start")

    def matter(self, code: str) -> Matter | None:
        return self._matters_by_code().get(code)

    def _matters_by_code(self) -> dict[str, Matter]:
        cache = self.__dict__.get("_mcache")
        if cache is None:
            cache = {m.code: m for m in self.matters}
            object.__setattr__(self, "_mcache", cache)
        return cache

    def time_limit(self, code: str) -> TimeLimitRule:
        for r in self.time_limits:
            if r.code == code:
                return r
        raise KeyError(code)

    def catalog_at(self, when: date | datetime | None = None, version: str | None = None) -> Catalog:
        """The catalog version in force on `when` (latest effective_from not after it), or by id."""
        if version is not None:
            for c in self.catalogs:
                if c.version == version:
                    return c
            raise KeyError(f"no catalog version {version!r}")
        ordered = sorted(self.catalogs, key=lambda c: c.effective_from)
        if when is None:
            return ordered[-1]
        day = when.date() if isinstance(when, datetime) else when
        chosen = ordered[0]  # before the first version: the oldest one still gives an answer
        for c in ordered:
            if c.effective_from <= day:
                chosen = c
        return chosen

    def to_dict(self) -> dict:
        return {
            "matters": [m.to_dict() for m in self.matters],
            "catalogs": [c.to_dict() for c in self.catalogs],
            "time_limits": [r.to_dict() for r in self.time_limits],
            "lexicons": self.lexicons.to_dict(),
            "thresholds": self.thresholds.to_dict(),
            "working_hours": {"start": self.work_start.strftime("%H:%M"), "end": self.work_end.strftime("%H:%M")},
        }

    @classmethod
    def from_dict(cls, d: dict) -> RuleSet:
        wh = d.get("working_hours") or {}
        return cls(
            tuple(Matter.from_dict(m) for m in d["matters"]),
            tuple(Catalog.from_dict(c) for c in d["catalogs"]),
            tuple(TimeLimitRule.from_dict(r) for r in d["time_limits"]),
            Lexicons.from_dict(d["lexicons"]),
            Thresholds.from_dict(d.get("thresholds") or {}),
            _parse_hhmm(wh.get("start", "09:00")),
            _parse_hhmm(wh.get("end", "17:00")),
        )

    @classmethod
    def from_defaults(cls) -> RuleSet:
        return cls.from_dict(default_rules_dict())


def taxonomy_matters(taxonomy: dict) -> list[Matter]:
    """Flatten the nested taxonomy file (level 1 > level 2 > leaf matters)."""
    out = []
    for l1 in taxonomy["levels"]:
        for l2 in l1["children"]:
            for m in l2["matters"]:
                out.append(Matter.from_dict({**m, "path": [l1["name"], l2["name"]]}))
    return out


def default_rules_dict() -> dict:
    tl = _load("time_limits.json")
    return {
        "matters": [m.to_dict() for m in taxonomy_matters(_load("taxonomy.json"))],
        "catalogs": _load("catalog.json")["catalogs"],
        "time_limits": tl["rules"],
        "lexicons": _load("lexicons.json"),
        "thresholds": {},
        "working_hours": tl.get("working_hours", {}),
    }


def default_taxonomy() -> dict:
    """The nested taxonomy file, with each leaf's default routing, for loaders and the admin."""
    return _load("taxonomy.json")


def default_articles() -> list[dict]:
    return _load("knowledge.json")["articles"]


def default_landmark_rows() -> list[dict]:
    return _load("landmarks.json")["landmarks"]
