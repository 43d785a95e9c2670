"""The whole pipeline and its output format (R11.1, R12.3, R13.1, R19.1)."""

import json
from datetime import datetime

import pytest

from jiesu.engine import Engine, Request

KEYS = [
    "id",
    "disposition",
    "emergency_line",
    "kind",
    "matter",
    "district",
    "subdistrict",
    "community",
    "units",
    "lead_unit_type",  # added by round 110: the lead's type, or the type that leads once the place is known
    "response_due",
    "due_at",
    "needs_review",
    "reasons",
]


def test_to_json_has_exactly_the_decide_format(decide):
    out = decide("朝阳区望京街道花家地社区物业不管", id="42").to_json()
    assert list(out) == KEYS
    assert out["id"] == "42" and set(out["matter"]) == {"code", "name", "confidence"}
    assert all(set(u) == {"name", "type", "role"} for u in out["units"])
    assert out["due_at"].endswith("+08:00") and out["response_due"].endswith("+08:00")
    json.dumps(out, ensure_ascii=False)
    for special in ("楼下着火了，快来人", "朋友借钱不还"):
        o = decide(special).to_json()
        assert list(o) == KEYS and o["units"] == []


def test_to_record_adds_codes_and_versions(decide):
    rec = decide("朝阳区望京街道物业不管").to_record()
    assert rec["catalog_version"] and rec["district_code"] == "110105"
    assert rec["matter"]["code"] == "urban.property.service"
    assert all(u["code"] and u["due_at"] for u in rec["units"])


def test_r13_1_deadline_over_national_day_2025(decide):
    d = decide("朝阳区望京街道物业不管", received_at="2025-09-30T10:00:00+08:00")
    # general rule: contact within 1 working day, finish within 7 (9, 10, Saturday 11, 13-16 Oct).
    assert d.response_due.isoformat() == "2025-10-09T17:00:00+08:00"
    assert d.due_at.isoformat() == "2025-10-16T17:00:00+08:00"


def test_r19_1_enterprise_counts_natural_hours_during_spring_festival(decide):
    d = decide("家里停水了，朝阳区劲松街道", received_at="2026-02-16T22:00:00+08:00")
    assert d.units[0].type == "enterprise"
    assert d.response_due.isoformat() == "2026-02-17T00:00:00+08:00"
    assert d.due_at.isoformat() == "2026-02-17T22:00:00+08:00"


def test_r19_1_working_day_rule_converted_for_24_7_units(engine):
    # A working-day rule on an always-on lead unit becomes natural hours (1 day -> 24 h).
    # A heating fee charged twice is the company's to answer; "供暖费今年怎么收" alone is a general
    # question the reader answers at once since it learnt from 141 writers' sets.
    text = "我家供暖费多收了一个月的钱，找热力公司说不清楚，请帮忙核实一下。"
    d = engine.decide({"id": "x", "text": text, "received_at": "2026-02-16T10:00:00"})
    assert d.units[0].type == "enterprise"
    assert d.due_at.isoformat() == "2026-02-19T10:00:00+08:00"  # utility_general: 72 natural hours


def test_r13_1_2027_deadline_does_not_fail_and_warns(decide):
    d = decide("朝阳区望京街道物业不管", received_at="2026-12-30T10:00:00+08:00")
    assert d.due_at.isoformat().startswith("2027-01")
    assert d.warnings and any("2027" in r for r in d.reasons)


def test_r11_1_consultation_answered_from_knowledge(decide):
    d = decide("请问居住证怎么办理，需要什么材料？")
    assert d.disposition == "answer_directly" and d.kind == "consultation"
    assert d.answer["title"] == "北京市居住证办理" and d.units == ()


def test_r11_1_consultation_without_an_article_is_dispatched(decide):
    d = decide("请问我们小区什么时候能加装电梯？朝阳区六里屯街道")
    assert d.disposition == "dispatch" and d.kind == "consultation"
    assert any("R11.1" in r for r in d.reasons)


def test_r12_3_low_confidence_or_ambiguous_place_needs_review(decide):
    assert decide("八里庄街道有个工地夜间施工扰民").needs_review
    d = decide("朝阳区望京街道有点事想说一下")
    # No matter, or only the reader's low guess (below the dispatch floor) for a person to weigh.
    assert d.needs_review and (d.matter_code is None or d.matter_confidence < 0.45)


def test_request_validation_names_the_field(engine):
    with pytest.raises(ValueError, match="text"):
        engine.decide({"id": "1", "text": "  "})
    with pytest.raises(ValueError, match="kind"):
        engine.decide({"id": "1", "text": "停水", "kind": "rant"})
    with pytest.raises(ValueError, match="received_at"):
        engine.decide({"id": "1", "text": "停水", "received_at": "yesterday"})


def test_engine_accepts_request_objects_and_default_time(engine):
    d = engine.decide(Request("r1", "家里停电了", "app"))
    assert d.disposition == "dispatch" and d.received_at.utcoffset().seconds == 8 * 3600


def test_a_learned_classifier_plugs_in_behind_the_protocol(engine):
    from jiesu.engine.classify import MatterScore

    class Fixed:
        def rank(self, text, k=3):
            return [MatterScore("labour.wage.arrears", "拖欠工资", 0.9)]

    e = Engine(engine.rules, engine.locator.by_code.values(), engine.router.units, classifier=Fixed())
    d = e.decide({"id": "x", "text": "海淀区有点事", "received_at": "2025-12-01T10:00:00"})
    assert d.matter_code == "labour.wage.arrears" and d.units[0].name == "海淀区人力资源和社会保障局"


def test_r12_3_rules_and_reader_disagree_a_person_chooses(decide):
    # Two problems in one call: the rules' keywords lead with the property company, the reader
    # with the rubbish. Both are offered; where both go to the same township office the order
    # may go out (round 24), where their units differ a person chooses.
    d = decide("朝阳区望京街道花家地社区物业不管，垃圾一个星期没人清")
    offered = [d.matter_code, *(a["code"] for a in d.alternatives)]
    assert {"urban.property.service", "city.sanitation.garbage"} <= set(offered)
    assert any("关键词规则倾向" in r for r in d.reasons)
    assert d.needs_review or any("派单不受影响" in r for r in d.reasons)
    assert not d.needs_review or any("需人工" in r for r in d.reasons)


def test_in_process_deadlines_are_datetimes_and_the_wire_keeps_iso_strings(decide):
    d = decide("朝阳区望京街道物业不管", received_at="2025-09-30T10:00:00+08:00")
    assert isinstance(d.due_at, datetime) and all(isinstance(u.due_at, datetime) for u in d.units)
    out, rec = d.to_json(), d.to_record()
    assert out["response_due"] == "2025-10-09T17:00:00+08:00" and out["due_at"] == "2025-10-16T17:00:00+08:00"
    assert rec["received_at"] == "2025-09-30T10:00:00+08:00"
    assert [(u["response_due"], u["due_at"]) for u in rec["units"]] == [
        (u.response_due.isoformat(), u.due_at.isoformat()) for u in d.units
    ]
    json.dumps(rec)  # the decided event stores it as JSON
