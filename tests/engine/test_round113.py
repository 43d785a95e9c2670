"""Round 113 (R2.3, R11.3): what sets gh-gk showed. Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "小区北门的围墙这几天裂了好几道大口子，往外鼓着，目前还没有发生人员受伤，请尽快派人来看看。",
        "楼顶的广告牌被大风刮歪了，斜挂在半空，好在未造成人员受伤，请尽快派人拆除。",
    ],
)
def test_nobody_hurt_said_as_a_report_says_it_is_no_injury(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "dispatch", decision.reasons


def test_people_hurt_with_no_negation_before_is_still_an_injury(decide_by_rules):
    # "人员" bridges a negation only where a negation stands before it.
    decision = decide_by_rules("工地上脚手架塌了，砸到了人，有人员受伤流了好多血，就在朝阳区双井街道这边，快来人。")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


def test_a_draught_through_the_windows_is_no_gas_leak(decide_by_rules):
    decision = decide_by_rules(
        "旧窗户拆了新的没装，屋里到处漏风；暖气也不热，燃气管道说要改线，一直没人来。东城区交道口街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_gas_pipe_hissing_now_is_still_a_leak(decide_by_rules):
    decision = decide_by_rules("楼道里的燃气管道呲呲往外漏气，味道特别大，我们都不敢开灯，在西城区德胜街道。")
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons


def test_a_pipe_cut_the_day_before_yesterday_and_mended_is_about_the_hole_left(decide_by_rules):
    decision = decide_by_rules(
        "前天施工队在我们楼门口挖沟，把燃气管道挖断了，当时一股味儿，燃气公司抢修了一下午才弄好。"
        "现在路上还留着一个大坑没人填。海淀区学院路街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_what_the_caller_will_do_with_a_knife_is_a_threat_not_a_crime_under_way(decide_by_rules):
    decision = decide_by_rules("那个包工头欠我三个月工钱，他今天不把钱结了，我就拿刀捅了他，我说到做到。")
    assert decision.disposition == "unlawful", decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "我刚下楼，我就看见，一个男的拿着刀在小区门口乱砍人，现在还在那儿！",
        "前天开始对门那家一直有人在砸门，刚才又拿刀在砍门，现在还在砍。",
    ],
)
def test_a_knife_now_after_a_telling_or_a_day_gone_is_still_a_crime_under_way(decide_by_rules, text):
    # The resolve must head the pair's own clause: "我就看见" one clause before is the telling.
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons
