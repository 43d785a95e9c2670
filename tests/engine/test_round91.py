"""Round 91 (R2.3): what sets dm and dn showed. Own wordings, none taken from a labelled set."""


def test_a_negated_injury_leaves_the_blocked_lanes(decide_by_rules):
    """Nobody hurt, but the two cars stay across the lanes: still a collision for 122."""
    decision = decide_by_rules("四环辅路上两辆车刮了，好在没人受伤，可司机就是不挪车，后面的车全过不去了。")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "122"), decision.reasons


def test_a_negated_injury_alone_is_no_emergency(decide_by_rules):
    decision = decide_by_rules("上午在小区门口两辆车刮了一下，没人受伤，想问问物业的监控能不能调。")
    assert decision.disposition != "emergency", decision.reasons


def test_a_fire_some_years_ago_elsewhere_is_the_past(decide_by_rules):
    decision = decide_by_rules(
        "现在家家把电瓶拎上楼充，电池在屋里充多危险，前两年别处就因为这个着火死过人。盼着早点建个车棚。"
    )
    assert decision.disposition != "emergency", decision.reasons
