"""Round 108 (R11.1): what sets ex-fe showed. Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "我家是外地户口，孩子明年上小学，想在丰台区读书，要准备哪些材料？",
        "外地人在大兴区给孩子办入园，去哪儿审核？",
        "孩子转学到海淀区，需要去教委报名吗，去哪报名？",
        "办居住证要带什么？我在通州区租房。",
    ],
)
def test_what_to_prepare_or_where_to_have_it_checked_waits_for_the_call_taker(decide, text):
    """A question of which papers a procedure needs or where it is checked is often answered
    at once from the knowledge base: it is not sent out by itself."""
    decision = decide(text)
    assert decision.disposition != "dispatch" or decision.needs_review, decision.reasons


def test_a_complaint_that_mentions_registration_still_goes_out_by_the_rules(decide):
    decision = decide("朝阳区望京街道，楼下饭馆每天半夜还在炒菜，油烟全飘进我家，登记过好几次投诉了。")
    assert decision.disposition == "dispatch"
    assert not any("问办事流程" in r for r in decision.reasons)
