"""Round 62 (R11.3 case 1): "申请公开" names a government information disclosure application as
plainly as "申请信息公开"; 55 requests of the development sets use it, all labelled a legal
channel, and three of them were dispatched. Own wording."""


def test_an_application_to_disclose_is_a_legal_channel(decide_by_rules):
    text = "申请公开：我们村去年修路占地的补偿标准和区里的批复文件，请给我正式答复。"
    decision = decide_by_rules(text)
    assert decision.disposition == "legal_channel", decision.reasons
