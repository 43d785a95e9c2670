"""Round 118 (R2.3, R11.3): what sets gt-gw showed. Own wordings, none taken from a labelled set."""

import pytest


def test_a_passenger_locked_in_a_car_that_will_not_stop_is_for_the_police(decide_by_rules):
    decision = decide_by_rules(
        "我坐的网约车司机一直往郊区没人的地方开，我喊他停车他就是不停，车门也锁了，我不敢大声说话，好像在京藏高速上。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_a_vessel_spraying_something_that_stings_in_a_works_is_for_the_fire_brigade(decide_by_rules):
    decision = decide_by_rules(
        "厂里车间有个储罐一直往外喷白气，味道刺鼻，好几个人眼睛疼，我们都跑到外面来了，在通州区永乐店镇的工业园。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons


def test_showing_everyone_what_a_fire_is_is_a_threat_not_a_fire(decide_by_rules):
    decision = decide_by_rules("再没人管，我就把楼下那个违建的彩钢房点了，让你们看看什么叫着火。")
    assert decision.disposition != "emergency", decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "我家腌咸菜的罐子放阳台上，味道有点冲，邻居说熏得慌，这个归谁管？",
        "出租车司机不打表，我让他停车他不停，非要绕路，下车多收了我五十块，车牌记下来了，要投诉。",
    ],
)
def test_a_pickle_jar_or_a_fare_dispute_is_no_emergency(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons
