"""Round 104 (R2.3, R11.1, R11.3): what sets ef and eg showed. Own wordings, none taken from a
labelled set."""


def test_a_consultation_that_tells_ones_own_circumstances_at_length_is_dispatched(decide):
    """The knowledge base answers short general questions; a caller who sets out the own case
    gets the unit's answer, after a person's look."""
    decision = decide(
        "来电人咨询：其2020年来京工作，在朝阳区租房住，中间换过两次房子，社保由公司缴纳，孩子明年上小学，"
        "想了解办理居住证需要哪些材料，租房合同没有备案能不能办。"
    )
    assert decision.disposition == "dispatch", decision.reasons
    assert decision.needs_review, decision.reasons


def test_a_short_general_question_is_still_answered_at_once(decide):
    decision = decide("北京居住证办理需要带哪些材料？")
    assert decision.disposition == "answer_directly", decision.reasons


def test_a_prank_fire_is_no_emergency(decide_by_rules):
    decision = decide_by_rules("喂，我们楼着火了！哈哈骗你们的，就是想看看你们接不接电话，挂了。")
    assert decision.disposition != "emergency", decision.reasons


def test_a_fire_lane_blocked_in_case_of_a_fire_is_no_fire(decide_by_rules):
    decision = decide_by_rules(
        "我们胡同口让人堆满了杂物，这要赶上着火，消防车根本进不来，请街道管一管。东城区东四街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons
