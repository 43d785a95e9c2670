"""Round 52 (R2.3): vomiting with a failing mind or body (cannot stand, talks nonsense, cannot be
woken) is poisoning or grave illness now, whatever was eaten; a vehicle that knocked something
over that now lies across the road is a collision blocking traffic. Set ai missed one of each.
Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text,line",
    [
        ("昨天吃了自己采的野蘑菇，今天全家上吐下泻，我爸已经站不起来了，说胡话。", "120"),
        ("孩子发烧上吐下泻，现在迷迷糊糊叫不醒。", "120"),
        ("货车撞倒了路边的大树，树横在马路上，两边的车都过不去。", "122"),
    ],
)
def test_grave_signs_now_are_emergencies(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "上周在饭店吃完上吐下泻，站不起来，去医院输了三天液，现在出院了，要求饭店赔偿。",
        "护栏被车撞倒好几天了，横在路边没人管。",
        "大风把树刮倒了，横在路上，车过不去。",
    ],
)
def test_the_past_and_a_fallen_tree_are_not(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"
