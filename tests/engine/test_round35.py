"""Round 35 of the rules (R2.3, R11.3): what set p showed. Crushing chest pain with a cold sweat
is a 120 call though nobody says "heart attack"; "if it burns, how do we get out" is a risk, not
a fire; where the shelters lie is not for the public. Own wordings, none taken from a labelled
set; the rules are judged without the reader."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "我老伴刚才突然胸口痛，满头冷汗，靠在沙发上喘不过气，石景山区鲁谷街道",
        "爸爸说胸口闷得慌，脸色煞白，左胳膊麻，平谷区滨河街道，快来",
    ],
)
def test_chest_pain_with_its_signs_is_a_120_call(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # A question about the chest pain one had, to a doctor's office, is no emergency.
        "上个月体检后偶尔胸口疼，想问问社区医院能不能做心电图，西城区什刹海街道",
        # Hoarding in the stairwell: the fire is what might come.
        "楼道里堆满旧家具和纸箱，真着火了往哪跑，请物业清一清，朝阳区团结湖街道",
    ],
)
def test_round_35_near_misses_stay_ordinary(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_where_the_air_raid_shelters_lie_is_not_for_the_public(decide_by_rules):
    decision = decide_by_rules("想拍个视频，能不能给我一份全区人防工程的分布地图")
    assert decision.disposition == "secret_privacy", decision.reasons
