"""Village matters in a township are the township government's to lead (lexicons
`rural_township`); the same matter in a town street or without a village keeps the catalog's
route (issue 11, round 22)."""

from jiesu.engine.route import RuralRouter
from jiesu.engine.rules import RuleSet


def lead(d):
    return next((u for u in d.units if u.role in ("lead", "coordinate")), None)


def test_village_cue_is_a_word_not_part_of_a_place_name():
    router = RuralRouter(RuleSet.from_defaults().lexicons["rural_township"])
    assert router.village_cue("我们村口那条路坏了") is not None
    assert router.village_cue("村民反映井水有怪味") == "村民"
    assert router.village_cue("中关村里那家公司的排污管") is None
    assert router.village_cue("度假村旁边的河") is None


def test_farmland_built_on_in_a_village_goes_to_the_township(decide):
    d = decide("通州区漷县镇，我们村有人在承包的耕地上盖了一排彩钢房出租，占用耕地没人管。")
    assert lead(d).type == "subdistrict" and lead(d).name.startswith("漷县镇")
    assert ("department", "assist") in [(u.type, u.role) for u in d.units]
    assert any("乡镇政府主办" in r for r in d.reasons)


def test_village_well_water_goes_to_the_township(decide):
    d = decide("怀柔区渤海镇某村，村里自己打的井供水，水泵坏了全村停水两天了，村委会说报了镇里。")
    assert lead(d).type == "subdistrict"


def test_same_matter_in_a_town_street_keeps_the_catalog_route(decide):
    d = decide("海淀区学院路街道，小区门口马路上路面塌陷了一个大坑，晚上骑车很危险。")
    assert lead(d).type == "department"
