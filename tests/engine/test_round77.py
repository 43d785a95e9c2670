"""Round 77 (R2.3): false emergencies of sets cg and ch, once judged. Own wordings, none taken
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
