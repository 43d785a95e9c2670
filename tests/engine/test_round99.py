"""Round 99 (R11.1, R11.3): what set eb showed. Own wordings, none taken from a labelled set."""


def test_whether_something_is_counted_in_a_standard_is_answered_at_once(decide):
    """ "算不算在里面" asks what a published standard includes, not how one's own record reads."""
    decision = decide("问一下北京现在的最低工资标准是多少？单位发的餐补算不算在里面？")
    assert decision.disposition == "answer_directly", decision.reasons


def test_whether_ones_own_gap_counts_still_goes_to_the_department(decide):
    decision = decide("我去年换工作社保断了两个月，后来补缴了，申请共有产权房的时候还算不算连续缴纳？")
    assert decision.disposition == "dispatch", decision.reasons


def test_when_ones_own_compound_gets_heating_goes_to_the_heating_company(decide):
    decision = decide("请问我们小区什么时候开始供暖？对面小区早就热了，我们家暖气片还是凉的。朝阳区东坝地区。")
    assert decision.disposition == "dispatch", decision.reasons


def test_when_the_city_starts_heating_is_answered_at_once(decide):
    decision = decide("请问北京今年什么时候开始集中供暖？")
    assert decision.disposition == "answer_directly", decision.reasons


def test_photos_of_a_military_camp_for_the_internet_are_a_secret_not_doxxing(decide_by_rules):
    decision = decide_by_rules("想打听一下南口那边那个部队营区的具体位置和驻了多少兵，我想去拍点照片发到网上。")
    assert decision.disposition == "secret_privacy", decision.reasons


def test_a_persons_photo_and_address_online_is_still_doxxing(decide_by_rules):
    decision = decide_by_rules("那个女的欠钱不还，我要把她照片和住址发到网上，让大家都认识认识她。")
    assert decision.disposition == "unlawful", decision.reasons
