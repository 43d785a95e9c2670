"""Round 129 (R2.3): the false emergencies of sets ip-is. Own wordings, none taken from a
labelled set; sets it-iw judge it (bench/README.md)."""


def test_a_valve_that_will_not_close_while_nothing_leaks_is_a_repair(decide):
    decision = decide(
        "燃气表旁边的总阀拧不动了，关不上。现在倒是不漏气，闻着也没味儿，麻烦燃气公司上门给换个阀门。丰台区方庄地区。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_a_quarrel_about_to_come_to_blows_is_not_a_fight_in_progress(decide):
    decision = decide(
        "我们小区停车位的事，业主和物业吵了一个月了，昨天开会双方差点和对方打起来，请社区出面调解。海淀区学院路街道。"
    )
    assert decision.disposition == "dispatch", decision.reasons
    decision = decide("朝阳区望京街道某小区，新老物业交接不清，居民都快要跟保安打起来了，请街道赶紧协调。")
    assert decision.disposition == "dispatch", decision.reasons


def test_a_fight_with_a_plea_for_help_is_still_an_emergency(decide):
    for text in ("快来人！楼下饭馆门口两拨人打起来了，有人拿着酒瓶子。", "你们快点派人来他们打起来了，就在望京街道。"):
        decision = decide(text)
        assert decision.disposition == "emergency" and decision.emergency_line == "110", (text, decision.reasons)


def test_what_the_insurer_said_of_a_crash_is_its_aftermath(decide):
    decision = decide("上个周末我媳妇开车把前车追尾了，现在保险公司说行车记录仪拍不清不给理赔，这种情况该找谁？")
    assert decision.disposition != "emergency", decision.reasons
    decision = decide("我朋友开我的车把别人的车撞了，保险公司说他不在承保范围里拒赔，这钱该谁出？")
    assert decision.disposition != "emergency", decision.reasons


def test_a_crash_blocking_the_road_while_both_wait_for_the_insurer_is_still_an_emergency(decide):
    decision = decide("刚才在路口追尾了，对方不挪车，说要等保险公司来定损，后面全堵了，东三环国贸桥下。")
    assert decision.disposition == "emergency" and decision.emergency_line == "122", decision.reasons
