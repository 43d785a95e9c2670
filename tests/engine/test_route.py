"""Routing through the dispatch catalog (R11.2, R11.4, R12.1, R12.2, R17.1)."""

from dataclasses import replace
from datetime import date

from jiesu.engine import Engine
from jiesu.engine.rules import Catalog, RuleSet, UnitRef
from jiesu.engine.units import DISTRICT_GOV, UnitSpec


def roles(d):
    return [(u.type, u.role) for u in d.units]


def test_r12_1_township_lead_adds_community_assist_and_district_supervision(decide):
    # One problem, named alike by the rules and the reader: nothing but the calibrated
    # auto-dispatch gate (round 23) can hold it for review.
    d = decide("朝阳区望京街道花家地社区楼下垃圾桶满了好几天没人清运")
    assert roles(d) == [("subdistrict", "lead"), ("community", "assist"), ("district_gov", "supervise")]
    assert [u.name for u in d.units] == ["望京街道办事处", "花家地社区居民委员会", "北京市朝阳区人民政府"]
    assert all(u.code for u in d.units)
    gate = d.auto_dispatch
    assert not gate["held_for_other_reasons"]
    assert d.needs_review == (gate["threshold"] is None or gate["probability"] < gate["threshold"])


def test_r17_1_community_assists_only_matters_on_its_duty_list(decide):
    d = decide("朝阳区望京街道花家地社区，小区电梯坏了困梯")
    assert ("community", "assist") not in roles(d)
    # A lift in a compound: the township office leads, the department assists (round 23).
    assert roles(d)[:2] == [("subdistrict", "lead"), ("department", "assist")]


def test_r11_2_district_department_lead(decide):
    d = decide("丰台区一家装修公司老板拖欠工资三个月")
    assert roles(d) == [("department", "lead")]
    assert d.units[0].name == "丰台区人力资源和社会保障局"


def test_r11_2_department_lead_with_township_assist(decide):
    d = decide("海淀区上地街道，路面塌陷了一个大坑")
    assert roles(d) == [("department", "lead"), ("subdistrict", "assist")]


def test_r19_1_enterprise_lead_needs_no_place(decide):
    d = decide("家里停水两天了")
    assert roles(d) == [("enterprise", "lead")] and d.district is None


def test_r22_1_central_units_and_r21_1_neighbour_hotlines(decide):
    assert roles(decide("我们住的是部委宿舍，央产房的物业没人管"))[0] == ("central", "lead")
    assert roles(decide("我在燕郊住，希望河北那边协调进京检查站排队"))[0] == ("neighbour_hotline", "lead")


def test_r12_2_district_known_no_unit_district_government_coordinates(decide):
    d = decide("朝阳区有个小区物业服务太差了，保洁不到位")
    assert roles(d) == [("district_gov", "coordinate")]
    assert d.due_at and d.needs_review
    assert any("R12.2" in r for r in d.reasons)


def test_r12_3_neither_place_nor_unit_goes_to_the_dispatcher(decide):
    d = decide("我们小区的物业不管事，也没人打扫卫生")
    assert d.units == () and d.needs_review and d.due_at is None
    assert any("人工派单" in r for r in d.reasons)


def test_r12_2_missing_unit_in_the_directory_falls_back_to_district_government(engine):
    units = [u for u in engine.router.units if u.kind != "subdistrict_office"]
    e = Engine(engine.rules, engine.locator.by_code.values(), units)
    d = e.decide({"id": "x", "text": "朝阳区望京街道物业不管", "received_at": "2025-12-01T10:00:00"})
    assert roles(d) == [("district_gov", "coordinate")]


def test_r11_4_new_catalog_version_changes_routing_from_its_effective_date(engine):
    rules = engine.rules
    v1 = rules.catalog_at()
    entries = tuple(
        replace(e, level="district", lead=UnitRef("district_department", "housing"), assist=())
        if e.matter == "urban.property.service"
        else e
        for e in v1.entries
    )
    rules2 = replace(rules, catalogs=(v1, Catalog("2026.1", date(2026, 3, 1), entries)))
    e = Engine(rules2, engine.locator.by_code.values(), engine.router.units)
    text = "朝阳区望京街道物业不管事"
    before = e.decide({"id": "a", "text": text, "received_at": "2026-02-28T10:00:00"})
    after = e.decide({"id": "b", "text": text, "received_at": "2026-03-02T10:00:00"})
    assert before.catalog_version == v1.version and before.units[0].type == "subdistrict"
    assert after.catalog_version == "2026.1" and after.units[0].name == "朝阳区住房和城乡建设委员会"
    assert after.to_record()["catalog_version"] == "2026.1"


def test_router_works_on_plain_unit_records(engine):
    mini = [UnitSpec("dg-110105", "北京市朝阳区人民政府", DISTRICT_GOV, place_code="110105", district_code="110105")]
    e = Engine(RuleSet.from_defaults(), engine.locator.by_code.values(), mini)
    d = e.decide({"id": "x", "text": "朝阳区望京街道物业不管", "received_at": "2025-12-01T10:00:00"})
    assert [(u.code, u.role) for u in d.units] == [("dg-110105", "coordinate")]
