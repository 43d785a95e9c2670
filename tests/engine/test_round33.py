"""Round 33 of the emergency rules (R2.3): what set n showed, all false emergencies. A day of
last week is the past though the segmenter keeps it one word ("上周四"); a leak fixed, an alarm
to install, a runaround between offices, forced shopping and a news story are not emergencies;
the past said in either clause of a two-word danger holds it back. Own wordings, none taken from
a labelled set; the rules are judged without the reader."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "上周五晚上我们楼有家厨房着火了，消防来了，现在楼道墙还是黑的没人刷，海淀区学院路街道",
        "前两周我妈突然晕倒了，送医院检查是低血糖，想问问社区有没有老人体检的安排，东城区景山街道",
        "上周四闻到燃气味，燃气公司来换了个接头，现在已经不漏了，就是收费没给票，西城区月坛街道",
        "饭馆要求装燃气泄漏报警器，想问装哪种合规，谁来验收，朝阳区三里屯街道",
        "为了一个路灯的事，我找了物业又找社区，这转了一大圈了也没人管，让我再打这个电话，通州区北苑街道",
        "旅游团把我们拉到购物店强迫消费，不买不让走，回来想投诉这家旅行社",
        "我们楼好多人从窗户往下拉电线充电，看新闻说电动车起火很吓人，请社区管一管，丰台区青塔街道",
    ],
)
def test_round_33_not_emergencies(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # The past is said, then "now" in the same clause: it is happening again.
        ("去年这个配电箱着过火，现在又冒烟了还有火苗往外窜，快来人，昌平区天通苑北街道", "119"),
        # A leak now, though the line was changed last week.
        ("上周刚换的燃气管，刚才一进门就闻到很冲的燃气味，嘶嘶响，不敢开灯，大兴区兴丰街道", "119"),
    ],
)
def test_round_33_emergencies_told_with_their_past(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons
