"""Round 123 (R2.3): what sets hn-hq showed. Own wordings, none taken from a labelled set. Round
123 has no blind figure: the next sealed sets judge it."""


def test_a_crash_that_blocks_the_junction_goes_to_122_though_nobody_is_hurt(decide):
    decision = decide(
        "我刚在大兴旧宫这边路口让一辆面包车给撞了，我人没事，可两辆车卡在路口中间，后边全堵上了，对方不让挪车。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "122", decision.reasons


def test_an_axe_that_slipped_while_chopping_firewood_is_an_injury_not_a_crime(decide):
    decision = decide("我爷爷劈柴的时候斧子砍到自己小腿上了，血一直往外冒止不住，脸都白了，我们在怀柔区宝山镇。")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons
