"""Round 65 (R2.3): what sets be and bf showed, read on all 58 development sets (seven requests
changed, all for the better; two of them in sets a year of rounds older). Own wordings, none
taken from a labelled set."""

import pytest


def test_hikers_lost_in_the_dark_are_a_rescue(decide_by_rules):
    text = "我们三个人在野长城上迷路了，天已经黑了，有个人腿摔伤了走不了，手机快没电了。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


def test_a_car_driving_the_wrong_way_on_an_expressway_is_122(decide_by_rules):
    text = "机场高速上有辆车在逆行，迎面冲过来了，我差点跟它撞上，往市区方向！"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "122"), decision.reasons


def test_e_bikes_that_ride_the_wrong_way_are_a_complaint(decide_by_rules):
    text = "建议管管外卖电动车逆行，主路辅路都有，天天这样。"
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "村西头老有人点火烧垃圾，塑料泡沫都烧，黑烟飘得满村都是，也不是什么着火，就是故意烧的。",
        "有个小厂每天夜里偷偷烧废塑料，黑烟呛人，我们窗户都不敢开。",
    ],
)
def test_smoke_of_what_someone_burns_on_purpose_is_pollution(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_first_aid_training_these_days_is_no_emergency(decide_by_rules):
    text = "社区想请急救中心来培训心肺复苏，现在很多老人突发心梗身边都没人会急救。"
    assert decide_by_rules(text).disposition != "emergency"
