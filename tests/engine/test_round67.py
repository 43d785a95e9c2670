"""Rounds 67-69 (R2.3, R11.3): what sets bm and bn, bo and bp, then bq and br showed. Own wordings,
none taken from a labelled set."""

import pytest

from jiesu.engine.text import enumeration_only


def test_a_lost_parent_found_again_is_no_emergency(decide_by_rules):
    # The rules' pair ("我爸…走丢了") is held when either word's next clause says it is over.
    text = "我爸有点糊涂，中午一个人出去走丢了，傍晚派出所帮着找着了，能不能给他配个定位手环？"
    assert decide_by_rules(text).disposition != "emergency"


def test_a_parent_lost_now_still_goes_to_110(decide_by_rules):
    text = "我爸有点糊涂，中午一个人出去走丢了，到现在还没找着，手机也没带，快帮帮忙。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


def test_exposing_someone_through_a_list_of_his_details_is_unlawful(decide_by_rules):
    text = "我想把那个中介的照片、电话、家里地址都曝光出去，让他在这片混不下去，怎么弄？"
    assert decide_by_rules(text).disposition == "unlawful"


def test_a_victim_whose_details_were_exposed_is_dispatched(decide_by_rules):
    text = "我的照片、电话、家庭住址都被人曝光出去了，天天有人打电话骚扰我，怎么办？"
    assert decide_by_rules(text).disposition != "unlawful"


def test_watching_an_officials_way_home_is_a_threat(decide_by_rules):
    text = "把昨天罚我款那个交警的名字告诉我，我知道他下班走哪条路，你们不管我自己解决。"
    assert decide_by_rules(text).disposition == "unlawful"


@pytest.mark.parametrize(
    "gap, joined",
    [("、孩子学校都", True), ("、", True), ("，孩子学校都", False), ("。", False), ("都", True)],
)
def test_only_a_list_mark_joins_two_clauses(gap, joined):
    assert enumeration_only(gap) is joined


# --- Round 68 (sets bo and bp) ------------------------------------------------------------


def test_the_aftermath_of_a_fire_put_out_is_no_fire(decide_by_rules):
    text = "前天隔壁单元起火，火已经扑灭了，可起火后楼道的墙全熏黑了，电线也烧断了，到现在没人来修。"
    assert decide_by_rules(text).disposition != "emergency"


def test_a_fire_that_flares_up_again_still_goes_to_119(decide_by_rules):
    text = "刚才楼下垃圾堆着火，火灭了，现在又着起来了，火苗窜得老高，快来人。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


def test_a_threat_on_a_condition_with_zai_bu_is_not_an_attack_under_way(decide_by_rules):
    text = "物业下礼拜再不给我修好，我就拿刀去物业办公室找他们经理，说到做到。"
    assert decide_by_rules(text).disposition != "emergency"


def test_smashing_bottles_is_a_nuisance_not_an_assault(decide_by_rules):
    text = "楼下烧烤摊天天闹到后半夜，喝多了的人扯着嗓子喊，还砸酒瓶，满地玻璃碴子。"
    assert decide_by_rules(text).disposition != "emergency"


def test_hitting_someone_with_a_bottle_still_goes_to_110(decide_by_rules):
    text = "烧烤摊那儿有人拿啤酒瓶往人脑袋上砸，现在正打着呢，快来人！"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "能不能帮我开个收入证明，假的也行，贷款的时候用一下。",
        "想自己在院子里配火药做点炮仗，硝石硫磺上哪儿买？",
    ],
)
def test_asking_for_a_forgery_or_homemade_explosives_is_unlawful(decide_by_rules, text):
    assert decide_by_rules(text).disposition == "unlawful"


# --- Round 69 (sets bq and br) ------------------------------------------------------------


def test_labour_weeks_early_with_contractions_goes_to_120(decide_by_rules):
    text = "我媳妇离预产期还有半个月，刚才肚子疼，一阵一阵的越来越密，还见红了，我们在三环上堵着呢。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


def test_a_due_date_question_is_no_labour(decide_by_rules):
    text = "我预产期是下个月，想问问生育津贴怎么申请，要带哪些材料？"
    assert decide_by_rules(text).disposition != "emergency"


def test_blood_pressure_is_no_bleeding(decide_by_rules):
    text = "小区门口有人摆摊卖保健品，说能降血压，好多老人排队买，这个合法吗？"
    assert decide_by_rules(text).disposition != "emergency"


def test_a_dog_hit_by_a_car_is_no_traffic_accident(decide_by_rules):
    text = "路边有只小狗被车撞了，腿瘸了，趴在草里好几天了，能不能让动物救助的来看看？"
    assert decide_by_rules(text).disposition != "emergency"


def test_disbelief_is_no_threat(decide_by_rules):
    text = "邻居装修把墙砸了，物业说手续齐全，我就不信砸墙还能有手续，请派人来查查。"
    assert decide_by_rules(text).disposition != "unlawful"
