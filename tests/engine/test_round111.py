"""Round 111 (R2.3): what sets fl and fn-fu showed of emergencies read and missed. Own wordings,
none taken from a labelled set."""


def test_an_ambulance_that_could_not_find_the_door_is_a_complaint_about_house_numbers(decide):
    decision = decide("我们村新盖的回迁楼到现在没有门牌号，送快递的天天打电话问，叫救护车都说不清地址。怀柔区杨宋镇。")
    assert decision.disposition == "dispatch", decision.reasons


def test_if_someone_really_collapsed_is_a_suggestion_not_a_call_for_an_ambulance(decide):
    decision = decide("建议公园里多放几台除颤仪，真有人晕倒了哪来得及去找。朝阳区奥运村街道。")
    assert decision.disposition == "dispatch", decision.reasons


def test_several_falls_on_an_icy_lane_are_a_request_to_clear_it(decide_by_rules):
    decision = decide_by_rules(
        "我们胡同口的下水道冒水，一结冰路面跟镜子似的，已经有好几个老人摔倒了，麻烦派人来处理。西城区新街口街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_asking_how_a_work_injury_is_recognised_is_no_crime_in_progress(decide):
    decision = decide("我表哥在工地干活被砖头砸伤了腿，包工头不给报工伤，想问问怎么认定工伤。丰台区花乡地区。")
    assert decision.disposition == "dispatch", decision.reasons


def test_a_flue_against_my_window_is_not_someone_pressing_against_me(decide_by_rules):
    decision = decide_by_rules(
        "楼下饭馆的排油烟管道贴着我家卧室窗户，半夜还在营业，油烟味大得没法开窗。海淀区八里庄街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_someone_pressing_against_me_on_the_bus_still_is(decide_by_rules):
    decision = decide_by_rules("公交车上有个男的一直贴着我，我往前走他又跟过来，好害怕，现在车到西直门了。")
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_cars_brushing_past_a_car_stuck_in_the_fast_lane_is_happening_now(decide):
    decision = decide(
        "我的车在五环上坏了，停在最左边的快车道动不了，后面的车一辆辆擦着过去，我们一家三口坐在车里不敢下车。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "122", decision.reasons


def test_a_heart_condition_he_has_had_for_years_does_not_make_his_chest_pain_past(decide):
    decision = decide("我爸说胸口憋得慌，满头大汗，后背也疼，他以前就有心脏病，含了药也不见好，我们在昌平回龙观。")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


def test_a_fire_that_broke_out_there_before_is_still_past(decide_by_rules):
    decision = decide_by_rules("我们楼道里堆满了纸箱子，去年就着过火，物业到现在也不清理。朝阳区望京街道。")
    assert decision.disposition == "dispatch", decision.reasons
