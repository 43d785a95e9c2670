"""Round 81 (R2.3, R11.2): what sets cm, co and cp showed, once judged. Own wordings, none taken
from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # A water leak and gas named clauses apart are no gas leak.
        "希望燃气公司和自来水公司的账单能合在一个APP里，上回卫生间漏水好几天才发现，燃气倒是每月都能查。",
        # Flames of a burning the caller says recurs are the nuisance reported, not a fire.
        "小区后身有人三天两头烧电线剥铜丝，烧起来火苗一米多高，黑烟顺着窗户往屋里钻，请城管查处。",
        # A threat on a condition is leverage, not an attack under way.
        "对门遛狗从来不拴绳，已经吓哭我孩子两回了，下次再让我碰见，我就拿棍子把狗打死。",
    ],
    ids=["water-leak-and-gas", "habitual-burning", "threat-on-condition"],
)
def test_what_is_not_under_way_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text, line",
    [
        # The same words where it is happening now still go to their line.
        ("厨房燃气管漏气了，嘶嘶地响，楼上还在往下漏水，我们都不敢开灯。", "119"),
        ("邻居天天在院里烧垃圾，现在烧着了旁边的柴火垛，火苗往房子上窜，快来人！", "119"),
        ("他现在拿着刀在砸我家门，说再让我报警就砍死我，救命啊！", "110"),
    ],
    ids=["gas-leak-beside-water", "burning-spreads", "threat-with-knife-now"],
)
def test_what_is_happening_now_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text, township",
    [
        # A township's official name, said in full, is that township, whatever village follows.
        ("丰台区卢沟桥街道，小井村路口的红绿灯坏了两天了，过马路太危险。", "卢沟桥街道"),
        ("丰台区卢沟桥地区小井村路口的红绿灯坏了两天了，过马路太危险。", "卢沟桥地区"),
        ("丰台区南苑街道槐房路口的红绿灯坏了两天了，过马路太危险。", "南苑街道"),
    ],
    ids=["street-office-with-village", "area-office", "nanyuan-street"],
)
def test_a_townships_full_name_is_that_township(decide_by_rules, text, township):
    assert decide_by_rules(text).subdistrict == township
