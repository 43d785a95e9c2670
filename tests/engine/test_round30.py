"""Round 30 of the engine (R2.3, R11.3): a collision is not set aside because a traffic light is
named, a body slumped and not moving is unresponsive, someone held or coerced at home is a crime
in progress; and where the reader is nearly sure a request is not one to dispatch, its most
likely special case goes to a person even when its mass is split or a keyword names a matter.
Own wordings, none taken from a labelled set; the rules are judged without the reader."""

import pytest

from jiesu.engine.reader import Gates, Reading


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # A light pole hit is still a collision, and the driver slumped over is why it is urgent.
        ("南三环木樨园桥下面一辆面包车撞上了信号灯杆，司机歪在座位上叫不应，丰台区南苑路", "122"),
        ("我家老爷子在卫生间趴着不动了，喊他也不答应，东城区和平里街道", "120"),
        # Held at home and made to pay: a crime in progress, though nobody hits anyone.
        ("两个讨债的赖在我姐家里不走，逼着她当场写欠条按手印，她躲在卧室给我发的微信，朝阳区八里庄街道", "110"),
    ],
)
def test_round_30_emergencies_in_their_own_words(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Asking for a light where collisions keep happening is a suggestion, not a collision now.
        "村口那个丁字路口这两年撞了好几回车，能不能给装个红绿灯，怀柔区杨宋镇",
        "路口的信号灯坏了三天了，车都抢着走，刚才差点撞上，赶紧派人来修，海淀区上地街道",
        # An employer pressing staff to sign is a labour matter; nobody is held.
        "公司现在逼着我们签自愿离职的协议，不签就不发这个月工资，昌平区回龙观街道",
        # A cat that will not move from a sunny spot worries no one.
        "小区的流浪猫天天趴在车顶上不动，车都被抓花了，希望物业管一管，通州区梨园镇",
    ],
)
def test_round_30_near_misses_stay_ordinary(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons


def _reading(**disposition) -> Reading:
    return Reading(disposition=disposition, kind=None, matters=(("police.order.dogs", 0.6),), gates=Gates())


def test_a_reader_sure_it_is_not_for_dispatch_names_its_likeliest_case_for_a_person(rules_engine):
    engine = rules_engine
    # Not to be dispatched with 0.92, split between two cases (neither reaches the 0.8 gate).
    split = _reading(dispatch=0.05, out_of_scope=0.52, unlawful=0.38, answer_directly=0.03, **{"emergency:110": 0.02})
    verdict = engine._read_special_case(split, keyword_matter=False)
    assert verdict.disposition == "out_of_scope" and not verdict.confident
    assert (
        verdict.reasons[0].startswith("模型判断诉求属于超出承办单位职责范围的事项")
        and "不宜派单的概率0.95" in verdict.reasons[0]
    )
    # A keyword naming a matter does not keep it dispatched either.
    assert engine._read_special_case(split, keyword_matter=True).disposition == "out_of_scope"


@pytest.mark.parametrize(
    "disposition",
    [
        # Not sure enough: the dispatch waits for review instead.
        {"dispatch": 0.2, "out_of_scope": 0.5, "unlawful": 0.3},
        # Answering at once is likelier than any special case.
        {"dispatch": 0.05, "answer_directly": 0.5, "out_of_scope": 0.3, "unlawful": 0.15},
        # A possible emergency stays at the top, never set aside as a special case.
        {"dispatch": 0.02, "emergency:110": 0.3, "out_of_scope": 0.38, "unlawful": 0.3},
    ],
)
def test_no_special_case_unless_sure_likelier_than_an_answer_and_no_emergency(rules_engine, disposition):
    assert rules_engine._read_special_case(_reading(**disposition), keyword_matter=True) is None
