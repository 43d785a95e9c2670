"""Round 115 (R2.3): what sets gl-go showed. Own wordings, none taken from a labelled set."""

import pytest


def test_a_carriage_so_hot_one_can_hardly_breathe_is_a_complaint_about_the_air(decide_by_rules):
    decision = decide_by_rules("早高峰10号线车厢里人挤人，热得快喘不上气了，空调就不能开大点吗？")
    assert decision.disposition != "emergency", decision.reasons


def test_too_cold_to_step_in_is_no_one_stranded(decide_by_rules):
    decision = decide_by_rules(
        "我们村到现在还是旱厕，冬天冻得下不去脚，夏天臭得要命。建议镇里给村里改改厕所。平谷区大华山镇。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_child_gone_with_the_other_parent_is_no_missing_child(decide_by_rules):
    decision = decide_by_rules("我前夫把孩子带走搬走了，我找不到人，想知道他现在住哪儿。")
    assert decision.disposition != "emergency", decision.reasons


def test_what_everyone_knows_of_battery_fires_is_no_fire(decide_by_rules):
    decision = decide_by_rules(
        "楼道里停满了电动车，还有人拉线充电，都知道电动车起火有多吓人，请物业管管。朝阳区八里庄街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("电梯卡在两层中间了，里面闷得快喘不上气，我们三个人被困了二十分钟了，快来救我们！海淀区田村路街道。", "119"),
        ("我家孩子放学到现在还没回家，电话一直关机，同学说下午就没见着他，我们都找遍了。", "110"),
        ("我爸在家突然捂着胸口坐地上，脸色煞白，说胸口疼得喘不上气，我们在朝阳区团结湖。", "120"),
    ],
)
def test_the_same_words_in_an_emergency_still_transfer(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons
