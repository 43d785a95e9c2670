"""The assessment formula on small months computed by hand (R31.1, R31.2, R33.1, R34.1, R7.1).

Plain Python: no database. Default rules: rates weighted 0.1 / 0.45 / 0.45, satisfaction =
satisfied + 0.9 x basically satisfied over valid visits, assisting units count 0.5 of an order.
"""

from __future__ import annotations

from fractions import Fraction

from jiesu.assessment import core
from jiesu.assessment.core import Line, Rules, ScopeRule

RULES = Rules()


def L(
    order, unit, role="lead", contacted=True, resolution="resolved", satisfaction="satisfied", kind="complaint", **kw
):
    return Line(order, unit, role, kind, "", contacted, resolution, satisfaction, **kw)


def scores(lines, rules=RULES, **kw):
    return {u: r.score for u, r in core.compute(lines, rules, **kw).units.items()}


def test_lead_and_assisting_units_weigh_differently_R31_2():
    lines = [
        L(1, 10),
        L(1, 20, "assist"),
        L(2, 10, resolution="unresolved", satisfaction="basic"),
        L(2, 20, "assist", resolution="unresolved", satisfaction="basic"),
        L(3, 20, contacted=False, resolution="unresolved", satisfaction="unsatisfied"),
    ]
    res = core.compute(lines, RULES).units
    a, b = res[10], res[20]
    # A (lead on 1, 2): resp 2/2, res 1/2, sat (1 + 0.9)/2 -> 0.1 + 0.225 + 0.4275 = 75.25
    assert (a.response_rate, a.resolution_rate, a.satisfaction_rate) == (1, Fraction(1, 2), Fraction(95, 100))
    assert a.score == 7525
    # B (assist 0.5 on 1, 2; lead 1.0 on 3): resp 1/2, res 0.5/2, sat 0.95/2 -> 0.05 + 0.1125 + 0.21375 = 37.625
    assert (b.response_rate, b.resolution_rate, b.satisfaction_rate) == (
        Fraction(1, 2),
        Fraction(1, 4),
        Fraction(475, 1000),
    )
    assert b.score == 3763  # 37.625 rounded half up
    # Had assisting counted in full, B's bad lead order would weigh less: 0.1*2/3 + 0.45/3 + 0.45*1.9/3 = 50.17
    same = Rules(role_weights={**RULES.role_weights, "assist": 1000})
    assert scores(lines, same)[20] == 5017


def test_satisfaction_formula_is_configurable_R31_2():
    lines = [L(1, 10, satisfaction="basic"), L(2, 10, satisfaction="satisfied")]
    assert core.compute(lines, RULES).units[10].satisfaction_rate == Fraction(95, 100)
    strict = Rules(basic_value=500)
    assert core.compute(lines, strict).units[10].satisfaction_rate == Fraction(75, 100)


def test_response_only_orders_count_for_response_rate_only_R31_1():
    rules = Rules(scopes=(ScopeRule(core.RESPONSE_ONLY, kind="consultation"),))
    lines = [L(1, 10, kind="consultation", resolution="unresolved", satisfaction="unsatisfied"), L(2, 10)]
    r = core.compute(lines, rules).units[10]
    assert (r.response_rate, r.resolution_rate, r.satisfaction_rate, r.score) == (1, 1, 1, 10000)
    # Without the scope rule the consultation's answers would count: 0.1 + 0.225 + 0.225 = 55
    assert scores(lines)[10] == 5500
    # A unit with response-only orders alone is scored on its response rate (the weights renormalise).
    only = core.compute([L(3, 30, kind="consultation", contacted=False), L(4, 30, kind="consultation")], rules).units[
        30
    ]
    assert (only.resolution_rate, only.score) == (None, 5000)
    # "none" scope: not assessed at all.
    none = Rules(scopes=(ScopeRule(core.NOT_ASSESSED, role="assist"),))
    assert core.compute([L(5, 40, "assist", contacted=False)], none).units[40].score is None


def test_whistle_office_and_report_in_departments_are_both_assessed_R31_2():
    lines = [
        L(1, 10, satisfaction="basic"),  # the township office that blew the whistle, lead
        L(1, 20, "report_in", satisfaction="basic", report_in_on_time=True, office_satisfied=False),
        L(1, 30, "report_in", contacted=False, satisfaction="basic", report_in_on_time=False, office_satisfied=True),
    ]
    r = core.compute(lines, RULES).units
    # Office: 0.1 + 0.45 + 0.45 * 0.9 = 95.5
    assert r[10].score == 9550
    # Department 20: on time; satisfaction half the office's "no" (0) and half the requester's 0.9 = 0.45
    assert r[20].satisfaction_rate == Fraction(45, 100) and r[20].score == 7525  # 0.1 + 0.45 + 0.2025
    # Department 30: late report-in (response 0); satisfaction 0.5 * 1 + 0.5 * 0.9 = 0.95 -> 0.45 + 0.4275
    assert r[30].response_rate == 0 and r[30].score == 8775


def test_exclusions_unreasonable_objection_and_upheld_appeal_R31_2_R34_1():
    bad = dict(contacted=False, resolution="unresolved", satisfaction="unsatisfied")
    lines = [
        L(1, 10),
        L(2, 10, unreasonable=True, **bad),
        L(3, 10, objection=True, **bad),
        L(4, 10, appeal=True, **bad),
        L(2, 20, "assist", unreasonable=True, **bad),
        L(5, 20, "assist"),
    ]
    r = core.compute(lines, RULES).units
    assert (r[10].score, r[10].lines, r[10].excluded) == (10000, 1, 3)
    assert (r[20].score, r[20].excluded) == (10000, 1)
    # Without the exclusions unit 10 would have 1 good order of 4: 0.1*0.25 + 0.45*0.25 + 0.45*0.25 = 25
    plain = [ln._replace(unreasonable=False, objection=False, appeal=False) for ln in lines]
    assert scores(plain)[10] == 2500


def test_supervision_flags_cost_points_R33_1():
    lines = [L(1, 10, overdue=True, attitude=True), L(2, 20, resolution="unresolved", false_resolved=True)]
    r = core.compute(lines, RULES)
    assert r.units[10].score == 10000 - 50 - 100 and r.units[10].flags == {"attitude": 1, "overdue": 1}
    # 20: 0.1 + 0 + 0.45 = 55, minus 2 for a false "resolved"
    assert r.units[20].score == 5500 - 200
    d = {x.unit_id: x for x in r.deductions}
    assert d[10].codes == core.OVERDUE | core.ATTITUDE and d[10].loss == 150
    assert d[20].codes == core.NOT_RESOLVED | core.FALSE_RESOLVED and d[20].loss == 4500 + 200
    capped = Rules(penalty_cap=100)
    assert scores(lines, capped)[10] == 9900


def test_credits_for_proactive_governance_and_hard_cases_are_capped_R31_2():
    lines = [L(1, 10, satisfaction="basic")]
    assert scores(lines, credits=[(10, 200)])[10] == 9550 + 200
    assert scores(lines, credits=[(10, 400), (10, 400)])[10] == 9550 + 500  # cap 5 points
    # A unit with credits but no orders is listed, not scored.
    r = core.compute(lines, RULES, credits=[(99, 100)]).units[99]
    assert (r.score, r.credits) == (None, 100)


def test_deductions_list_the_orders_that_cost_points_R31_1():
    lines = [L(1, 10), L(2, 10, contacted=False), L(3, 10, satisfaction="basic")]
    r = core.compute(lines, RULES)
    d = {x.order_id: x for x in r.deductions}
    assert set(d) == {2, 3}
    assert d[2].codes == core.NOT_RESPONDED and d[2].loss == round(10 * 100 / 3)  # 0.1 * 1/3 of 100 points
    assert d[3].codes == core.NOT_SATISFIED and d[3].loss == 150  # 0.45 * 0.1/3 of 100 points
    assert r.units[10].score == 10000 - 333 - 150


def test_classes_rankings_and_recognition_R31_1_R7_1():
    s = {1: 9600, 2: 9000, 3: 8000, 4: 7000, 5: 9000, 6: None}
    groups = {1: "township", 2: "township", 3: "township", 4: "township", 5: "township", 6: "township"}
    prev = {1: 9700, 2: 8600, 3: 8000, 5: 8950}
    ranked = core.rank(s, groups, RULES, previous=prev, tiebreak={2: "b", 5: "a"})
    assert [ranked[u].rank for u in (1, 5, 2, 3, 4)] == [1, 2, 2, 4, 5]  # equal scores share a rank
    assert 6 not in ranked
    assert {u: core.CLASS_LABELS[ranked[u].klass] for u in ranked} == {
        1: "先进",
        2: "进步",
        3: "整改",
        4: "治理",
        5: "一般",
    }
    assert core.recognition(ranked) == {"township": {"best": [1], "improved": [2]}}
    tighter = Rules(advanced_min=9700, improved_rise=500)
    assert (
        core.rank(s, groups, tighter, previous=prev)[1].klass == ""
        and core.rank(s, groups, tighter, previous=prev)[2].klass == ""
    )


def test_same_lines_in_any_order_give_the_same_digest_R31_1():
    lines = [
        L(
            i,
            10 + i % 3,
            "assist" if i % 4 == 0 else "lead",
            contacted=i % 5 != 0,
            satisfaction=("satisfied", "basic", "unsatisfied")[i % 3],
        )
        for i in range(200)
    ]
    a = core.compute(lines, RULES)
    b = core.compute(list(reversed(lines)), RULES)
    assert a.digest == b.digest and sorted(a.deductions) == sorted(b.deductions)
    assert core.compute(lines, Rules(basic_value=800)).digest != a.digest  # the rules are part of the digest
