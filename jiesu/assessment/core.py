"""The monthly three-rate assessment as plain Python over plain records (R31.1, R31.2, R33.1, R34.1).

No Django here: `compute(lines, rules, credits, previous)` takes the month's assessment lines
(one per unit's part in an order with a valid return visit) and the rules, and returns every
unit's rates, score and the lines that cost it points. The Django side streams the lines out of
the database (jiesu.assessment.extract) and stores what comes back.

Reproducible by construction: every weight and value is an integer in thousandths, sums are
exact integer sums (so the order rows arrive in does not matter), and rates and scores are
rounded once, at the end, from exact fractions. Same lines and rules, same numbers, same digest.

Rates are over valid visits (practice notes: 三率 over 有效回访):
  response rate     = sum(w * responded)           / sum(w)            over lines whose scope counts
  resolution rate   = sum(w * resolution value)    / sum(w)            over full-scope lines
  satisfaction rate = sum(w * satisfaction value)  / sum(w)            over full-scope lines
where w is the weight of the unit's role on the order (lead, assisting, report-in ...).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import NamedTuple

MILLI = 1000  # weights and values are in thousandths
UNIT_VALUE = MILLI * MILLI  # a line's value scaled to millionths, so report-in blends stay integers

FULL, RESPONSE_ONLY, NOT_ASSESSED = "full", "response_only", "none"

# Why a line was left out (exclusions, R31.2, R34.1).
UNREASONABLE, OBJECTION, APPEAL = "unreasonable", "objection", "appeal"

# Why a line cost points: bits of Deduction.codes.
NOT_RESPONDED, NOT_RESOLVED, NOT_SATISFIED, OVERDUE, FALSE_RESOLVED, ATTITUDE = 1, 2, 4, 8, 16, 32
CODE_LABELS = {
    NOT_RESPONDED: "未响应（诉求人反映未联系）",
    NOT_RESOLVED: "未解决或部分解决",
    NOT_SATISFIED: "不满意或基本满意",
    OVERDUE: "无正当理由超期",
    FALSE_RESOLVED: "虚假办结（答复已解决，回访未解决）",
    ATTITUDE: "服务态度被投诉",
}
FLAG_CODES = {"overdue": OVERDUE, "false_resolved": FALSE_RESOLVED, "attitude": ATTITUDE}

# The four classes used in practice, worst first (the first that applies wins).
GOVERN, RECTIFY, ADVANCED, IMPROVED = "govern", "rectify", "advanced", "improved"
CLASS_LABELS = {ADVANCED: "先进", IMPROVED: "进步", RECTIFY: "整改", GOVERN: "治理", "": "一般"}


class Line(NamedTuple):
    """One unit's part in one order with a valid return visit in the month."""

    order_id: int
    unit_id: int
    role: str  # lead, coordinate, assist, report_in, instruct
    kind: str  # the order's request kind
    matter_code: str
    contacted: bool  # the requester says the unit got in touch
    resolution: str  # resolved, partly, unresolved
    satisfaction: str  # satisfied, basic, unsatisfied
    unreasonable: bool = False  # the centre certified the request unreasonable
    objection: bool = False  # the unit's dispatch objection was accepted
    appeal: bool = False  # the unit's appeal on this order was upheld
    overdue: bool = False  # finished after its own limit, no approved extension
    false_resolved: bool = False  # said resolved; the requester says not (or disputed it)
    attitude: bool = False  # the requester complained about the unit's attitude at the visit
    report_in_on_time: bool | None = None  # report-in departments: acknowledged within the limit
    office_satisfied: bool | None = None  # report-in departments: the whistling office's verdict


@dataclass(frozen=True)
class ScopeRule:
    """Which rates an order counts for; the first matching rule wins, an empty field matches all."""

    scope: str
    kind: str = ""
    matter_prefix: str = ""
    role: str = ""

    def matches(self, kind: str, matter_code: str, role: str) -> bool:
        return (
            (not self.kind or self.kind == kind)
            and (not self.role or self.role == role)
            and (not self.matter_prefix or (matter_code or "").startswith(self.matter_prefix))
        )


@dataclass(frozen=True)
class Rules:
    """One version of the assessment rules, as plain numbers (thousandths and hundredths)."""

    version: str = "default"
    # Weights of the three rates in the base score (thousandths; need not sum to 1000).
    response_weight: int = 100
    resolution_weight: int = 450
    satisfaction_weight: int = 450
    # The satisfaction formula: value of each answer (thousandths). 满意 + 0.9 x 基本满意 by default.
    satisfied_value: int = 1000
    basic_value: int = 900
    unsatisfied_value: int = 0
    resolved_value: int = 1000
    partly_value: int = 0
    unresolved_value: int = 0
    # How much one order weighs for a unit, by its role (thousandths). Zero: not assessed.
    role_weights: dict = field(
        default_factory=lambda: {"lead": 1000, "coordinate": 1000, "assist": 500, "report_in": 1000, "instruct": 0}
    )
    # Report-in departments are assessed twice over (R31.2): by the requester's visit and by the
    # office that blew the whistle. Share of the office's verdict in their satisfaction (thousandths).
    report_in_office_share: int = 500
    scopes: tuple = ()
    # Supervision flags (R33.1): points (hundredths) off the score per flagged order.
    penalty_overdue: int = 50
    penalty_false_resolved: int = 200
    penalty_attitude: int = 100
    penalty_cap: int = 2000
    credit_cap: int = 500  # proactive governance and hard cases (hundredths)
    # Classes (hundredths of a point; improved_rise is the rise over last month's score).
    advanced_min: int = 9500
    rectify_below: int = 8500
    govern_below: int = 7500
    improved_rise: int = 300

    def scope_of(self, kind: str, matter_code: str, role: str) -> str:
        for rule in self.scopes:
            if rule.matches(kind, matter_code, role):
                return rule.scope
        return FULL

    def snapshot(self) -> dict:
        data = asdict(self)
        data["scopes"] = [asdict(s) for s in self.scopes]
        return data


@dataclass
class UnitResult:
    unit_id: int
    lines: int = 0  # lines assessed (valid visits, scope counting, not excluded)
    excluded: int = 0
    response_rate: Fraction | None = None
    resolution_rate: Fraction | None = None
    satisfaction_rate: Fraction | None = None
    base: int | None = None  # hundredths of a point, from the rates alone
    credits: int = 0
    penalties: int = 0
    score: int | None = None  # hundredths; None when the unit had nothing assessable
    flags: dict = field(default_factory=dict)  # overdue / false_resolved / attitude counts

    def rounded(self) -> dict:
        """The stored form: rates to 4 decimals (as strings, exact), score in hundredths."""
        return {
            "unit_id": self.unit_id,
            "lines": self.lines,
            "excluded": self.excluded,
            "response_rate": _r4(self.response_rate),
            "resolution_rate": _r4(self.resolution_rate),
            "satisfaction_rate": _r4(self.satisfaction_rate),
            "base": self.base,
            "credits": self.credits,
            "penalties": self.penalties,
            "score": self.score,
            "flags": dict(sorted(self.flags.items())),
        }


class Deduction(NamedTuple):
    order_id: int
    unit_id: int
    codes: int  # bits from NOT_RESPONDED .. ATTITUDE
    loss: int  # hundredths of a point this order cost the unit


@dataclass
class Result:
    units: dict[int, UnitResult]
    deductions: list[Deduction]
    lines_seen: int
    digest: str


def _r4(value: Fraction | None) -> str | None:
    if value is None:
        return None
    # Round half up on the exact fraction: the same on every machine.
    scaled = value * 10000
    q = (scaled.numerator * 2 + scaled.denominator) // (2 * scaled.denominator)
    return f"{q // 10000}.{q % 10000:04d}"


def _round(value: Fraction) -> int:
    return (value.numerator * 2 + value.denominator) // (2 * value.denominator)


class _Acc:
    __slots__ = ("lines", "excluded", "w_resp", "resp", "w_full", "res", "sat", "penalties", "flags", "mine")

    def __init__(self) -> None:
        self.lines = self.excluded = self.w_resp = self.resp = self.w_full = self.res = self.sat = self.penalties = 0
        self.flags: dict[str, int] = {}
        self.mine: list = []  # (order_id, weight, scope, resp_lost, res_lost, sat_lost, flag codes, flag points)


def compute(
    lines: Iterable[Line], rules: Rules, *, credits: Iterable[tuple[int, int]] = (), units: Iterable[int] = ()
) -> Result:
    """Every unit's rates, score and deductions for one month.

    `credits` are (unit_id, hundredths) for proactive governance and hard cases; `units` lists
    units to report even with no lines (so a unit with credits only still appears).
    """
    accs: dict[int, _Acc] = {}
    role_w = rules.role_weights
    sat_v = {"satisfied": rules.satisfied_value, "basic": rules.basic_value, "unsatisfied": rules.unsatisfied_value}
    res_v = {"resolved": rules.resolved_value, "partly": rules.partly_value, "unresolved": rules.unresolved_value}
    share = rules.report_in_office_share
    penalty = {
        "overdue": rules.penalty_overdue,
        "false_resolved": rules.penalty_false_resolved,
        "attitude": rules.penalty_attitude,
    }
    scope_cache: dict[tuple, str] = {}
    seen = 0
    for ln in lines:
        seen += 1
        acc = accs.get(ln.unit_id)
        if acc is None:
            acc = accs[ln.unit_id] = _Acc()
        if ln.unreasonable or ln.objection or ln.appeal:
            acc.excluded += 1
            continue
        w = role_w.get(ln.role, 0)
        key = (ln.kind, ln.matter_code, ln.role)
        scope = scope_cache.get(key)
        if scope is None:
            scope = scope_cache[key] = rules.scope_of(*key)
        if w <= 0 or scope == NOT_ASSESSED:
            continue
        acc.lines += 1
        # Response: a report-in department answers to the whistle's clock; others to the requester.
        if ln.role == "report_in" and ln.report_in_on_time is not None:
            responded = ln.report_in_on_time
        else:
            responded = ln.contacted
        acc.w_resp += w
        if responded:
            acc.resp += w
        res_lost = sat_lost = 0
        if scope == FULL:
            res = res_v.get(ln.resolution, 0) * MILLI
            sat = sat_v.get(ln.satisfaction, 0) * MILLI
            if ln.role == "report_in" and ln.office_satisfied is not None:
                office = UNIT_VALUE if ln.office_satisfied else 0
                sat = (share * office + (MILLI - share) * sat) // MILLI
            acc.w_full += w
            acc.res += w * res
            acc.sat += w * sat
            res_lost, sat_lost = UNIT_VALUE - res, UNIT_VALUE - sat
        codes = flag_points = 0
        for name in ("overdue", "false_resolved", "attitude"):
            if getattr(ln, name):
                codes |= FLAG_CODES[name]
                flag_points += penalty[name]
                acc.flags[name] = acc.flags.get(name, 0) + 1
        acc.penalties += flag_points
        if (not responded) or res_lost or sat_lost or codes:
            acc.mine.append((ln.order_id, w, scope, not responded, res_lost, sat_lost, codes, flag_points))

    credit_sum: dict[int, int] = {}
    for unit_id, points in credits:
        credit_sum[unit_id] = credit_sum.get(unit_id, 0) + int(points)
        accs.setdefault(unit_id, _Acc())
    for unit_id in units:
        accs.setdefault(unit_id, _Acc())

    weights = (rules.response_weight, rules.resolution_weight, rules.satisfaction_weight)
    results: dict[int, UnitResult] = {}
    deductions: list[Deduction] = []
    for unit_id in sorted(accs):
        acc = accs[unit_id]
        r = UnitResult(unit_id, lines=acc.lines, excluded=acc.excluded, flags=dict(acc.flags))
        if acc.w_resp:
            r.response_rate = Fraction(acc.resp, acc.w_resp)
        if acc.w_full:
            r.resolution_rate = Fraction(acc.res, acc.w_full * UNIT_VALUE)
            r.satisfaction_rate = Fraction(acc.sat, acc.w_full * UNIT_VALUE)
        rates = (r.response_rate, r.resolution_rate, r.satisfaction_rate)
        total_w = sum(wt for wt, rate in zip(weights, rates) if rate is not None)
        r.credits = min(credit_sum.get(unit_id, 0), rules.credit_cap)
        r.penalties = min(acc.penalties, rules.penalty_cap)
        if total_w:
            # Rates missing for the unit (e.g. response-only orders only) drop out of the weights.
            base = sum((wt * rate for wt, rate in zip(weights, rates) if rate is not None), Fraction(0)) / total_w
            r.base = _round(base * 10000)
            r.score = max(0, r.base + r.credits - r.penalties)
        results[unit_id] = r
        # What each order cost: its share of each rate's shortfall, times that rate's weight. A
        # floating-point estimate for the unit's list (a function of the line and the unit's
        # totals only, so still independent of row order); the score itself is exact.
        k_resp = weights[0] * 10000 / (total_w * acc.w_resp) if total_w and acc.w_resp else 0.0
        k_full = 10000 / (total_w * acc.w_full * UNIT_VALUE) if total_w and acc.w_full else 0.0
        k_res, k_sat = weights[1] * k_full, weights[2] * k_full
        for order_id, w, _scope, not_resp, res_lost, sat_lost, codes, flag_points in acc.mine:
            loss = float(flag_points)
            if not_resp:
                codes |= NOT_RESPONDED
                loss += k_resp * w
            if res_lost:
                codes |= NOT_RESOLVED
                loss += k_res * w * res_lost
            if sat_lost:
                codes |= NOT_SATISFIED
                loss += k_sat * w * sat_lost
            deductions.append(Deduction(order_id, unit_id, codes, round(loss)))
    h = hashlib.sha256(
        json.dumps(
            {"rules": rules.snapshot(), "units": [results[u].rounded() for u in sorted(results)]},
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
    )
    h.update(repr(sorted(map(tuple, deductions))).encode())
    digest = h.hexdigest()
    return Result(results, deductions, seen, digest)


# Rankings, classes and recognition ----------------------------------------------------------


@dataclass
class Ranked:
    unit_id: int
    group: str
    score: int
    rank: int
    klass: str
    previous: int | None
    delta: int | None
    previous_rank: int | None


def classify(score: int, previous: int | None, rules: Rules) -> str:
    if score < rules.govern_below:
        return GOVERN
    if score < rules.rectify_below:
        return RECTIFY
    if score >= rules.advanced_min:
        return ADVANCED
    if previous is not None and score - previous >= rules.improved_rise:
        return IMPROVED
    return ""


def rank(
    scores: dict[int, int | None],
    groups: dict[int, str],
    rules: Rules,
    *,
    previous: dict[int, int | None] | None = None,
    previous_ranks: dict[int, int] | None = None,
    tiebreak: dict[int, str] | None = None,
) -> dict[int, Ranked]:
    """Rank units within their group (competition ranking: equal scores share a rank).

    Units without a score are not ranked. Ties are listed by `tiebreak` (the unit code), so the
    order of the table is as reproducible as the numbers.
    """
    previous = previous or {}
    previous_ranks = previous_ranks or {}
    tiebreak = tiebreak or {}
    by_group: dict[str, list[int]] = {}
    for unit_id, score in scores.items():
        if score is not None and groups.get(unit_id):
            by_group.setdefault(groups[unit_id], []).append(unit_id)
    out: dict[int, Ranked] = {}
    for group, ids in by_group.items():
        ids.sort(key=lambda u: (-scores[u], tiebreak.get(u, ""), u))
        last_score, last_rank = None, 0
        for i, unit_id in enumerate(ids, start=1):
            score = scores[unit_id]
            if score != last_score:
                last_score, last_rank = score, i
            prev = previous.get(unit_id)
            out[unit_id] = Ranked(
                unit_id,
                group,
                score,
                last_rank,
                classify(score, prev, rules),
                prev,
                None if prev is None else score - prev,
                previous_ranks.get(unit_id),
            )
    return out


def recognition(ranked: dict[int, Ranked]) -> dict[str, dict[str, list[int]]]:
    """R7.1: per group, the best units (rank 1) and the most improved (largest rise, if any)."""
    out: dict[str, dict[str, list[int]]] = {}
    for r in ranked.values():
        out.setdefault(r.group, {"best": [], "improved": []})
    for group in out:
        members = [r for r in ranked.values() if r.group == group]
        out[group]["best"] = sorted(r.unit_id for r in members if r.rank == 1)
        rises = [r.delta for r in members if r.delta is not None and r.delta > 0]
        if rises:
            top = max(rises)
            out[group]["improved"] = sorted(r.unit_id for r in members if r.delta == top)
    return out
