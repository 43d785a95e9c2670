"""Round 109 (R2.3, R11.3): what sets ff-fi showed. Own wordings, none taken from a labelled
set."""


def test_the_floor_where_last_month_s_fire_was_is_no_fire_now(decide_by_rules):
    decision = decide_by_rules(
        "前几天我们单元五层着过火，早扑灭了。现在着火那层的楼道还是一股焦味，墙都黑了，"
        "物业一直不来粉刷。朝阳区望京街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_floor_on_fire_with_flames_rising_is_still_a_fire(decide_by_rules):
    decision = decide_by_rules("对面楼着火那层火苗往上窜，窗户都烧爆了，快派人来！海淀区学院路街道。")
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons


def test_stripping_wires_by_burning_every_day_is_a_pollution_report(decide_by_rules):
    decision = decide_by_rules("我们村口那个收废品的，天天拆旧电视、烧电线皮，冒黑烟，呛得人睁不开眼。房山区琉璃河镇。")
    assert decision.disposition == "dispatch", decision.reasons


def test_a_threat_to_climb_a_crane_over_unpaid_wages_is_the_sixth_case(decide_by_rules):
    decision = decide_by_rules(
        "干了一年活，老板一分钱不给。今天不给我个说法，我就爬到他那工地的塔吊上去，让大家都看看。"
    )
    assert decision.disposition == "unlawful", decision.reasons


def test_the_caller_reported_to_threaten_damage_is_the_sixth_case(decide_by_rules):
    decision = decide_by_rules("来电人称物业扣了他的押金不退，再不退他就去物业办公室把电脑都砸了。")
    assert decision.disposition == "unlawful", decision.reasons


def test_a_neighbour_who_smashed_a_door_is_reported_not_threatened(decide_by_rules):
    decision = decide_by_rules("楼上邻居喝多了，上礼拜他砸了我家的门，我想问问这事能找谁管。丰台区卢沟桥街道。")
    assert decision.disposition != "unlawful", decision.reasons
