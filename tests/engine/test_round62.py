"""Round 62 (R11.3 case 1): "申请公开" names a government information disclosure application as
plainly as "申请信息公开"; 55 requests of the development sets use it, all labelled a legal
channel, and three of them were dispatched. Own wording."""


def test_an_application_to_disclose_is_a_legal_channel(decide_by_rules):
    text = "申请公开：我们村去年修路占地的补偿标准和区里的批复文件，请给我正式答复。"
    decision = decide_by_rules(text)
    assert decision.disposition == "legal_channel", decision.reasons


def test_a_near_miss_in_one_clause_does_not_hold_back_the_rest(engine):
    """Round 63 (R2.3), from set ba: "手机差点被他抢走" in a call from someone locked in and
    held for money kept the reader's 110 (0.96) from transferring; a near miss speaks for its
    own clause only. Own wording."""
    triage = engine.triage
    held = triage.scan("他们把我关在屋里，钱包差点被抢了，说不给钱就别想走，我躲在厕所里偷偷打的。")
    assert triage.tempered(held) is None
    # A near miss that is the whole story still stops the reader's word alone.
    assert triage.tempered(triage.scan("昨天过马路差点被车撞了，司机连停都没停。")) is not None


def test_which_bin_a_thing_goes_in_is_answered_from_the_knowledge_base(decide):
    """Round 64 (R11.1), from set bc: the garbage-sorting article answers "扔哪个桶" and "属于什么
    垃圾" (six development requests, all labelled answer directly). Own wording."""
    decision = decide("请问喝完的奶茶杯属于什么垃圾？吸管扔哪个桶？")
    assert decision.disposition == "answer_directly", decision.reasons
