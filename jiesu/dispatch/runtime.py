"""The decision engine at run time: built from the database, cached per process, with the
directory's Place and Unit rows that its decisions name (`directory_objects`).

Building takes a second or two (automata over 7,500 places and 8,000 units), so each worker
keeps one engine and rebuilds it only when the rules revision (bumped by every rule, unit or
place edit) or the active learned classifier changes.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from jiesu.catalog import rules as catalog_rules
from jiesu.catalog.models import RulesRevision
from jiesu.directory.models import Place, Unit
from jiesu.engine.deadlines import unit_deadlines
from jiesu.engine.decide import Engine
from jiesu.engine.knowledge import Article
from jiesu.engine.locate import resolve_landmarks
from jiesu.engine.places import Division
from jiesu.engine.reader import default_reader
from jiesu.engine.units import UnitSpec
from jiesu.knowledge.models import Article as ArticleRow

_lock = threading.Lock()
_cache: dict = {"key": None, "engine": None, "checked": 0.0}


class RulesMissing(RuntimeError):
    pass


def _divisions() -> list[Division]:
    rows = Place.objects.filter(active=True).values_list(
        "code", "name", "level", "parent__code", "district__code", "aliases"
    )
    return [
        Division(code, name, level, parent, district or code, tuple(aliases or ()))
        for code, name, level, parent, district, aliases in rows
    ]


def _units() -> list[UnitSpec]:
    rows = Unit.objects.filter(active=True).values_list(
        "code", "name", "kind", "sector", "territory__code", "district__code", "parent__code", "always_on"
    )
    return [UnitSpec(*row) for row in rows]


def _learned_classifier(keyword_fallback, classify_min: float):
    """The active learned model behind the engine's interface, or None before one exists."""
    try:
        from jiesu.learning.runtime import active_classifier
    except ImportError:
        return None
    model = active_classifier()
    if model is None:
        return None
    from .learned import LearnedMatterClassifier

    return LearnedMatterClassifier(model, keyword_fallback, classify_min)


def build_engine(*, drafts: tuple[str, ...] = ()) -> Engine:
    ruleset = catalog_rules.ruleset_dict_from_db(drafts=drafts)
    if not ruleset["catalogs"] or not ruleset["matters"]:
        raise RulesMissing("数据库中没有派单规则：请先运行 `jiesu load-rules`（`jiesu demo` 也会加载）。")
    from jiesu.engine.rules import RuleSet

    rules = RuleSet.from_dict(ruleset)
    divisions = _divisions()
    engine = Engine(
        rules,
        divisions,
        _units(),
        landmarks=resolve_landmarks(catalog_rules.landmark_rows(), divisions),
        articles=[
            Article.from_dict(a.to_engine()) for a in ArticleRow.objects.filter(active=True) if a.intake_keywords
        ],
        holiday_overrides=catalog_rules.holiday_overrides(),
        reader=default_reader(),
    )
    learned = _learned_classifier(engine.classifier, rules.thresholds.classify_min)
    if learned is not None:
        engine.classifier = learned
    return engine


def _cache_key():
    revision = RulesRevision.objects.filter(pk=1).values_list("revision", flat=True).first() or 0
    try:
        from jiesu.learning.runtime import active_key
    except ImportError:
        return (revision, None)
    return (revision, active_key())


def current_engine() -> Engine:
    # Asking the database whether the rules changed costs two queries; at intake rates asking
    # once a second per worker is enough (an admin's edit takes effect within that second).
    now = time.monotonic()
    engine = _cache["engine"]
    if engine is not None and now - _cache["checked"] < settings.JIESU_RULES_RECHECK_SECONDS:
        return engine
    key = _cache_key()
    _cache["checked"] = now
    if engine is not None and _cache["key"] == key:
        return engine
    with _lock:
        if _cache["engine"] is None or _cache["key"] != key:
            _cache["engine"] = build_engine()
            _cache["key"] = key
        return _cache["engine"]


def running_engine() -> Engine | None:
    """This process's engine if it has built one (checked against the rules revision as
    `current_engine` checks it), else None: for readers that only want its copy of the rules and
    must not pay for building it (a notification's matter name)."""
    if _cache["engine"] is None:
        return None
    return current_engine()


def reset_engine_cache() -> None:
    _cache.update(key=None, engine=None, checked=0.0, objects=None)


def directory_objects() -> tuple[dict, dict]:
    """Every Place and Unit by code, as rows the decision can put on an order without a query.

    Built with the engine and dropped with it: the rules revision that rebuilds the engine is
    bumped by every saved or deleted place or unit (jiesu.catalog.signals), so these are as
    fresh as the engine's own copy of the directory (within JIESU_RULES_RECHECK_SECONDS).
    Shared by a worker's threads and never changed once built.
    """
    engine = current_engine()
    objects = _cache.get("objects")
    if objects is None or objects[0] is not engine:
        objects = (engine, Place.objects.in_bulk(field_name="code"), Unit.objects.in_bulk(field_name="code"))
        _cache["objects"] = objects
    return objects[1], objects[2]


def warm_up_engine() -> None:
    """Build this process's engine and its directory rows before it serves (a worker's first
    intake or dispatch screen must not wait seconds for them). A database that is not ready yet
    (not migrated, rules not loaded, server down) only leaves the build to the first request,
    which then says what is missing; the server still starts."""
    from django.db import DatabaseError

    try:
        directory_objects()
        # jieba's dictionary for the rules' word boundaries loads on the first text segmented.
        current_engine().cuts.cuts("预热")
    except (RulesMissing, DatabaseError):
        pass


def order_deadlines(order, unit, start):
    """A unit's (response_due, due_at) on `order`, counted from `start` by the current engine's
    rules and calendar: a unit added later, a new liaison, a re-done order."""
    engine = current_engine()
    d = unit_deadlines(
        engine.rules,
        engine.calendar,
        matter_code=order.matter_code or None,
        kind=order.kind,
        start=start,
        always_on=unit.always_on,
    )
    return d.response_due, d.due_at
