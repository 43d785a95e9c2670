"""Which type of unit leads: the catalog's route weighed against the reader's lead-type model
(`jiesu.engine.leadtype`, issue 11 rounds 24 and 107). Where the chooser puts another type first
and a unit of that type can be named at the place, that unit is proposed, the catalog's lead
assists and is offered back, and the order waits for a dispatcher; a replay under a named catalog
keeps the catalog's own leads. A chooser fitted for another reader is not used."""

import json
import shutil

import pytest

from jiesu.engine import Engine
from jiesu.engine.leadtype import FILE_NAME, TYPES, TypeChooser, fit
from jiesu.engine.reader import DEFAULT_DIR, Reader
from jiesu.engine.route import CompoundRouter
from jiesu.engine.rules import RuleSet

AT = "2025-12-01T10:00:00+08:00"


def lead(d):
    return next((u for u in d.units if u.role in ("lead", "coordinate")), None)


def _always(kind: str) -> TypeChooser:
    """A chooser that puts one type first whatever it is shown (the mechanics, not the fit)."""
    return TypeChooser(TYPES, tuple((0.0,) * 24 for _ in TYPES), tuple(8.0 if t == kind else 0.0 for t in TYPES))


@pytest.fixture(scope="module")
def shipped():
    reader = Reader.load(DEFAULT_DIR)
    if reader.lead_type_model is None:
        pytest.skip("the shipped reader has no lead-type model")
    return reader


def _engine(reader, chooser):
    return Engine.from_defaults(reader=reader.with_lead_type(reader.lead_type_model, chooser, None))


def _decide(engine, text):
    return engine.decide({"id": "t", "text": text, "received_at": AT})


def test_fit_learns_where_the_model_beats_the_route():
    # The route says department; the model is right whenever it is sure of the township office.
    rows = []
    for i in range(200):
        sure = i % 2 == 0
        p = {"subdistrict": 0.9 if sure else 0.1, "department": 0.1 if sure else 0.9, "enterprise": 0.0}
        rows.append(("department", p, "subdistrict" if sure else "department"))
    chooser = fit(rows)
    probs = chooser.probabilities("department", {"subdistrict": 0.9, "department": 0.1})
    assert abs(sum(probs.values()) - 1.0) < 1e-9
    assert max(probs, key=probs.get) == "subdistrict"
    probs = chooser.probabilities("department", {"subdistrict": 0.1, "department": 0.9})
    assert max(probs, key=probs.get) == "department"


def test_a_chooser_for_another_reader_is_ignored(tmp_path, shipped):
    reader_dir = tmp_path / "reader"
    shutil.copytree(DEFAULT_DIR, reader_dir)
    chooser = _always("subdistrict")
    (reader_dir / FILE_NAME).write_text(
        json.dumps({**chooser.to_dict(), "info": {"reader_version": "other"}}), encoding="utf-8"
    )
    assert Reader.load(reader_dir).type_chooser is None
    info = {"reader_version": shipped.version}
    (reader_dir / FILE_NAME).write_text(json.dumps({**chooser.to_dict(), "info": info}), encoding="utf-8")
    loaded = Reader.load(reader_dir).type_chooser
    assert loaded is not None and loaded.coef == chooser.coef and loaded.intercept == chooser.intercept


def test_the_chooser_proposes_the_township_office_and_a_dispatcher_decides(shipped):
    text = "海淀区学院路街道，成府路上的便道砖翘起来一大片，老人走路总绊脚，请尽快修补。"
    before = _decide(_engine(shipped, _always("department")), text)
    after = _decide(_engine(shipped, _always("subdistrict")), text)
    assert before.matter_code == after.matter_code
    assert lead(before).type == "department"
    # The township office is proposed; the catalog's lead assists and is offered back.
    assert lead(after).type == "subdistrict" and "学院路" in lead(after).name
    assert after.needs_review
    assert any("按北京属地管理惯例" in r and f"目录所定{lead(before).name}协办" in r for r in after.reasons)
    assisting = {u.code for u in after.units if u.role == "assist"}
    assert lead(before).code in assisting
    advice = after.to_record()["lead_advice"]
    assert advice["catalog"] and advice["code"] == lead(before).code and advice["type"] == "department"
    # Sure of the proposed type, so the gate would weigh it as likely right; a person still decides.
    assert after.to_record()["auto_dispatch"]["features"]["logit_type"] > 0


def test_a_replay_under_a_named_catalog_keeps_the_catalog_lead(shipped):
    text = "海淀区学院路街道，成府路上的便道砖翘起来一大片，老人走路总绊脚，请尽快修补。"
    engine = _engine(shipped, _always("subdistrict"))
    version = engine.rules.catalog_at(None).version
    d = engine.decide({"id": "t", "text": text, "received_at": AT}, catalog_version=version)
    assert lead(d).type == "department" and d.needs_review
    assert any("可改派学院路" in r for r in d.reasons)
    advice = d.to_record()["lead_advice"]
    assert not advice["catalog"] and advice["type"] == "subdistrict"


def test_without_a_known_township_the_route_stands(shipped):
    text = "成府路上的便道砖翘起来一大片，老人走路总绊脚，请尽快修补。"
    plain = _decide(_engine(shipped, _always("department")), text)
    chosen = _decide(_engine(shipped, _always("subdistrict")), text)
    assert (lead(chosen) and lead(chosen).code) == (lead(plain) and lead(plain).code)
    assert not any("改派" in r or "改由" in r for r in chosen.reasons)
    assert chosen.to_record()["lead_advice"] is None


def test_the_district_government_coordinates_with_the_catalog_units_assisting(shipped):
    text = "朝阳区望京街道，阜通东大街的路灯一到晚上就不亮。"
    plain = _decide(_engine(shipped, _always("subdistrict")), text)
    d = _decide(_engine(shipped, _always("district_gov")), text)
    if lead(plain).type == "district_gov":
        pytest.skip("the catalog already sends this to the district government")
    assert lead(d).name == "北京市朝阳区人民政府" and lead(d).role == "coordinate" and d.needs_review
    assert lead(plain).code in {u.code for u in d.units if u.role == "assist"}
    assert any("区政府" in r and "已改由北京市朝阳区人民政府" in r for r in d.reasons)


def test_a_department_on_the_route_is_proposed(shipped):
    # A lift in a compound: the township office leads, the market regulator assists (compound router).
    text = "丰台区方庄地区芳群园一区，我们小区那栋楼的电梯一周坏三回，物业一直拖着不修。"
    base = _decide(_engine(shipped, _always("subdistrict")), text)
    assisting = [u for u in base.units if u.role == "assist" and u.type == "department"]
    if lead(base).type != "subdistrict" or not assisting:
        pytest.skip("the route has no assisting department here")
    d = _decide(_engine(shipped, _always("department")), text)
    assert lead(d).code == assisting[0].code and d.needs_review
    assert lead(base).code in {u.code for u in d.units if u.role == "assist"}
    assert d.to_record()["lead_advice"]["code"] == lead(base).code


def test_school_placement_words_are_not_a_call_for_the_district(decide):
    d = decide("海淀区学院路街道，孩子明年上小学，我们房子刚过户，会不会被统筹到别的学校去？")
    assert lead(d) is None or lead(d).type != "district_gov" or lead(d).role != "coordinate"
    assert not any("请区里统筹" in r for r in d.reasons)
    d = decide("朝阳区望京街道，小区外那条路修了三年没通，交通局说归街道，街道说归交通局，希望区里统筹解决。")
    assert any("请区里统筹" in r for r in d.reasons)


def test_illegal_building_in_a_historic_area_is_the_township_offices(decide):
    # Beijing's rules on illegal construction make it the territorial office's to stop; the
    # heritage bureau assists.
    d = decide("西城区什刹海街道，烟袋斜街边上一个老院子私自加盖了一层，历史文化街区里这么干没人管吗？")
    assert d.matter_code == "culture.heritage.protection"
    assert lead(d).type == "subdistrict" and lead(d).name.startswith("什刹海")
    assert ("department", "assist") in [(u.type, u.role) for u in d.units]
    assert any("违法建设" in r for r in d.reasons)


def test_building_words_are_territorial_cues():
    lexicons = RuleSet.from_defaults().lexicons
    construction = CompoundRouter(lexicons["construction_township"])
    assert construction.village_cue("老院子私自加盖了一层") == "私自加盖"
    assert construction.village_cue("故宫的文物保护修缮什么时候完工") is None
