"""Rounds 126 and 127 (R2.3, R11.3): what sets hz-ic and id-ig showed. Own wordings, none taken from a
labelled set."""


def test_fear_with_nothing_feared_after_it_is_how_the_caller_feels_now(decide):
    decision = decide("我一个人在家，前夫喝了酒在外面一脚一脚踹我家门，嘴里喊着要进来收拾我，我好害怕。")
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_a_door_held_shut_against_someone_outside_is_now(decide):
    decision = decide(
        "宿舍楼里有个不认识的男的一直拍我们屋的门，喊着让开门，我们拿桌子顶着门呢，他还在门外转悠，怎么办啊。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_fear_of_something_is_still_a_risk_not_an_emergency(decide):
    decision = decide("楼道里的电线老化了，外皮都裂开了，我很怕哪天着火，请物业赶紧换一下。朝阳区劲松街道。")
    assert decision.disposition == "dispatch", decision.reasons


def test_a_gas_water_heater_and_someone_unconscious_is_poisoning_for_120(decide):
    decision = decide(
        "我爸在卫生间洗澡半天没出来，我们推门一看他倒在地上叫不醒，"
        "热水器是燃气热水器，我进去也觉得头晕恶心，海淀区羊坊店街道。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


def test_a_gas_smell_by_the_water_heater_is_still_a_leak_for_119(decide):
    decision = decide("卫生间燃气热水器那块一股煤气味，越来越冲，我妈说头晕，我们不敢开灯，现在都跑到楼道里了。")
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons


def test_a_faint_that_passed_days_ago_is_a_complaint_about_the_station(decide):
    decision = decide(
        "前两天在地铁换乘通道里，有个大姐突然晕倒了，好在没多久自己缓过来了。"
        "可工作人员过了好久才来，站里的急救箱也是空的，这个谁来管？"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_gathering_friends_to_settle_it_at_his_home_is_a_threat(decide):
    decision = decide("你们帮我查一下那天在烧烤摊打我的那个人住哪，剩下的事我自己办，我叫几个兄弟去他家跟他算账。")
    assert decision.disposition == "unlawful", decision.reasons
