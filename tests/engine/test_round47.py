"""Round 47 (R2.3): someone on a roof edge about to jump is a police matter (110: writers of the
development sets say so three times to one), and a person who fell through ice is a rescue (119).
Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, line",
    [
        ("我们楼对面有个小伙子坐在楼顶边上，喝多了，嚷嚷着要往下跳，物业的人在劝。", "110"),
        ("水库上冰面裂了，有个钓鱼的大爷掉下去了，在水里扑腾，岸上的人够不着他。", "119"),
    ],
)
def test_round47(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


def test_a_warning_about_thin_ice_is_not_an_emergency(decide_by_rules):
    text = "建议在河边多立警示牌，去年冬天就有孩子在冰面上玩，冰裂了掉下去过，幸亏被救上来了。"
    assert decide_by_rules(text).disposition == "dispatch"


@pytest.mark.parametrize(
    "text",
    ["你多大了，有男朋友吗，出来见面吧", "美女你声音真好听，陪我聊天吧，加个微信"],
)
def test_a_nuisance_call_is_not_transferred_on_a_middling_reading(decide, text):
    """The reader retrained in round 46 read the first as 119 at 0.53; harassment words alone,
    with no danger word, keep the rules' verdict unless the reader is far surer."""
    decision = decide(text)
    assert decision.disposition == "unlawful", decision.reasons
