"""The pipeline for one request: triage -> answer -> classify -> locate -> route -> time limits.

`Engine` is built once from plain data (rules, divisions, units, landmarks, articles, holiday
overrides) and is then read-only: `decide()` does work proportional to the request's text, not
to the size of the directory (R11-R13, R19.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from jiesu.directory.divisions import Division, beijing_divisions

from .calendar import HolidayOverride, WorkCalendar, aware, natural_equivalent
from .classify import KeywordClassifier, MatterClassifier, MatterScore
from .knowledge import Answerer, Article
from .locate import Landmark, Locator, resolve_landmarks
from .route import COORDINATE, LEAD, Router
from .rules import KINDS, RuleSet, default_articles, default_landmark_rows
from .text import WordCuts
from .triage import HistoryRecord, Triage

DISPATCH = "dispatch"
ANSWER_DIRECTLY = "answer_directly"


@dataclass(frozen=True)
class Request:
    id: str
    text: str
    channel: str = "phone"
    kind: str | None = None
    received_at: datetime | None = None
    requester_history: tuple[HistoryRecord, ...] = ()
    # The matter the requester chose themselves (an Open311 service_code), if any.
    matter_hint: str | None = None

    @classmethod
    def from_dict(cls, d: Mapping) -> "Request":
        if not isinstance(d.get("text"), str) or not d["text"].strip():
            raise ValueError("field 'text': a non-empty string is required")
        kind = d.get("kind") or None
        if kind is not None and kind not in KINDS:
            raise ValueError(f"field 'kind': must be one of {', '.join(KINDS)}")
        at = d.get("received_at")
        if isinstance(at, str):
            try:
                at = datetime.fromisoformat(at)
            except ValueError as exc:
                raise ValueError(f"field 'received_at': not an ISO 8601 datetime ({at!r})") from exc
        hist = tuple(h if isinstance(h, HistoryRecord) else HistoryRecord.from_dict(h)
                     for h in d.get("requester_history") or ())
        return cls(str(d.get("id", "")), d["text"], d.get("channel") or "phone", kind, at, hist,
                   d.get("matter_hint") or None)


@dataclass(frozen=True)
class DecisionUnit:
    code: str
    name: str
    type: str
    role: str
    response_due: str | None = None
    due_at: str | None = None


@dataclass(frozen=True)
class Decision:
    id: str
    disposition: str
    emergency_line: str | None
    kind: str
    matter_code: str | None
    matter_name: str | None
    matter_confidence: float
    district: str | None
    subdistrict: str | None
    community: str | None
    units: tuple[DecisionUnit, ...]
    response_due: str | None
    due_at: str | None
    needs_review: bool
    reasons: tuple[str, ...]
    # Extra facts the Django side stores with the order (see to_record).
    catalog_version: str | None = None
    district_code: str | None = None
    subdistrict_code: str | None = None
    community_code: str | None = None
    location_candidates: tuple[str, ...] = ()
    repeat_of: str | None = None
    legal_channel: str | None = None
    advice: str = ""
    answer: dict | None = None
    alternatives: tuple[dict, ...] = ()
    warnings: tuple[str, ...] = ()
    received_at: str | None = None

    def to_json(self) -> dict:
        """Exactly the `jiesu decide` output line."""
        return {
            "id": self.id,
            "disposition": self.disposition,
            "emergency_line": self.emergency_line,
            "kind": self.kind,
            "matter": {"code": self.matter_code, "name": self.matter_name, "confidence": self.matter_confidence},
            "district": self.district,
            "subdistrict": self.subdistrict,
            "community": self.community,
            "units": [{"name": u.name, "type": u.type, "role": u.role} for u in self.units],
            "response_due": self.response_due,
            "due_at": self.due_at,
            "needs_review": self.needs_review,
            "reasons": list(self.reasons),
        }

    def to_record(self) -> dict:
        """Everything in to_json plus unit codes, per-unit deadlines and the catalog version."""
        d = self.to_json()
        d["units"] = [u.__dict__.copy() for u in self.units]
        d.update({
            "catalog_version": self.catalog_version,
            "district_code": self.district_code,
            "subdistrict_code": self.subdistrict_code,
            "community_code": self.community_code,
            "location_candidates": list(self.location_candidates),
            "repeat_of": self.repeat_of,
            "legal_channel": self.legal_channel,
            "advice": self.advice,
            "answer": self.answer,
            "alternatives": list(self.alternatives),
            "warnings": list(self.warnings),
            "received_at": self.received_at,
        })
        return d


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _rule_words(rules: RuleSet, divisions: tuple[Division, ...], landmarks: tuple[Landmark, ...]) -> list[str]:
    """Every term the rules match on, so that jieba cuts the text where the rules expect words.
    Lexicon strings include advice sentences; those are dropped by length."""
    words = [w for m in rules.matters for w in (m.name, *m.keywords)]
    words += [w for w in _strings(rules.lexicons) if len(w) <= 8]
    words += [w for d in divisions if d.level != "community" for w in (d.name, *d.aliases)]
    words += [lm.name for lm in landmarks]
    return words


class Engine:
    def __init__(
        self,
        rules: RuleSet,
        divisions: Iterable[Division],
        units: Iterable,
        landmarks: Iterable[Landmark] = (),
        articles: Iterable[Article | dict] = (),
        holiday_overrides: Mapping[date, bool] | Iterable[HolidayOverride | dict] = (),
        classifier: MatterClassifier | None = None,
    ):
        self.rules = rules
        divisions = tuple(divisions)
        landmarks = tuple(landmarks)
        self.cuts = WordCuts(_rule_words(rules, divisions, landmarks), rules.lexicons.get("compounds", ()))
        self.triage = Triage(rules.lexicons, self.cuts)
        self.classifier: MatterClassifier = classifier or KeywordClassifier(rules.matters, self.cuts)
        self.locator = Locator(divisions, landmarks, rules.lexicons.get("locate_stop_aliases", ()), self.cuts)
        self.router = Router(units)
        self.answerer = Answerer(articles)
        self.calendar = WorkCalendar(holiday_overrides, rules.work_start, rules.work_end)
        # Catalog indexes are per version and tiny; build them all now, not per request.
        self._catalog_index = {c.version: c.index() for c in rules.catalogs}

    @classmethod
    def from_defaults(cls, **kwargs) -> "Engine":
        """The Beijing defaults: shipped rules, jionlp divisions, seeded units, landmarks, articles."""
        from jiesu.directory.defaults import default_units

        rules = kwargs.pop("rules", None) or RuleSet.from_defaults()
        divisions = kwargs.pop("divisions", None) or beijing_divisions()
        units = kwargs.pop("units", None) or default_units(divisions)
        landmarks = kwargs.pop("landmarks", None)
        if landmarks is None:
            landmarks = resolve_landmarks(default_landmark_rows(), divisions)
        articles = kwargs.pop("articles", None)
        if articles is None:
            articles = [Article.from_dict(a) for a in default_articles()]
        return cls(rules, divisions, units, landmarks, articles, **kwargs)

    # ------------------------------------------------------------------------------
    def decide(self, request: Request | Mapping, *, catalog_version: str | None = None) -> Decision:
        """Decide one request. `catalog_version` replays it under a named catalog (a draft, or
        the version that dispatched it) instead of the one in force on its received date."""
        req = request if isinstance(request, Request) else Request.from_dict(request)
        received = aware(req.received_at or datetime.now())
        text = req.text
        scan = self.triage.scan(text)
        ranked = self.classifier.rank(text, 3)
        hint_notes: list[str] = []
        if req.matter_hint:
            ranked, hint_notes = self._apply_hint(req.matter_hint, ranked)
        top: MatterScore | None = ranked[0] if ranked else None
        matter = self.rules.matter(top.code) if top else None
        matter_ok = bool(top and top.confidence >= self.rules.thresholds.classify_min)
        if req.kind:
            kind, kind_notes = req.kind, []
        else:
            kind, kind_notes = self.triage.infer_kind(scan)
        loc = self.locator.locate(text)
        catalog = self.rules.catalog_at(received, version=catalog_version)
        reasons: list[str] = []
        alternatives = tuple({"code": m.code, "name": m.name, "confidence": m.confidence} for m in ranked[1:])

        base = dict(
            id=req.id, kind=kind,
            matter_code=top.code if top else None, matter_name=top.name if top else None,
            matter_confidence=top.confidence if top else 0.0,
            district=loc.district.name if loc.district else None,
            subdistrict=loc.subdistrict.name if loc.subdistrict else None,
            community=loc.community.name if loc.community else None,
            district_code=loc.district.code if loc.district else None,
            subdistrict_code=loc.subdistrict.code if loc.subdistrict else None,
            community_code=loc.community.code if loc.community else None,
            location_candidates=loc.candidates, alternatives=alternatives,
            catalog_version=catalog.version, received_at=received.isoformat(),
        )

        verdict = (self.triage.emergency(scan)
                   or self.triage.unlawful(scan, matter_ok)
                   or self.triage.secret_privacy(scan)
                   or self.triage.legal_channel(scan)
                   or self.triage.out_of_scope(scan))
        repeat_notes: list[str] = []
        if verdict is None and req.requester_history:
            verdict, repeat_notes = self.triage.repeat(scan, top.code if top else None, received,
                                                       req.requester_history)
        if verdict is not None:
            reasons = list(verdict.reasons)
            if top:
                reasons.append(f"事项：{matter.full_name if matter else top.name}（置信度{top.confidence:.2f}）")
            reasons += list(loc.reasons)
            return Decision(
                disposition=verdict.disposition, emergency_line=verdict.emergency_line,
                units=(), response_due=None, due_at=None, needs_review=not verdict.confident,
                reasons=tuple(reasons), repeat_of=verdict.repeat_of, legal_channel=verdict.channel,
                advice=verdict.advice, **base,
            )
        reasons += self.triage.emergency_negatives(scan)
        reasons += repeat_notes
        reasons += kind_notes

        if kind == "consultation":
            ans = self.answerer.answer(text)
            if ans and ans.confidence >= self.rules.thresholds.answer_min:
                reasons.insert(0, f"咨询类诉求，知识库《{ans.article.title}》可即时答复（R11.1，依据“{'、'.join(ans.evidence)}”）")
                return Decision(
                    disposition=ANSWER_DIRECTLY, emergency_line=None, units=(), response_due=None,
                    due_at=None, needs_review=False, reasons=tuple(reasons),
                    answer={"id": ans.article.id, "title": ans.article.title, "body": ans.article.body,
                            "confidence": ans.confidence}, **base,
                )
            reasons.append("咨询类诉求，知识库无可即时答复的条目，派单答复（R11.1）")

        review: list[str] = []
        reasons += hint_notes
        if top is None:
            review.append("未能识别诉求事项，需人工判断")
        else:
            reasons.append(f"事项：{matter.full_name}（置信度{top.confidence:.2f}，依据“{'、'.join(top.evidence)}”）")
            if not matter_ok:
                review.append(f"事项识别置信度{top.confidence:.2f}低于{self.rules.thresholds.classify_min:.2f}")
        reasons += list(loc.reasons)
        if loc.ambiguous:
            review.append("地点有歧义，需人工确认")

        route = self.router.route(matter, loc, catalog, self._catalog_index[catalog.version])
        reasons += list(route.reasons)
        if not route.confident:
            review.append("无法按目录确定承办单位")

        units, resp_due, due_at, warnings = self._time_limits(route, matter, kind, received)
        reasons += [f"需复核：{r}" for r in review]
        reasons += list(warnings)
        return Decision(
            disposition=DISPATCH, emergency_line=None, units=units, response_due=resp_due,
            due_at=due_at, needs_review=bool(review), reasons=tuple(reasons), warnings=warnings, **base,
        )

    # A requester's own choice of service settles what a vague text leaves open; where the text
    # itself is clear, the text wins (people, and partners' catch-all codes, pick wrong boxes).
    HINT_CONFIDENCE = 0.9

    def _apply_hint(self, code: str, ranked: list[MatterScore]):
        hinted = self.rules.matter(code)
        if hinted is None:
            return ranked, [f"诉求人所选服务类型“{code}”不在事项目录中，按内容识别"]
        top = ranked[0] if ranked else None
        if top and top.code != code and top.confidence >= self.rules.thresholds.classify_min:
            return ranked, [f"诉求人所选服务类型为“{hinted.name}”，按内容识别为“{top.name}”"]
        chosen = MatterScore(code, hinted.name, max(self.HINT_CONFIDENCE, top.confidence if top and top.code == code else 0.0),
                             ("诉求人所选服务类型",))
        return [chosen, *[m for m in ranked if m.code != code]][:3], []

    def _time_limits(self, route, matter, kind, received):
        """Per-unit deadlines (R13.1); 24/7 units count natural hours (R19.1)."""
        if not route.assignments:
            return (), None, None, ()
        code = matter.time_limit if matter else "general"
        try:
            rule = self.rules.time_limit(code)
        except KeyError:
            rule = self.rules.time_limits[0]
        resp_limit, comp_limit = rule.limits_for(kind)
        out, warnings = [], []
        lead_resp = lead_due = None
        for a in route.assignments:
            r_lim, c_lim = resp_limit, comp_limit
            if getattr(a.unit, "always_on", False):
                r_lim, c_lim = natural_equivalent(r_lim), natural_equivalent(c_lim)
            r = self.calendar.add(received, r_lim)
            c = self.calendar.add(received, c_lim)
            warnings += [w for w in (*r.warnings, *c.warnings) if w not in warnings]
            out.append(DecisionUnit(a.unit.code, a.unit.name, a.type, a.role,
                                    r.at.isoformat(), c.at.isoformat()))
            if a.role in (LEAD, COORDINATE) and lead_due is None:
                lead_resp, lead_due = r.at.isoformat(), c.at.isoformat()
        return tuple(out), lead_resp, lead_due, tuple(warnings)
