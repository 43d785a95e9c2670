"""Round 122 (R2.3): what the sets hj-hm showed. Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "来电人反映：其所在西城区广安门外街道某小区一周前发生燃气泄漏，燃气公司来人后把管子换了。要求燃气公司说明为什么来得这么慢。",
        "我们楼三天前发生燃气泄漏，燃气公司抢修完了。要求燃气公司把老化的管子都查一遍。",
    ],
)
def test_what_happened_days_or_weeks_ago_is_no_emergency(decide, text):
    decision = decide(text)
    assert decision.disposition == "dispatch", decision.reasons


def test_a_seizure_that_will_not_stop_is_now_whatever_happened_before(decide):
    decision = decide("我老婆有癫痫，这次抽了快十分钟还停不下来，以前一两分钟就过去了，嘴角都是血。丰台区方庄地区。")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons
