"""Rounds 87 and 88 (R2.3, R11.3): what sets de, df and dh showed. Own wordings, none taken from
a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, line",
    [
        # Someone groping a passenger now.
        ("地铁上旁边这个男的一直往我身上蹭，我躲开他又跟过来了，我好害怕，现在在10号线上。", "110"),
        # An impostor still in the building.
        ("刚才有人假冒自来水公司的上门收钱，我妈给了他三百，他现在还在楼里挨家挨户敲门。", "110"),
        # A scrape, and the cars left blocking the bridge.
        ("在三元桥上跟一辆面包车剐了一下，对方不让挪车，两辆车横在桥上，后面全堵了。", "122"),
    ],
    ids=["groping-now", "impostor-still-here", "scrape-blocking"],
)
def test_what_is_under_way_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Last week's groping, reported now, is a report to the bus company and the police.
        "上周坐公交有个男的一直摸我腿，我当时没敢出声，想投诉公交公司为什么司机不管。",
        # A scrape settled by the insurer is over.
        "上个月在小区门口跟人蹭了一下，保险都理赔完了，可物业的监控录像一直不给调。",
    ],
    ids=["groping-last-week", "scrape-last-month"],
)
def test_the_same_words_told_of_the_past_are_not(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"
