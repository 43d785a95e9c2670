"""Round 61 (R2.3): what sets ay and az showed, read on the development sets. Own wordings, none
taken from a labelled set.

- Fumes from a coal stove: 22 of 23 writers send people poisoned beside a stove to 120; the stove
  "burning in the room" is no fire (a group's excluded phrases now hold its pair words too).
- A gas pipe dug through: "燃气管" is one word to jieba, so the two-character "燃气" never matched.
- "前段时间" and "一到晚上" tell of the past or of habit; smoke that "呛得人喘不上气" is a nuisance.
- A request opened as a complaint, a report, a suggestion or a question is not transferred on the
  reader's word alone unless it says "now"; a person still checks it."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "我爸妈屋里烧着煤炉子，早上起来两个人都头晕恶心，我妈现在叫不醒了，延庆区的村里。",
        "屋里生着炉子，一家人都头疼想吐，孩子叫不醒，快派车。",
    ],
)
def test_people_poisoned_beside_a_stove_go_to_120(decide, text):
    decision = decide(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


def test_a_fire_that_spreads_from_a_stove_is_still_119(decide_by_rules):
    text = "炉子边上的柴火着起来了，火已经烧到门帘上了，屋里还有老人，怀柔区的村里。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


def test_a_gas_pipe_dug_through_and_hissing_is_119(decide_by_rules):
    text = "施工队的挖掘机把小区门口的燃气管道挖断了，嗤嗤往外冒气，满街都是味儿。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


def test_a_gas_pipe_dug_through_and_sealed_is_no_emergency(decide_by_rules):
    text = "上周路口施工把燃气管道挖断了，燃气公司当天就封堵好了，现在没味了，就是坑一直没人填。"
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "我们楼下车库前段时间失火了，消防来扑灭以后到现在也没人清理，烧黑的东西还堆着，请物业处理。",
        "一到晚上就有人在河边烧塑料，烟呛得人喘不上气，窗户都不敢开，请环保部门管一管。",
    ],
)
def test_a_fire_that_is_over_and_smoke_of_habit_are_no_emergency(decide, text):
    assert decide(text).disposition != "emergency"


def test_a_complaint_about_a_push_waits_for_a_person_not_for_110(engine):
    triage = engine.triage
    opened = triage.scan("投诉公交车司机！我上车刷卡慢了点，他就推了我一把，还骂人。")
    assert triage.tempered(opened) and "投诉" in triage.tempered(opened)
    # Saying "now" keeps the reader's word: the caller is still in danger.
    now = triage.scan("投诉楼上邻居，我上去理论他动手打我，现在还在楼道里堵着我不让走。")
    assert triage.tempered(now) is None
    # A plea for help is no such opening.
    assert triage.tempered(triage.scan("求助！有个男的一直跟着我，我躲进便利店了。")) is None
