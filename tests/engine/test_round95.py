"""Round 95 (R2.3): what sets ds and dm showed. Own wordings, none taken from a labelled set."""


def test_a_crash_with_its_casualty_two_clauses_on_goes_to_122(decide_by_rules):
    """The clause between names the vehicles; the crash is the cause, so 122 and not 120."""
    decision = decide_by_rules("东直门桥下面刚撞了，一辆面包车和一辆摩托，骑摩托的躺在地上一动不动，快让交警过来！")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "122"), decision.reasons


def test_a_casualty_told_before_a_crash_that_was_not_is_no_crash(decide_by_rules):
    """Only forward: a body found first and "不像被撞的" later is a medical case."""
    decision = decide_by_rules("路边有个大爷躺在地上一动不动，旁边自行车倒着，看着不像是被撞的，像是犯病了，快来人")
    assert decision.emergency_line == "120", decision.reasons


def test_poisoned_dogs_are_for_the_police_not_an_ambulance(decide_by_rules):
    decision = decide_by_rules(
        "我们院里这个月药死了好几只猫，都是吃了楼后面不知道谁撒的东西，抽搐口吐白沫，请派出所查查是谁投的毒。"
    )
    assert decision.disposition != "emergency", decision.reasons


def test_a_pet_that_collapses_is_no_person_in_danger(decide_by_rules):
    decision = decide_by_rules("我家狗狗突然倒在地上一动不动，叫它也没反应，附近哪有24小时的宠物医院？")
    assert decision.disposition != "emergency", decision.reasons


def test_a_person_a_dog_bit_is_still_120(decide_by_rules):
    """The dog bites: the person bleeding is the patient."""
    decision = decide_by_rules("邻居家的狗把我闺女咬了，胳膊上好几个口子，血一直往外冒，止不住，快派救护车")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


def test_a_person_down_beside_a_dog_is_still_120(decide_by_rules):
    decision = decide_by_rules("小区门口一个老太太倒在地上一动不动，怎么叫都不醒，她牵的那条狗一直在旁边叫")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons
