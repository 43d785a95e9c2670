"""Round 36 of the rules (R11.3 case 5): looking up or buying tickets for someone is a market
service, not a unit's duty; a complaint about tickets, a ticket tout or an invoice is not. Own
wordings, none taken from a labelled set; the rules are judged without the reader."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "麻烦帮我查查下周一去西安的高铁票还有没有二等座",
        "周末欢乐谷的门票在哪儿能买到便宜的？",
    ],
)
def test_looking_up_or_buying_tickets_is_out_of_scope(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "out_of_scope" and decision.needs_review, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "北京西站门口有黄牛倒票，一张车票加价两百，请铁路公安管一管",
        "景区门票说好了可以退票，现在不给退，还多收了服务费，延庆区八达岭镇",
    ],
)
def test_ticket_complaints_are_not_set_aside(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "out_of_scope"
