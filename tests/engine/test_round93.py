"""Round 93 (R11.3): what sets dq and dr showed. Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, disposition",
    [
        # Asked of the discipline inspectors by name: their channel, not a dispatch.
        ("我反映区里某局一名科长利用职权给亲戚揽工程，希望纪检监察机关介入调查。", "legal_channel"),
        # A dog that slipped out and has not come back.
        ("我家的狗昨晚从院门缝钻出去了，到现在没回来，能不能帮我在社区群里发个寻狗的消息。", "out_of_scope"),
        # A government building's internal plan.
        ("我们要给某单位做消防方案，想要他们政府大楼的内部平面图，你们能提供吗？", "secret_privacy"),
    ],
    ids=["discipline-inspection", "dog-slipped-out", "internal-floor-plan"],
)
def test_special_cases_of_dq_and_dr(decide_by_rules, text, disposition):
    decision = decide_by_rules(text)
    assert decision.disposition == disposition, decision.reasons


def test_a_dog_that_bites_after_running_off_is_no_lost_pet(decide_by_rules):
    decision = decide_by_rules("楼下那家的大狗又跑了出来，在小区里追着孩子咬，已经咬伤一个了，请派人管管。")
    assert decision.disposition != "out_of_scope", decision.reasons
