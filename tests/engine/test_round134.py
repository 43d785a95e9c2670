"""Round 134 (R2.3): a casualty of a collision on the road goes to 122, which sends the ambulance
along, where round 133 sent the call to 120 because only the injury was read (twenty
development requests a-jm). Own wordings, none taken from a labelled set; rules alone
(`decide_by_rules`)."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "开车的把我妈给刮倒了，司机下车看了看，说不关他的事，我妈现在躺在地上，头上流了好多血，叫她也不太答应，这是双桥东路。",
        "我爸过马路让一辆面包车给带倒了，司机一溜烟开跑了，我爸现在躺在地上，额头上流了好多血。",
        # A taxi is a vehicle though its "车" is not said.
        "一辆出租跟一个送外卖的撞了，外卖小哥趴在那儿，头盔都飞了，怎么叫都没反应。",
    ],
)
def test_a_casualty_of_a_collision_goes_to_the_traffic_line(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == "122", decision.reasons
    # The ambulance is named for the traffic line to send along.
    assert any("120" in r for r in decision.reasons), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # The pressing weight is a pain, "派车" an ambulance: no collision.
        "我爸胸口疼得厉害，说像被石头压了一样，满头冷汗，人都坐不住了，快派车来！",
        # A workshop is no vehicle.
        "救命，工友的手在车间被冲床压了，血一直往外冒，止不住，快来人！",
        # Knocked into at play: the "车" of "救护车" is no vehicle on the road.
        "孩子在学校操场跑步被同学撞了，倒在地上一直抽搐，人叫不醒了，快派救护车！",
        # The caller says it was no collision.
        "路边有个骑车的小伙子倒地上了，一动不动，车倒在一边，看着不像被撞的，像是犯病了。",
    ],
)
def test_a_casualty_without_a_collision_on_the_road_stays_with_120(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


def test_a_collision_told_of_the_past_does_not_move_the_call(decide_by_rules):
    # Last year's crash explains the illness, today's call is for the illness.
    decision = decide_by_rules("我爸去年骑车被车撞过，落下了病根，现在突然倒在地上叫不醒，快派救护车来！")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons
