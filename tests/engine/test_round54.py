"""Round 54 (R2.3): a fire nobody can put out is a fire, and a burning stack of straw or firewood
is a fire even though straw that people burn is a smoke nuisance. Set ak missed one of each.
Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "小饭馆灶台着了，拿湿毛巾捂不灭，服务员都跑出来了。",
        "我们村西头的麦秸垛着了，旁边就是牲口棚。",
        "院里的柴垛烧起来了，火苗子老高。",
    ],
)
def test_a_fire_out_of_hand_and_a_burning_stack_are_fires(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "村口堆了好多柴火垛，紧挨着民房，担心冬天引发火灾，建议清理。",
        "村里天天有人烧秸秆，烟呛得睁不开眼，能不能管管。",
    ],
)
def test_a_stack_that_might_burn_and_burnt_straw_are_not(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"
