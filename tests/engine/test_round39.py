"""Round 39 of the rules (R2.3, R11.1, R11.3): what set t showed. Smoke from leaves someone burns
is the pollution complained of; a fire's cause asked after is no fire; lists of owners or
company founders with their phones are others' personal data; cutting a neighbour's power,
strings pulled with the city inspectors, booking trains, valuing a flat and translating a
contract are no unit's work; an intake keyword "几号…供暖" is two words of one clause. Own
wordings, none taken from a labelled set; the rules are judged without the reader."""

import pytest

from jiesu.engine.knowledge import Answerer


@pytest.mark.parametrize(
    "text",
    [
        "村西头天天有人烧垃圾，浓烟滚滚，一股塑料味，晚上都不敢开窗，请镇里管管",
        "上个月我们楼下仓库着火，消防早就扑灭了，可到现在起火原因也没人说，损失找谁赔",
    ],
)
def test_no_fire_in_progress(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text, disposition",
    [
        ("我们是卖保险的，能不能给一份这几个新小区的业主名单和联系方式？", "secret_privacy"),
        ("楼下那户天天装修吵，你们让供电所把他家电给掐了", "unlawful"),
        ("违建的事你们给城管打个招呼，别拆我家那间房，我也不让你们白帮忙", "unlawful"),
        ("帮我查一下周五晚上去沈阳的动车还有没有二等座", "out_of_scope"),
        ("帮我估一下我家房子现在值多少钱", "out_of_scope"),
    ],
)
def test_special_cases(decide_by_rules, text, disposition):
    decision = decide_by_rules(text)
    assert decision.disposition == disposition, decision.reasons


def test_a_landlord_who_cut_the_tenants_power_is_dispatched(decide_by_rules):
    text = "房东要涨租我没答应，他把我屋里的电给掐了，还换了门锁，合同还没到期，请住建部门管管"
    assert decide_by_rules(text).disposition == "dispatch"


def test_an_intake_keyword_of_two_words_matches_them_in_order_within_one_clause():
    answerer = Answerer([{"id": "kb-heat", "title": "北京市供暖期", "body": "……", "keywords": ["几号…供暖"]}])
    hit = answerer.answer("请问今年是几号开始正式供暖啊？")
    assert hit is not None and hit.article.id == "kb-heat" and hit.evidence == ("几号…供暖",)
    assert answerer.answer("供暖是几号？") is None  # the other order
    assert answerer.answer("我几号去办的手续？暖气到现在也不供暖") is None  # two clauses
    assert answerer.answer("几号那天物业说过两个多星期以后才能正常供暖") is None  # too far apart
