"""Round 135 (R2.3): false emergencies of sets jn-jy, which judged rounds 133 and 134 once and are
development sets now. Own wordings, none taken from a labelled set; rules alone
(`decide_by_rules`)."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # A rider's work-injury claim: the crash is over, the bills are the request.
        "我是外卖员，送餐路上被车撞了，站点不给认工伤，医药费都是我自己垫的，这事谁管？",
        # A crash damaged the railing long ago ("没人修"): the pair's words are no crash now.
        "机场高速边上的护栏被撞歪了一长段，好长时间了没人修，晚上开车看不清。",
        # Branches burnt in a heap: the smoke complained of, not a fire.
        "我们村西边有人把修剪下来的树枝堆起来烧，黑烟滚滚，呛得人喘不上气。",
        # "真出了…谁负责" asks who answers for what has not happened.
        "小区游泳池夏天连个救生员都没有，深水区好多孩子在扑腾，真出了溺水谁负责？",
    ],
)
def test_danger_that_is_over_or_only_feared_is_no_emergency(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons


def test_a_word_of_compensation_does_not_hide_a_crash_happening_now(decide_by_rules):
    # "现在" says now: the aftermath's words set nothing aside.
    decision = decide_by_rules("刚才在学院路被车撞了，腿流了好多血，司机说他全赔偿，可我现在站不起来，快来人！")
    assert decision.disposition == "emergency" and decision.emergency_line == "122", decision.reasons


def test_a_fire_with_a_hospital_bill_in_the_call_is_still_a_fire(decide_by_rules):
    text = "邻居家厨房着火了，火苗子窜出窗户了，现在楼道里全是烟，我妈刚住完院报销还没办完呢，快来！"
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons


def test_rear_ended_in_slang_is_a_collision(decide_by_rules):
    # "怼上": Beijing slang for one car driving into another.
    text = "刚在东三环辅路被后面一辆面包车怼上了，我还好，前座我老公头磕破了一直流血，人有点发懵。"
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == "122", decision.reasons
