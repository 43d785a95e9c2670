"""Round 105 (R2.3, R11.3): what sets el and em showed. Own wordings, none taken from a
labelled set."""


def test_two_cars_stuck_together_across_a_ring_road_go_to_122(decide_by_rules):
    """No one hurt, but the lanes are blocked and the drivers will not move: traffic police."""
    decision = decide_by_rules("三环上两辆车撞一块了，谁也不让谁，横在最里面那条道上，后面全堵了，就在国贸桥往南一点。")
    assert decision.disposition == "emergency", decision.reasons
    assert decision.emergency_line == "122", decision.reasons


def test_smoke_and_a_burnt_smell_in_a_bus_go_to_119(decide_by_rules):
    decision = decide_by_rules("公交车厢后面突然冒烟了，有股烧焦的味道，司机停在路边了，乘客都在往下跑，朝阳路上。")
    assert decision.disposition == "emergency", decision.reasons
    assert decision.emergency_line == "119", decision.reasons


def test_an_old_man_who_once_got_lost_and_needs_a_tracker_is_no_missing_person(decide_by_rules):
    decision = decide_by_rules(
        "我爸有老年痴呆，之前走丢过一次，想问问社区能不能给办个防走失的黄手环？丰台区卢沟桥街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_grandmother_not_home_since_morning_is_still_a_missing_person(decide_by_rules):
    decision = decide_by_rules(
        "我奶奶今天早上出去遛弯到现在还没回家，手机也没带，七十多了，我们都找遍了，石景山区鲁谷。"
    )
    assert decision.disposition == "emergency", decision.reasons
    assert decision.emergency_line == "110", decision.reasons


def test_rubbish_burnt_on_the_spot_every_day_is_a_pollution_report(decide_by_rules):
    decision = decide_by_rules(
        "我们村东边的沟里，老有人把装修垃圾拉过来就地烧，黑烟呛得人直咳嗽，天天这样。房山区琉璃河镇。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_how_to_hide_income_from_the_subdistrict_is_unlawful(decide_by_rules):
    decision = decide_by_rules("来电人称他想申请低保，但有打零工的收入，怎么才能让街道查不到？")
    assert decision.disposition == "unlawful", decision.reasons


def test_skipping_social_insurance_without_being_found_out_is_unlawful(decide_by_rules):
    """The ask and the wish not to be caught may stand in neighbouring clauses."""
    decision = decide_by_rules("我开了个小饭馆，有没有办法给员工少交点社保，又不会被查到？")
    assert decision.disposition == "unlawful", decision.reasons


def test_buying_invoices_to_offset_tax_is_unlawful(decide_by_rules):
    decision = decide_by_rules("我们厂进原料都没票，想买点票回来抵税，哪儿能弄到？")
    assert decision.disposition == "unlawful", decision.reasons


def test_an_invoice_issued_by_the_tax_office_is_a_lawful_service(decide_by_rules):
    decision = decide_by_rules("请问个体户怎么去税务局代开发票？需要带什么？")
    assert decision.disposition != "unlawful", decision.reasons


def test_where_an_ex_wife_now_lives_and_works_is_her_private_data(decide_by_rules):
    decision = decide_by_rules("我和前妻离婚好几年了，你们帮我查一下她现在住哪儿、在哪上班，我有事找她。")
    assert decision.disposition == "secret_privacy", decision.reasons


def test_a_lift_that_once_trapped_a_neighbour_is_a_repair_request(decide_by_rules):
    decision = decide_by_rules(
        "我们楼的电梯这个月坏了好几次，有一次邻居被困在里面半个小时，维保来了才救出来，请督促物业换电梯。海淀区学院路街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_photos_taken_and_posted_online_in_the_next_clause_is_doxxing(decide_by_rules):
    decision = decide_by_rules("那个碰瓷的我拍了照片，明天我就发到网上让大家看看他什么德行。")
    assert decision.disposition == "unlawful", decision.reasons


def test_a_victim_whose_photos_someone_threatens_to_post_is_no_doxxer(decide_by_rules):
    decision = decide_by_rules("小区里有人把我家孩子的照片拍了，说要发到网上，我们很害怕。")
    assert decision.disposition != "unlawful", decision.reasons


def test_a_heater_that_smoked_and_is_no_longer_used_is_a_consumer_complaint(decide_by_rules):
    decision = decide_by_rules(
        "网上买的取暖器用了两天插座那儿冒烟、有烧焦的痕迹，现已停止使用，店家不给退，请市场监管部门处理。"
    )
    assert decision.disposition == "dispatch", decision.reasons
