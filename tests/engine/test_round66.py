"""Round 66 (R2.3): what sets bg and bh showed, read on all 60 development sets (ten requests
changed, all for the better; four of them in older sets). Own wordings, none taken from a
labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "刚才一辆货车在路口把骑车的大爷刮倒了，人躺着起不来，货车司机下来了。",
        "我在四环上被后车顶了一下撞护栏上了，气囊都弹出来了，车停在快车道。",
    ],
)
def test_a_collision_goes_to_122_though_someone_bleeds(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "122"), decision.reasons


def test_a_door_forced_to_reach_people_poisoned_is_no_collision(decide):
    text = "屋里生着炉子，早上敲门没人应，我撞开门进去，爸妈都叫不醒，快派救护车。"
    decision = decide(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


def test_a_threat_on_a_condition_is_not_an_attack_under_way(decide_by_rules):
    text = "隔壁那家再敢往我门口堆垃圾，我就拿刀砍了他，我说到做到。"
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "上个月我们楼着过火，起火那户到现在没人，楼道墙全黑了，灯也不亮，谁来修？",
        "诊所把沾血的纱布和针头扔进小区垃圾桶，保洁被扎过一回，这不该专门处理吗？",
    ],
)
def test_what_a_past_fire_or_waste_left_behind_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"
