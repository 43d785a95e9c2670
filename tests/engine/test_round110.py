"""Round 110 (R11.2, R12.3): a request that names no place still says which type of unit will
lead, so that the call-taker knows whom it is for while asking where. Own wordings, none taken
from a labelled set."""

import json


def test_a_broken_streetlight_with_no_address_is_for_a_township_office(decide_by_rules):
    decision = decide_by_rules("我家楼下那盏路灯坏了快一个月了，晚上黑乎乎的，老人出门不敢走，麻烦派人修一下。")
    assert decision.disposition == "dispatch" and decision.units == (), decision.reasons
    assert decision.district is None and decision.needs_review
    out = decision.to_json()
    assert out["lead_unit_type"] == "subdistrict"
    assert any("请向诉求人问明地点后派单" in r for r in decision.reasons), decision.reasons
    json.dumps(out, ensure_ascii=False)


def test_a_placed_request_reports_its_lead_s_own_type(decide_by_rules):
    decision = decide_by_rules("朝阳区望京街道花家地北里小区物业不作为，电梯坏了半个月没人修。")
    assert decision.lead is not None
    assert decision.to_json()["lead_unit_type"] == decision.lead.type
    assert not any("请向诉求人问明地点后派单" in r for r in decision.reasons)


def test_what_is_not_dispatched_has_no_lead_type(decide):
    for text in ("楼下着火了，火苗都窜到三楼了，快来人！", "朋友借了我五万块钱两年不还，你们帮我要回来。"):
        decision = decide(text)
        assert decision.disposition != "dispatch", decision.reasons
        assert decision.to_json()["lead_unit_type"] is None


def test_the_unplaced_type_follows_a_compound_cue(engine):
    """A matter the catalog gives to a department is the township's inside a compound, wherever
    that compound turns out to be (as Router.route decides once the place is known)."""
    router = engine.router
    index = next(iter(engine._catalog_index.values()))
    departmental = [
        code
        for code in sorted(router.compound.matters)
        if (entry := index.get((code, "subdistrict")) or index.get((code, "district"))) is not None
        and entry.lead.kind != "subdistrict_office"
    ]
    assert departmental, "the compound lexicon names matters the catalog gives to departments"
    matter = engine.rules.matter(departmental[0])
    outside = router.unplaced_type(matter, index, "路边的问题一直没人管")
    inside = router.unplaced_type(matter, index, "我们小区里的问题一直没人管")
    assert outside is not None and outside[0] != "subdistrict"
    assert inside is not None and inside[0] == "subdistrict"
    assert inside[1].endswith("主办单位") and outside[1].endswith("主办单位")


def test_every_engine_type_has_a_name_for_people():
    """The reasons and the call-taker's panel show a type in words, never its code."""
    from jiesu.engine.units import ENGINE_TYPE, TYPE_NAMES
    from jiesu.orders.templatetags.orders_extras import lead_type_label

    assert set(ENGINE_TYPE.values()) <= set(TYPE_NAMES)
    assert all(lead_type_label(t) != t for t in ENGINE_TYPE.values())
