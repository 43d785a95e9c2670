"""Round 119 (R2.3, R11.3): what sets gx-ha showed. Own wordings, none taken from a labelled set."""

import pytest


def test_bloodletting_by_an_unlicensed_parlour_is_a_report_not_a_stabbing(decide_by_rules):
    decision = decide_by_rules(
        "小区底商开了个按摩店，说是中医理疗，给人扎针放血，也没看见有行医资质，怀疑是非法行医。朝阳区劲松街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_an_officials_home_address_is_anothers_private_information(decide_by_rules):
    decision = decide_by_rules("我要求你们提供我们街道办事处主任的家庭住址，我要上他家找他去。")
    assert decision.disposition == "secret_privacy", decision.reasons


@pytest.mark.parametrize(
    ("text", "disposition"),
    [
        ("工地上有个工人让钢筋扎了，血一直往外冒，止不住，在海淀区清河这边，快来人！", "emergency"),
        ("物业经理的电话能给我一个吗？我找他说说停车费的事。", "dispatch"),
    ],
)
def test_a_wound_still_transfers_and_a_managers_work_phone_is_no_secret(decide_by_rules, text, disposition):
    decision = decide_by_rules(text)
    assert decision.disposition == disposition, decision.reasons
