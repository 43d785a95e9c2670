"""Round 26 of the emergency rules (R2.3, R11.3): a negation word inside another word denies
nothing, a strong smell needs no "now", the line that takes the call is the cause's, and a
patient already in hospital is not an emergency. Own wordings, none taken from a labelled set;
the engine is built without the reader so that the rules alone are judged."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # "别" closes "特别", "防" closes "消防": neither denies the smell or the fire after it.
        "屋里一股特别冲的燃气味，我们全家都跑到楼下了，西城区德胜街道",
        "消防通道旁边的配电箱着火了，火苗蹿得老高，朝阳区酒仙桥街道",
    ],
)
def test_a_negation_inside_a_word_denies_nothing(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons


def test_a_negation_that_is_a_word_still_denies(decide_by_rules):
    decision = decide_by_rules("家里没有燃气味，就是想问问燃气表到期了找谁换")
    assert decision.disposition != "emergency", decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "楼道里燃气味特别浓，呛得人直咳嗽，丰台区方庄地区",
        "厨房里煤气味很冲，阀门拧上了也没用，我不敢开灯，海淀区北下关街道",
    ],
)
def test_a_strong_smell_is_an_emergency_without_saying_now(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.emergency_line == "119", decision.reasons


def test_a_faint_smell_asked_about_is_not(decide_by_rules):
    decision = decide_by_rules("小区这几天偶尔能闻到一点燃气味，想问问燃气公司会不会来巡检")
    assert decision.disposition != "emergency", decision.reasons


@pytest.mark.parametrize(
    ("text", "line", "also"),
    [
        # Violence with injuries: the police take the call and send the ambulance.
        ("公交站旁边一个男的抡着砖头往人脑袋上砸，地上好多血，还在打，大兴区旧宫地区", "110", "120"),
        # A collision with injuries, or drivers fighting over it: traffic police first.
        ("三环辅路两辆车追尾了，前车司机头上有血，车道全堵住了，朝阳区劲松街道", "122", None),
        ("我骑车刚被一辆电动三轮撞倒了，腿压在车底下起不来，昌平区城北街道", "122", None),
        # Something burning after the collision: the fire brigade first.
        ("路口两辆车撞上了，其中一辆车头着火了，冒着黑烟，通州区永顺地区", "119", None),
    ],
)
def test_the_line_that_takes_the_call_is_the_causes(decide_by_rules, text, line, also):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons
    if also:
        assert any(f"告知{also}" in r for r in decision.reasons), decision.reasons


def test_a_patient_already_in_hospital_is_not_an_emergency(decide_by_rules):
    decision = decide_by_rules(
        "我父亲上个礼拜突发心梗住院了，医药费花了好几万，家里是低保户，想问能申请什么救助，密云区果园街道"
    )
    assert decision.disposition != "emergency", decision.reasons


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # A plea to stop is violence in progress, though it opens with "别".
        ("楼上一直有个女的在喊“别打了，别打了”，还有东西摔碎的声音，丰台区卢沟桥街道", "110"),
        # Smoke turning black and crackling is a fire, though nobody says "着火".
        ("厂房后面冒黑烟，还噼里啪啦响，现在味道越来越大，顺义区后沙峪地区", "119"),
        # A pile-up is a collision in progress, though nobody says "刚刚".
        ("机场高速进京方向连环追尾，五六辆车挤在一起，朝阳区首都机场街道", "122"),
    ],
)
def test_round_26_emergencies_in_their_own_words(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Calling her is not hitting her.
        "我妈一个人在家，这两天打她电话一直没人接，麻烦社区帮忙去看看，西城区展览路街道",
        # Asking for a safety inspection of an appliance that pops when lit.
        "燃气灶点火的时候火苗往外窜，想请燃气公司上门做个安全检查，东城区体育馆路街道",
        # Publishing under the information-disclosure rules is a legal channel, not a secret.
        "我想依申请公开我们村的征收补偿方案，没公开的部分该找哪个部门",
    ],
)
def test_round_26_near_misses_stay_ordinary(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons
    assert decision.disposition != "secret_privacy", decision.reasons
