"""Rounds 77-80 (R2.3): what sets cg to cm showed, once judged. Own wordings, none taken
from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # Anger held in is no fire.
        "胡同口那家把公共过道全占了搭棚子，大伙儿心里都憋着火呢，请街道来拆了吧。",
        # A leak repaired: the smell is gone now, the clause after says.
        "昨天单元里有燃气味，燃气公司来人把漏气的接头修好了，现在没味了，建议把老管道整体换掉。",
        # What happens at times is no event of now.
        "地铁口的黑摩的天天拉客，有时候还逆行上主路，看着都悬，请交通执法来管管。",
    ],
    ids=["anger", "leak-repaired", "at-times"],
)
def test_what_is_over_or_no_danger_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text, line",
    [
        # A leak that goes on, and a fire that burns, are still sent.
        ("楼道里燃气味越来越大，燃气公司的人还没到，现在还在漏气，我们都不敢开灯。", "119"),
        ("隔壁院的棚子着火了，火苗窜得老高，快来人！", "119"),
        # "一动不动" holds "动不动" (at every turn), which must not read as a habit (round 77's draft).
        ("路口一辆面包车把骑电动车的撞了，人趴在路中间一动不动，快来！", "122"),
    ],
    ids=["leak-going-on", "shed-on-fire", "lies-still"],
)
def test_what_is_happening_now_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # 78: what "would be beyond imagining" is a risk.
        "楼里好几户从窗户往下扯电线给电瓶车充电，着起火来后果不堪设想，请街道管管。",
        # 78: what a stroke left behind, asked about a disability card.
        "我妈脑梗以后半边身子一直不利索，想问问护理补贴和残疾证怎么申请？",
        # 78: gas not yet connected and heating pipes tested with water are no gas leak.
        "新小区交房三个月了，天然气还没通，暖气试水的时候管子漏了好几处，开发商一直拖着不修。",
    ],
    ids=["beyond-imagining", "after-a-stroke", "gas-not-connected"],
)
def test_round_78_risks_and_aftermath_are_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_round_78_a_stroke_now_still_goes_to_120(decide_by_rules):
    decision = decide_by_rules("我爸刚才突然说话不清楚，半边身子动不了，像是脑梗，快派救护车！")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


@pytest.mark.parametrize(
    "text, disposition",
    [
        # 79: "上个星期" is last week, and the fire of then is over.
        ("上个星期隔壁电动车电瓶在屋里着了，墙都熏黑了，物业还是让电动车进电梯，谁来管管？", "dispatch"),
        # 79: someone reporting an offer of an unlawful service is not asking for it.
        ("小区群里天天发广告，说花钱就能租京牌，肯定是骗子，请有关部门查查。", "dispatch"),
        # ...while asking for it still is unlawful.
        ("我想租京牌，你们知道哪儿能办吗？", "unlawful"),
    ],
    ids=["last-week", "reporting-an-offer", "asking-for-it"],
)
def test_round_79(decide_by_rules, text, disposition):
    assert decide_by_rules(text).disposition == disposition


@pytest.mark.parametrize(
    "text, emergency",
    [
        # 80: a cooker left on next door, its gas coming under the door, nobody home.
        ("隔壁的煤气灶好像一直开着，味儿顺着门缝往外窜，敲门没人应，楼道里都是这股味。", True),
        # ...but a cooker that will not light, and cooking fumes every day, are no leak.
        ("家里燃气灶打不着火，点了好几次都不行，燃气公司说要排队上门修，太慢了。", False),
        ("邻居家燃气灶天天炒菜，油烟从门缝往外窜，呛得我们没法开门。", False),
    ],
    ids=["cooker-left-on", "cooker-will-not-light", "cooking-fumes"],
)
def test_round_80_a_cooker_left_on(decide_by_rules, text, emergency):
    decision = decide_by_rules(text)
    assert (decision.disposition == "emergency") is emergency, decision.reasons
    if emergency:
        assert decision.emergency_line == "119"
