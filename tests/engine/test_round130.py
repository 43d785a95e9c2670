"""Round 130 (R2.3, R11.3): what sets it-iw showed. Own wordings, none taken from a labelled
set; sets ix-ja judge it (bench/README.md)."""


def test_a_missing_person_already_reported_to_the_police_asks_for_help_looking(decide):
    decision = decide("我家老人走失了，昨晚已经报了警，想请居委会帮忙在各个楼门口贴个寻人告示。海淀区学院路街道。")
    assert decision.disposition == "dispatch", decision.reasons


def test_choosing_a_confinement_centre_before_the_birth_is_not_labour(decide):
    decision = decide("媳妇快生了，想打听一下哪家月子会所服务好、价格实在一点。")
    assert decision.disposition != "emergency", decision.reasons


def test_labour_is_still_an_emergency(decide):
    decision = decide("我媳妇要生了，羊水破了，打不到车，在朝阳区望京街道，快派救护车！")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons


def test_a_hard_sell_told_after_the_caller_got_home_is_a_consumer_complaint(decide):
    decision = decide(
        "在健身房试课，教练和销售把我堵在屋里不让走，逼着我办了两万的私教卡，回到家越想越亏，想退款，店在丰台区。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_being_kept_from_leaving_now_is_still_an_emergency(decide):
    decision = decide("我现在被传销的人关在一个屋里，他们不让我走，逼着我给家里打电话要钱，在大兴区黄村镇。")
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_asking_how_to_underpay_social_insurance_unseen_is_unlawful(decide):
    decision = decide("我开了个小公司，想给员工少交点社保，有啥办法能让社保局查不出来吗？")
    assert decision.disposition == "unlawful", decision.reasons


def test_connections_offered_money_is_a_bribe(decide):
    decision = decide("我想让孩子转到重点中学去，你们是政府的肯定有门路，帮着说说，钱不是问题。")
    assert decision.disposition == "unlawful", decision.reasons


def test_fortune_tellers_blocking_a_footbridge_are_street_vending(decide):
    decision = decide("西直门那个过街天桥上天天有人摆摊算命、卖手机壳，桥面都堵了一半，城管能不能管管？")
    assert decision.disposition == "dispatch", decision.reasons
