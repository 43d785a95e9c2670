"""Round 85 (R2.3, R11.2): what sets cy and cz showed, once judged. Own wordings, none taken from
a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "桥上有个小伙子翻到栏杆外面了，说要跳河，我们在旁边劝着，他不让人靠近，在朝阳区亮马河这儿。",
        "有个大姐坐在湖边护栏外头哭，一直说不想活了要跳湖，我拉不住她。",
    ],
    ids=["over-the-railing", "by-the-lake"],
)
def test_someone_about_to_jump_goes_to_110(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # A threat on a condition is the unlawful case's, not an act under way.
        "这事再拖下去，我就爬到区政府楼顶上跳下去，让大家都看看。",
        # A shop's price is no jump.
        "楼下商场搞跳楼价大甩卖，喇叭从早喊到晚，站在家里都能听见，吵死了。",
    ],
    ids=["threat-on-a-condition", "rock-bottom-price"],
)
def test_jumping_words_that_are_no_jump_now(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_a_person_pulled_out_of_the_water_is_for_the_ambulance(decide_by_rules):
    decision = decide_by_rules("河边有人跳河了，刚让人救上来，躺在地上没气了，有人在做心肺复苏，快来！")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # "着了" after a verb is an aspect ("pinned"), not a fire.
        "我骑车让一辆面包车给刮倒了，腿让车压着了，起不来，就在路口，电动车也摔坏了。",
        # An appliance that smoked and was unplugged is a consumer complaint.
        "新买的电暖器用了两天就冒烟了，一股焦糊味，我赶紧拔了插头，商家不给换，想投诉。",
    ],
    ids=["pinned-not-burning", "unplugged-appliance"],
)
def test_no_fire_where_none_burns(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.emergency_line != "119", decision.reasons


def test_a_named_operator_puts_its_matter_first_when_reader_and_rules_disagree(engine):
    text = "海淀区马连洼街道我们楼后头那排杨树，树枝都搭到高压线上了，一刮风就冒火花，请供电公司赶紧来修剪一下。"
    decision = engine.decide({"id": "t", "text": text, "channel": "phone", "received_at": "2025-12-01T10:00:00+08:00"})
    reasons = "\n".join(decision.reasons)
    assert "关键词规则倾向" in reasons  # the premise: the reader reads a tree, the rules a power line
    assert "点名公共服务企业" in reasons
    lead = next(u for u in decision.to_json()["units"] if u["role"] == "lead")
    assert lead["type"] == "enterprise" and decision.needs_review


def test_an_impostor_naming_the_operator_does_not_name_it(engine):
    assert [h.key for h in engine._operators_named("请供电公司来看看")] == ["供电公司"]
    assert engine._operators_named("有两个人说是燃气公司的来安检，非让买报警器") == []
