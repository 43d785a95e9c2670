"""Dispositions by conventions several development sets agree on (round 25). Own wordings."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # One's own application in a unit's hands: that unit answers, not the knowledge base.
        "请问居住证续签怎么办理？我上个月在网上提交了续签，一直显示审核中，到底卡在哪一步了",
        "问一下，公积金提取需要什么材料？我交了材料一个多月了还没到账，能不能让公积金中心给我回个电话",
    ],
)
def test_r11_1_a_question_about_ones_own_case_is_not_answered_from_the_knowledge_base(decide, text):
    d = decide(text, kind="consultation")
    assert d.disposition == "dispatch" and d.needs_review
    assert any("本人在办的个案" in r for r in d.reasons)


def test_r11_1_a_general_question_is_still_answered(decide):
    d = decide("请问一下，外地人在北京办居住证需要带什么材料？", kind="consultation")
    assert d.disposition == "answer_directly"


@pytest.mark.parametrize(
    "text",
    [
        "你们能不能帮我订两张下周去西安的卧铺，我自己在网上老是买不到",
        "五一想带孩子去古北水镇玩，12345能帮忙订个民宿吗",
        "明早去上海的票太难买了，你们能帮我抢一张吗",
    ],
)
def test_r11_3_5_booking_for_the_caller_is_a_market_service(decide, text):
    assert decide(text).disposition == "out_of_scope"
