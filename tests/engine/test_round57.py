"""Round 57 (R2.3): white or black smoke out of a home, or smoke with the smell of something
burning, is a fire (steam from a heating well is not); "一着火就…" is a fire that might be, not
one that is; land turned over ("翻了地") is no vehicle turned over. Set ao had one of each.
Own wordings, none taken from a labelled set; the rules are judged without the reader."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "隔壁屋里往外冒白烟，还有一股焦糊味，敲门没人开，我怕里面有人，海淀区学院路",
        "楼下那户窗户一直冒黑烟，一股胶皮味，顺义区胜利街道",
    ],
)
def test_smoke_out_of_a_home_or_with_a_burning_smell_is_a_fire(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "小区门口暖气井盖一直往外冒白烟，路过的人都看不清路，朝阳区团结湖",
        "楼道里天天有人飞线给电动车充电，一着火整栋楼就完了，大兴区林校路街道",
        "京藏高速辅路边的绿化带被人翻了地种上菜了，昌平区回龙观街道",
    ],
)
def test_steam_a_fire_that_might_be_and_ploughed_land_are_not_emergencies(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_a_truck_overturned_on_the_motorway_is_still_122(decide_by_rules):
    decision = decide_by_rules("高速上一辆货车翻了，车上的人爬不出来，延庆区八达岭镇")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "122"), decision.reasons
