"""Round 126 (R2.3): what sets hz-ic showed. Own wordings, none taken from a labelled set."""


def test_fear_with_nothing_feared_after_it_is_how_the_caller_feels_now(decide):
    decision = decide("我一个人在家，前夫喝了酒在外面一脚一脚踹我家门，嘴里喊着要进来收拾我，我好害怕。")
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_a_door_held_shut_against_someone_outside_is_now(decide):
    decision = decide(
        "宿舍楼里有个不认识的男的一直拍我们屋的门，喊着让开门，我们拿桌子顶着门呢，他还在门外转悠，怎么办啊。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_fear_of_something_is_still_a_risk_not_an_emergency(decide):
    decision = decide("楼道里的电线老化了，外皮都裂开了，我很怕哪天着火，请物业赶紧换一下。朝阳区劲松街道。")
    assert decision.disposition == "dispatch", decision.reasons
