"""Properties of the assessment formula over random months (R31.1, R31.2, R34.1)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from jiesu.assessment import core
from jiesu.assessment.core import Line, Rules, ScopeRule

lines_st = st.lists(
    st.builds(
        Line,
        order_id=st.integers(1, 60),
        unit_id=st.integers(1, 8),
        role=st.sampled_from(["lead", "coordinate", "assist", "report_in", "instruct"]),
        kind=st.sampled_from(["complaint", "consultation", "help"]),
        matter_code=st.sampled_from(["", "city.heating", "city.noise"]),
        contacted=st.booleans(),
        resolution=st.sampled_from(["resolved", "partly", "unresolved"]),
        satisfaction=st.sampled_from(["satisfied", "basic", "unsatisfied"]),
        unreasonable=st.booleans(),
        objection=st.booleans(),
        appeal=st.booleans(),
        overdue=st.booleans(),
        false_resolved=st.booleans(),
        attitude=st.booleans(),
        report_in_on_time=st.none() | st.booleans(),
        office_satisfied=st.none() | st.booleans(),
    ),
    max_size=80,
)
thousandths = st.integers(0, 1000)
rules_st = st.builds(
    Rules,
    response_weight=thousandths,
    resolution_weight=thousandths,
    satisfaction_weight=thousandths,
    satisfied_value=thousandths,
    basic_value=thousandths,
    unsatisfied_value=thousandths,
    resolved_value=thousandths,
    partly_value=thousandths,
    role_weights=st.fixed_dictionaries(
        {
            "lead": thousandths,
            "coordinate": thousandths,
            "assist": thousandths,
            "report_in": thousandths,
            "instruct": thousandths,
        }
    ),
    report_in_office_share=thousandths,
    scopes=st.lists(
        st.builds(
            ScopeRule,
            scope=st.sampled_from([core.FULL, core.RESPONSE_ONLY, core.NOT_ASSESSED]),
            kind=st.sampled_from(["", "consultation"]),
            role=st.sampled_from(["", "assist"]),
        ),
        max_size=3,
    ).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(lines_st, rules_st)
def test_every_rate_stays_within_0_and_1_R31_1(lines, rules):
    for r in core.compute(lines, rules).units.values():
        for rate in (r.response_rate, r.resolution_rate, r.satisfaction_rate):
            assert rate is None or 0 <= rate <= 1
        if r.base is not None:
            assert 0 <= r.base <= 10000 and r.score >= 0


@settings(max_examples=300, deadline=None)
@given(lines_st, rules_st, st.data())
def test_excluding_one_units_order_never_changes_another_units_score_R31_2_R34_1(lines, rules, data):
    if not lines:
        return
    i = data.draw(st.integers(0, len(lines) - 1))
    reason = data.draw(st.sampled_from(["objection", "appeal"]))  # line-level exclusions
    changed = list(lines)
    changed[i] = changed[i]._replace(**{reason: True})
    before = core.compute(lines, rules).units
    after = core.compute(changed, rules).units
    target = lines[i].unit_id
    for unit_id, r in before.items():
        if unit_id != target:
            assert after[unit_id].rounded() == r.rounded()


@settings(max_examples=100, deadline=None)
@given(lines_st, st.randoms(use_true_random=False))
def test_row_order_never_changes_the_result_R31_1(lines, rnd):
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    assert core.compute(lines, Rules()).digest == core.compute(shuffled, Rules()).digest
