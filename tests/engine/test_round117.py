"""Round 117 (R2.3): what sets gp-gs showed. Own wordings, none taken from a labelled set."""

import pytest


def test_someone_locked_in_calling_on_a_borrowed_phone_is_for_the_police(decide_by_rules):
    decision = decide_by_rules(
        "我被他们关在一个屋里出不去，手机也收了，这是偷偷借别人手机打的，"
        "说是介绍工作把我们骗过来的，天天逼我们干活，在大兴这边。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_a_safety_check_asked_for_old_gas_pipes_is_no_leak(decide_by_rules):
    decision = decide_by_rules(
        "上周家里燃气灶有味，燃气公司来换了根管子，现在闻不到了。可楼里的燃气立管都是老的，"
        "家里老人现在不敢开火，希望燃气公司派人来做一次安全检查。西城区德胜街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("楼道里燃气管子呲呲往外冒气，味特别大，我们都不敢开火了，快来人！西城区德胜街道。", "119"),
        ("有个男的拿着刀把我们关在一个屋里出不去，就在朝阳区望京这边，快来人！", "110"),
    ],
)
def test_a_leak_or_a_captor_now_still_transfers(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons
