"""Rounds 83 and 84 (R2.3): what set cs showed, once judged. Own wordings, none taken from a
labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # Smoke of something a workshop burns night after night is the pollution reported.
        "村东头那个小作坊天天后半夜烧东西，黑烟顺着窗户缝往屋里钻，一股橡胶味，请环保来查。",
        # A yard that smokes all day long, by habit, is no fire under way.
        "路口那个回收站一天到晚往外冒黑烟，味儿特别大，到底归谁管？",
        # What the school has not done since a fight of last month is no fight now.
        "上个月孩子在学校被打了，缝了三针，学校到现在也没给个说法。",
        # "If a fire really broke out" is a risk.
        "楼道里堆满了纸箱子，真着起火来人都跑不出去，请物业清一清。",
    ],
    ids=["burning-by-night", "smoking-all-day", "not-done-since", "if-it-really-burned"],
)
def test_what_is_not_under_way_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text, line",
    [
        ("他从刚才一直打到现在，孩子哭着喊救命，快来人！", "110"),
        ("山上着火了，火苗往村里窜，已经烧了一整天了还没灭，快来人！", "119"),
        ("楼下废品站现在着火了，冒黑烟，火苗窜得老高，成天有人在里面抽烟。", "119"),
    ],
    ids=["beating-till-now", "fire-all-day", "scrapyard-on-fire"],
)
def test_what_is_happening_now_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Last month's fire, told over several clauses of one sentence, is last month's.
        "上个月楼下饭馆着火了，火苗窜到三楼，物业到现在也没说清楚原因。",
        "去年小区门口出了车祸，一辆货车把骑车的撞倒了，那个路口至今没装红绿灯。",
    ],
    ids=["fire-last-month", "collision-last-year"],
)
def test_a_sentence_that_opens_in_the_past_stays_there(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text, line",
    [
        # Today, again or suddenly starts a new event inside the same sentence.
        ("上周他打过我，今天又来砸门，手里拿着刀，快来人！", "110"),
        ("我爸上个月做了心脏支架，突然胸口疼得喘不上气了，嘴唇都紫了！", "120"),
    ],
    ids=["again-today", "suddenly"],
)
def test_what_starts_again_now_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons
