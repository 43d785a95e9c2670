"""Round 112 (R2.3): what sets fz-gc showed. Own wordings, none taken from a labelled set."""


def test_even_the_fire_engine_could_not_get_in_is_a_complaint_about_the_lane(decide_by_rules):
    decision = decide_by_rules(
        "我们楼后的消防通道被人用铁栅栏围起来停车，真要着火了消防车也开不进来。朝阳区八里庄街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_tanker_leaking_a_stinging_liquid_is_for_the_fire_brigade(decide_by_rules):
    decision = decide_by_rules("路口停着一辆槽罐车一直往外漏东西，味道刺鼻，附近的人都捂着鼻子走，在顺义区后沙峪这边。")
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons
    assert "危化品泄漏" in decision.reasons[0]


def test_a_cement_mixer_dripping_on_the_road_is_a_spill_complaint(decide_by_rules):
    decision = decide_by_rules("每天早上都有水泥罐车从我们门口过，一路往外漏水泥浆，地上一大滩，干了以后全是疙瘩。")
    assert decision.disposition == "dispatch", decision.reasons
