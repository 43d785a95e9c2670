"""Round 53 (R2.3): what has stood for weeks is not happening now, and a stairwell full of the
smell of cigarettes is not full of smoke. Set aj's false emergencies held both. Own wordings,
none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "路边的护栏被撞坏了一大截，歪在马路边上好几个礼拜了，也没人修。",
        "楼上邻居家开了个麻将馆，楼道里全是烟味，半夜还吵。",
    ],
)
def test_a_state_of_weeks_and_a_smell_of_cigarettes_are_not_emergencies(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "闻到烟味，出门一看楼道里全是烟，看不见路。",
        "楼道里全是烟味，呛得不行，不知道哪家着了。",
        "刚才一辆车把护栏撞倒了，护栏横在马路上，司机趴在方向盘上。",
    ],
)
def test_smoke_and_a_fresh_collision_still_are(decide_by_rules, text):
    assert decide_by_rules(text).disposition == "emergency"
