"""Round 90 (R2.3, R11.3): what sets dk and dl showed. Own wordings, none taken from a labelled
set."""


def test_kept_at_home_by_a_power_cut_is_no_rescue(decide_by_rules):
    decision = decide_by_rules("小区停电两天了，电梯不能用，我爸坐轮椅困在家里下不了楼，请供电公司尽快抢修。")
    assert decision.disposition != "emergency", decision.reasons


def test_someone_shut_in_a_lift_still_is(decide_by_rules):
    decision = decide_by_rules("停电了，我和孩子困在电梯里出不来，按铃没人应，快来救我们。")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


def test_a_list_of_people_with_their_contacts_is_the_privacy_case(decide_by_rules):
    decision = decide_by_rules("我们是装修公司，想请街道把今年新入住的人员名单和联系方式给我们一份，方便上门推广。")
    assert decision.disposition == "secret_privacy", decision.reasons
