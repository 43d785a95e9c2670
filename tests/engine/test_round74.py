"""Rounds 74-76 (R2.3): what sets cc to cf showed once judged. Own wordings, none taken from a
labelled set."""

import pytest

from jiesu.engine.text import clause_spans


def test_a_bracketed_aside_stays_inside_its_clause():
    text = "上周我们小区（朝阳区望京街道）车库里一辆车起火，现在还没人管。"
    assert [text[a:b] for a, b in clause_spans(text, asides=True)] == [
        "上周我们小区（朝阳区望京街道）车库里一辆车起火",
        "现在还没人管",
    ]
    # Without asides (the knowledge base, the insight signals) the brackets still break.
    assert len(clause_spans(text)) == 4
    # An aside with a break of its own is no aside.
    assert len(clause_spans("小区（东门，靠近菜站）着火了", asides=True)) == 4


@pytest.mark.parametrize(
    "text",
    [
        # The time said before the aside speaks for the fire after it.
        "来电人称，前几天其单位（海淀区某写字楼）地下车库一辆电动车起火，现在车库还是一股焦味，要求物业检修线路。",
        # Put out in time, the clause after says.
        "楼道里电动车电瓶起火，邻居扑救及时，可楼道墙都熏黑了，物业到现在不来清理。",
        # A bottle thrown from upstairs is the nuisance the caller wants found, not a fight.
        "楼上总有人往下扔东西，今天一个啤酒瓶子砸在单元门口，碎了一地，请物业调监控查查是哪家。",
    ],
    ids=["time-before-an-aside", "put-out-in-time", "thrown-from-upstairs"],
)
def test_what_is_over_or_no_danger_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_a_fire_with_an_aside_still_burning_goes_to_119(decide_by_rules):
    text = "我们小区（丰台区方庄）地下车库着火了，黑烟一直往上冒，快来人！"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


def test_a_caller_attacked_and_threatened_now_goes_to_110(decide_by_rules):
    # A bat is a weapon, and "要弄死我" is the threat the caller suffers (set cf).
    text = "两个人拿着球棒在楼下砸我家车，边砸边喊要弄死我，我躲在屋里不敢下去。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


@pytest.mark.parametrize(
    "text, unlawful",
    [
        # Fear is no resolve: the tree, not the caller, may strike (set ce).
        ("楼前那棵老槐树歪得厉害，一刮风我就怕它哪天砸着过路的人，请派人来修剪加固。", False),
        # The caller's own threat still is one.
        ("他再不还钱，我就弄死他，说到做到。", True),
    ],
    ids=["fear-of-a-tree", "own-threat"],
)
def test_whose_threat_it_is(decide_by_rules, text, unlawful):
    assert (decide_by_rules(text).disposition == "unlawful") is unlawful


@pytest.mark.parametrize(
    "text, emergency",
    [
        # 76: a diagnosis in the clause after says the danger has been seen to.
        ("早上楼道里一股煤气味，燃气公司来人查出是楼下管子接口漏，临时堵上了，想问谁来彻底修？", False),
        ("我在矿上干了八年，这两年爬两层楼就喘不上气，医院诊断为矽肺，单位不认，我该找哪儿？", False),
        # ...but not a diagnosis of long ago beside the emergency of now.
        ("我爸有冠心病，前年查出来是三支病变，现在又胸口疼得厉害，一直出冷汗，快派救护车！", True),
    ],
    ids=["gas-found-and-stopped", "silicosis", "heart-now"],
)
def test_a_diagnosis_after_the_danger_word(decide_by_rules, text, emergency):
    assert (decide_by_rules(text).disposition == "emergency") is emergency
