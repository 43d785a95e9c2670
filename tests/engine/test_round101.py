"""Round 101 (R11.3 case 5): what sets dx and ea showed. Own wordings, none taken from a labelled
set."""


def test_a_divorced_mothers_minimum_income_application_is_dispatched(decide_by_rules):
    """A divorce told as background is no private dispute when the request is a benefit."""
    decision = decide_by_rules("我离婚以后一个人带孩子，没有工作，想申请低保，社区说要等，我们是海淀区学院路街道的。")
    assert decision.disposition == "dispatch", decision.reasons


def test_a_village_dividend_denied_after_divorce_is_dispatched(decide_by_rules):
    decision = decide_by_rules(
        "我离婚后户口迁回村里了，今年村里集体分红没有我的份，村委会说出嫁的不算，这合理吗？顺义区赵全营镇。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_quarrel_over_a_divorce_settlement_is_still_private(decide_by_rules):
    decision = decide_by_rules("我跟前夫离婚的时候说好车归我，现在他不给了，你们能帮我要回来吗？")
    assert decision.disposition == "out_of_scope", decision.reasons
