"""Round 128 (R2.3, R11.3): what sets ih-ik showed. Own wordings, none taken from a labelled set;
sets il-io judge it (bench/README.md)."""


def test_an_illness_told_with_how_it_ended_is_a_complaint_not_an_emergency(decide):
    decision = decide(
        "我想说一下上周的事：我奶奶在家突然晕倒，家里人赶紧打了急救电话，"
        "救护车快一个小时才到，幸亏后来人没事。急救站能不能设得离我们村近一点？"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_an_illness_now_is_still_an_emergency_whatever_comes_later_in_the_call(decide):
    decision = decide("我爸刚才在家突然晕倒了，怎么叫都叫不醒，你们快派车，后来的事我再跟你们说。")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


def test_an_outcome_in_the_next_sentence_is_another_story(decide):
    decision = decide("我爷爷刚在屋里晕倒了！前年我奶奶也晕过一次，后来人没事。")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


def test_a_vow_to_set_a_fire_to_teach_someone_a_lesson_is_a_threat(decide):
    decision = decide(
        "来电人称楼下烧烤店天天烟熏火燎，投诉没用，他说要去店里“放把火”，让店老板知道厉害，问烧到哪一步不算犯法。"
    )
    assert decision.disposition == "unlawful", decision.reasons
