"""Round 131 (R2.3): the false emergencies of sets ix-ja. Own wordings, none taken from a
labelled set; sets jb-je judge it (bench/README.md)."""


def test_a_leak_the_gas_company_fixed_asks_for_new_pipes(decide):
    decision = decide(
        "西城区德胜街道一个老小区，单元里的燃气管道漏气，燃气公司来人处理好了，"
        "但师傅说整条立管都锈透了，居民要求把整栋楼的燃气管道都换了。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_what_a_stroke_left_behind_is_not_a_stroke_now(decide):
    decision = decide(
        "我母亲前年脑梗后遗症，现在右边手脚都不利索，想申请居家养老的护理补贴，去哪儿办？朝阳区将台地区。"
    )
    assert decision.disposition != "emergency", decision.reasons
    decision = decide("老伴因为脑梗导致半身瘫痪，长期卧床，想问问能不能申请上门医疗服务。")
    assert decision.disposition != "emergency", decision.reasons


def test_a_stroke_now_is_still_an_emergency(decide):
    decision = decide("我爸刚才吃着饭突然脑梗了，嘴歪了说不出话，快派救护车，丰台区方庄地区。")
    assert decision.disposition == "emergency" and decision.emergency_line == "120", decision.reasons
