"""Rules as data: taxonomy, catalog versions, time limits, lexicons (R11.4, R13.1)."""

import json
from dataclasses import replace
from datetime import date

import pytest

from jiesu.engine.rules import Catalog, CatalogEntry, RuleSet, UnitRef, default_taxonomy
from jiesu.engine.units import DEPARTMENT_SECTORS, ENTERPRISE_SECTORS


def test_r11_4_defaults_round_trip_through_json():
    rules = RuleSet.from_defaults()
    again = RuleSet.from_dict(json.loads(json.dumps(rules.to_dict(), ensure_ascii=False)))
    assert again == rules


def test_r11_2_taxonomy_has_three_levels_and_150_leaves():
    rules = RuleSet.from_defaults()
    assert len(rules.matters) >= 150
    for m in rules.matters:
        assert len(m.path) == 2 and all(m.path) and m.name
        assert m.code.isascii() and m.code.count(".") == 2
        assert m.keywords, m.code
    tax = default_taxonomy()
    leaves = [leaf for l1 in tax["levels"] for l2 in l1["children"] for leaf in l2["matters"]]
    assert all("default_route" in leaf and leaf["default_route"]["lead"] for leaf in leaves)


def test_r11_4_every_catalog_entry_names_a_known_matter_and_sector():
    rules = RuleSet.from_defaults()
    codes = {m.code for m in rules.matters}
    sectors = {k for k, *_ in DEPARTMENT_SECTORS} | {k for k, _ in ENTERPRISE_SECTORS}
    catalog = rules.catalog_at(date(2025, 6, 1))
    assert {e.matter for e in catalog.entries} == codes
    for e in catalog.entries:
        for ref in (e.lead, *e.assist):
            assert not ref.sector or ref.sector in sectors, (e.matter, ref)
        assert e.lead.kind != "community_committee"  # R17.1


def test_r11_4_catalog_version_selected_by_effective_date():
    rules = RuleSet.from_defaults()
    v1 = rules.catalog_at()
    entries = tuple(
        replace(e, lead=UnitRef("district_gov")) if e.matter == "urban.property.service" else e for e in v1.entries
    )
    v2 = Catalog("2026.1", date(2026, 3, 1), entries, "物业服务改由区政府统筹")
    rules2 = replace(rules, catalogs=(v1, v2))
    assert rules2.catalog_at(date(2026, 2, 28)).version == v1.version
    assert rules2.catalog_at(date(2026, 3, 1)).version == "2026.1"
    assert rules2.catalog_at(date(2020, 1, 1)).version == v1.version
    assert rules2.catalog_at(version="2026.1") is v2
    with pytest.raises(KeyError):
        rules2.catalog_at(version="nope")


def test_r13_1_time_limits_per_kind():
    rules = RuleSet.from_defaults()
    general = rules.time_limit("general")
    assert general.limits_for("consultation")[1].amount < general.limits_for("complaint")[1].amount
    assert rules.time_limit("utility_urgent").completion.unit == "natural_hours"


def test_bad_rule_data_names_the_problem():
    d = RuleSet.from_defaults().to_dict()
    d["matters"][0]["time_limit"] = "nope"
    with pytest.raises(ValueError, match="nope"):
        RuleSet.from_dict(d)
    with pytest.raises(ValueError, match="level"):
        CatalogEntry.from_dict({"matter": "x", "level": "street", "lead": {"kind": "district_gov"}})
    with pytest.raises(ValueError, match="unit"):
        RuleSet.from_dict(
            {
                **RuleSet.from_defaults().to_dict(),
                "time_limits": [
                    {
                        "code": "general",
                        "response": {"amount": 1, "unit": "weeks"},
                        "completion": {"amount": 1, "unit": "working_days"},
                    }
                ],
            }
        )
