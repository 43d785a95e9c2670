"""Routes by the Beijing labelling convention (tests/blind/BRIEF.md), the operator router, the
city-level entries for requests that name no district, multi-unit requests and the lead-unit
gate (issue 11)."""

from jiesu.engine.route import OperatorRouter
from jiesu.engine.rules import RuleSet


def lead(d):
    return next((u for u in d.units if u.role in ("lead", "coordinate")), None)


def test_operator_router_reads_the_named_operator_not_words_containing_it():
    config = RuleSet.from_defaults().lexicons["operator_router"]
    router = OperatorRouter(config)
    assert router.named("中国移动的宽带又断了") == ["telecom_mobile"]
    assert router.named("联通宽带三天上不了网") == ["telecom_unicom"]
    assert router.named("接到电信诈骗电话，家里宽带也慢") == []
    assert router.named("用移动支付交的网费，宽带还是断") == []
    assert router.named("原来用电信，后来换了联通") == ["telecom", "telecom_unicom"]


def test_broadband_goes_to_the_named_operator(decide):
    d = decide("海淀区学院路街道，联通宽带从昨天开始一直断网，报修了没人来")
    assert lead(d).type == "enterprise" and lead(d).name == "中国联通北京市分公司"


def test_broadband_without_an_operator_waits_for_a_person(decide):
    d = decide("海淀区学院路街道，家里宽带从昨天开始一直断网，报修了没人来")
    assert lead(d).type == "enterprise"
    assert d.needs_review
    assert any("未说明运营商" in r for r in d.reasons)


def test_street_light_is_territorial(decide):
    d = decide("石景山区鲁谷街道，我们这条路的路灯坏了一个多月了，晚上一片漆黑没法走。")
    assert lead(d).type == "subdistrict" and lead(d).name.startswith("鲁谷街道")
    assert ("department", "assist") in [(u.type, u.role) for u in d.units]


def test_department_matter_without_a_district_goes_to_the_city_bureau(decide):
    d = decide("我去年住院花了三万，医保报销下来才一万出头，医院说比例就这样，我觉得算错了，要求重新核算")
    assert lead(d) is not None and lead(d).name == "北京市医疗保障局"
    assert d.lead_probability is not None


def test_units_pushing_it_back_and_forth_go_to_the_district_government(decide):
    d = decide("通州区宋庄镇村里的路被大车压坏了，找镇里说归区里，找交通局说归镇里，互相推诿，希望区政府协调。")
    assert lead(d).type == "district_gov" and lead(d).role == "coordinate"
    assert d.needs_review


def test_gate_reason_names_the_lead_units_probability(decide):
    d = decide("朝阳区望京街道花家地社区楼下垃圾桶满了好几天没人清运")
    assert d.lead_probability >= 0.7
    assert any("主办单位正确的概率" in r and "准确率目标97%" in r for r in d.reasons)
    gate = d.auto_dispatch
    assert d.needs_review == (gate["probability"] < gate["threshold"])


def test_self_labelled_kind_and_emergency_kind(decide):
    assert decide("来电人举报：小区里有人私搭乱建，占了消防通道").kind == "report"
    assert decide("提个建议：地铁站口多放几个共享单车停放点").kind == "suggestion"
    d = decide("救命！楼下着火了，火苗子都窜到三楼了，快来人！朝阳区望京街道")
    assert d.disposition == "emergency" and d.kind == "help"
