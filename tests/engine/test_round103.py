"""Round 103 (R2.3): what set ed showed. Own wordings, none taken from a labelled set."""


def test_a_family_that_will_not_wake_after_a_night_of_a_heated_kang_goes_to_120(decide_by_rules):
    decision = decide_by_rules("对门王大爷家昨晚烧炕取暖，今天上午老两口都叫不醒，屋里全是煤烟味，延庆区张山营镇")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


def test_a_question_about_subsidies_for_heating_a_kang_is_no_emergency(decide_by_rules):
    decision = decide_by_rules("我们村还有好多户冬天烧炕烧煤取暖，想问问煤改电的补贴今年还有没有，怎么申请？")
    assert decision.disposition != "emergency", decision.reasons
