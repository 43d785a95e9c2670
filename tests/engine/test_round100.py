"""Round 100 (R2.3, R11.3): what set ea showed. Own wordings, none taken from a labelled set."""


def test_a_child_not_home_hours_after_school_goes_to_110(decide_by_rules):
    decision = decide_by_rules(
        "我儿子下午五点就该到家了，到现在还没回家，手机一直关机，同学家都问遍了，他才十岁，大兴旧宫这边"
    )
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


def test_a_mother_back_late_from_shopping_is_no_emergency_in_herself(decide_by_rules):
    decision = decide_by_rules("我妈去超市买菜还没回来，我一个人在家，想问问社区的老年餐桌几点开门？")
    assert decision.disposition != "emergency", decision.reasons


def test_fish_stunned_by_electric_fishing_are_no_rollover(decide_by_rules):
    decision = decide_by_rules(
        "举报：温榆河边有人背着电瓶电鱼，一杆子下去鱼都电翻了，就在北苑那一段，几乎每天傍晚都来。"
    )
    assert decision.disposition != "emergency", decision.reasons


def test_asking_to_stop_a_neighbours_pension_is_unlawful(decide_by_rules):
    decision = decide_by_rules("对门那老头天天骂我，你们把他的养老金给停了，让他知道知道厉害。")
    assert decision.disposition == "unlawful", decision.reasons


def test_a_property_company_that_cut_the_water_is_a_complaint(decide_by_rules):
    decision = decide_by_rules("物业因为我们没交停车费，把我们单元的水给停了，三天了，朝阳区望京街道。")
    assert decision.disposition == "dispatch", decision.reasons
