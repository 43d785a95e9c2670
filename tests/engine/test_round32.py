"""Round 32 of the rules (R2.3, R11.3): what set m showed. A fire named as what may come of a
risk is no fire; flyers for locksmiths are a street-advertising complaint, not a private service;
bombs threatened, outsiders to be thrown out, a threat to meet the call-taker after work and the
rivals' bids asked for are not requests to dispatch. Own wordings, none taken from a labelled
set; the rules are judged without the reader."""

import pytest


def test_a_fire_that_may_come_is_a_risk_not_a_fire(decide_by_rules):
    text = "地下室堆满了住户的旧家具和纸箱，消防通道也堵了，真出了火灾后悔都来不及，朝阳区双井街道"
    assert decide_by_rules(text).disposition != "emergency"


def test_locksmith_flyers_are_a_street_advertising_complaint(decide_by_rules):
    text = "单元门上又被贴满了开锁和疏通下水道的小广告，撕都撕不干净，东城区东华门街道"
    assert decide_by_rules(text).disposition == "dispatch"


@pytest.mark.parametrize(
    ("text", "disposition"),
    [
        ("再拖着不给退押金，我就弄点炸药去他们门店，看谁狠", "unlawful"),
        ("楼里那些外地租房的都给我赶走，你们让片警挨家挨户清", "unlawful"),
        ("你叫什么我都记下了，下了班别让我在门口碰见你", "unlawful"),
        ("这次区里的道路保洁招标，能不能透露一下竞争对手的投标报价，我们好调整", "secret_privacy"),
    ],
)
def test_round_32_special_cases_in_their_own_words(decide_by_rules, text, disposition):
    decision = decide_by_rules(text)
    assert decision.disposition == disposition, decision.reasons


def test_a_published_award_may_be_asked_about(decide_by_rules):
    text = "区里道路保洁的中标公告出来了，想问问其他几家的报价在哪能查到"
    assert decide_by_rules(text).disposition != "secret_privacy"
