"""Round 92 (R2.3, R11.3): what sets do and dp showed. Own wordings, none taken from a labelled
set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # "Whenever it is cold" tells of a condition, not of an attack now.
        "屋里才十五度，供暖一直不达标，我老母亲有老慢支，一降温就喘不上气，请热力公司来测一下室温。",
        # Last Saturday's fire, put out, and the landing it blackened.
        "上周六晚上我们楼里有户人家着火了，早就扑灭了，可起火楼层的楼道灯到现在还是坏的，物业不管。",
    ],
    ids=["whenever-cold", "fire-last-saturday"],
)
def test_told_as_a_condition_or_the_past_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_a_rider_thrown_into_a_ditch_is_a_collision_for_122(decide_by_rules):
    decision = decide_by_rules("山路拐弯那儿一辆摩托车翻到沟里了，骑手甩出去好几米，趴着一动不动，怀柔琉璃庙这边。")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "122"), decision.reasons


def test_a_car_owners_phone_is_someone_elses_data(decide_by_rules):
    decision = decide_by_rules("麻烦帮忙查下这辆黑色轿车车主的电话，车牌我记下来了，挡着我家门口一天了。")
    assert decision.disposition == "secret_privacy", decision.reasons
