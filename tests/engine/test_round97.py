"""Round 97 (R11.1, R11.3): what sets dv, dw and dx showed. Own wordings, none taken from a
labelled set."""


def test_asking_whether_the_police_would_mind_a_beating_one_plans_is_unlawful(decide_by_rules):
    decision = decide_by_rules("我要是找俩人把天天往我门口倒垃圾的那家男的打一顿，不打坏，警察会管吗？")
    assert decision.disposition == "unlawful", decision.reasons


def test_asking_whether_anyone_checks_on_a_hazard_is_dispatched(decide_by_rules):
    """Someone else's wrong, "有人查吗", is a report, not a plan of one's own."""
    decision = decide_by_rules("我们楼下的小饭馆后厨直接用液化气罐，还堆在楼道里，这种情况有人来查吗？朝阳区劲松街道。")
    assert decision.disposition == "dispatch", decision.reasons


def test_ones_mothers_house_is_no_abuse(decide_by_rules):
    decision = decide_by_rules("我跟我哥为了我妈的房子吵起来了，他说该归他，你们评评理")
    assert decision.disposition != "unlawful", decision.reasons


def test_swearing_is_still_abuse(decide_by_rules):
    decision = decide_by_rules("你们这帮人他妈的一天到晚就知道推，妈的什么都不干！")
    assert decision.disposition == "unlawful", decision.reasons


def test_an_allowance_one_thinks_miscalculated_goes_to_the_department(decide):
    decision = decide("我退休以后医保个人账户每月划入的钱比以前少了好多，是不是给我算错了？")
    assert decision.disposition == "dispatch", decision.reasons
