"""Round 94 (R2.3): what set ds showed. Own wordings, none taken from a labelled set."""


def test_someone_held_and_made_to_pay_for_training_goes_to_110(decide_by_rules):
    """Training paid for under duress is no preparedness: the person is held now."""
    decision = decide_by_rules(
        "我们几个被中介骗到一个院子里，进门就把手机收了，逼我们交钱参加培训，不让出去，我是借别人手机偷偷打的。"
    )
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


def test_first_aid_training_is_still_preparedness(decide_by_rules):
    decision = decide_by_rules("建议社区组织一次急救培训，教大家遇到有人晕倒、心脏骤停该怎么做。")
    assert decision.disposition != "emergency", decision.reasons


def test_smoke_of_what_is_burnt_now_and_then_is_the_pollution(decide_by_rules):
    """Each consequence is tried in turn, but the burning a caller reports as a habit stays
    the pollution complained of."""
    decision = decide_by_rules("村东头那个回收站有时候夜里烧电线皮，冒黑烟一股焦糊味，熏得人睡不着，有人管吗？")
    assert decision.disposition != "emergency", decision.reasons
