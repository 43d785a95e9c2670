"""Round 125 (R2.3, R11.2, R11.3): what sets hv-hy showed. Own wordings, none taken from a labelled
set; the figures are the next sealed sets' (bench/README.md)."""


def test_an_unlicensed_cab_touting_at_a_metro_exit_is_the_taxi_trade_not_the_metro(decide):
    decision = decide("地铁5号线立水桥站A口出站口外面，每天晚上一排黑车趴活，出站的乘客被围着问走不走。")
    assert decision.matter_code == "traffic.taxi.service", decision.reasons
    lead = next(u for u in decision.units if u.role == "lead")
    assert lead.type == "department", decision.units
    # Read from a phrase against the station's words: a person confirms, and the metro stays offered.
    assert decision.needs_review
    assert any("黑车趴活" in r and "出租车服务" in r for r in decision.reasons), decision.reasons
    assert "traffic.subway.service" in {a["code"] for a in decision.alternatives}


def test_the_touting_told_after_the_cab_is_still_the_taxi_trade(decide):
    decision = decide("八通线土桥站出来那一片，天天晚上趴活的好几十辆，喊一嗓子就走，这不就是黑车吗？")
    assert decision.matter_code == "traffic.taxi.service", decision.reasons


def test_riding_an_unlicensed_cab_for_want_of_a_bus_is_a_bus_suggestion(decide):
    decision = decide("建议给我们村加开一趟去地铁站的公交，现在早上只能坐黑车，十块一位还不安全。房山区琉璃河镇。")
    assert decision.matter_code != "traffic.taxi.service", decision.reasons


def test_a_driver_who_walked_off_is_not_a_missing_grandfather(decide):
    decision = decide(
        "我们楼下天天有人把车往单元门口一横，锁了车人就没影了，我们家老爷子拄着拐出门得绕半天，物业也不管。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_grandfather_who_walked_off_is_still_missing(decide):
    decision = decide(
        "我们家老爷子有老年痴呆，早上出门遛弯到现在都没影了，手机也没带，家里人找了一上午了，在西城区德胜街道。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_stranded_on_a_traffic_island_is_about_the_lights_not_a_rescue(decide):
    decision = decide(
        "这个路口绿灯太短了，我腿脚慢，每次走到一半就变灯，只能被困在马路中间等下一轮，车从两边过，能不能延长一点？"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_torch_in_an_empty_flat_and_a_forced_door_is_a_burglary_in_progress(decide):
    decision = decide(
        "对门那家去外地了，家里一直没人，刚才我看见他们家窗户里有手电筒的光在晃，"
        "阳台的门像是被撬开了，人估计还在里面呢。"
    )
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_a_forced_meter_box_door_is_a_hazard_not_a_burglary(decide):
    decision = decide("我们院里的电表箱箱门被人撬开了，里面的线都露在外面，有小孩在旁边玩，赶紧派人来修一下锁上。")
    assert decision.disposition == "dispatch", decision.reasons


def test_a_fire_that_will_come_sooner_or_later_is_a_risk_not_a_fire(decide):
    decision = decide(
        "楼道里天天有人推电动车上楼充电，插线板就放在地上，我看早晚要着火，请社区来管管。朝阳区八里庄街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_asking_which_road_has_no_cameras_to_dump_waste_is_unlawful(decide):
    decision = decide("装修拆下来的砖头想半夜拉出去找个沟倒了，你们知道去郊区哪条路没有摄像头吗？")
    assert decision.disposition == "unlawful", decision.reasons
