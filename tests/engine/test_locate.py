"""Locating a request in Beijing's divisions (R12)."""

import pytest

from jiesu.engine.locate import Landmark, Locator, resolve_landmarks
from jiesu.engine.places import beijing_divisions


@pytest.fixture(scope="module")
def locator(engine):
    return engine.locator


@pytest.mark.parametrize(
    "text, district, town, community",
    [
        ("朝阳区望京街道花家地社区", "朝阳区", "望京街道", "花家地社区"),
        ("朝阳望京这边", "朝阳区", "望京街道", None),
        ("海淀区八里庄街道恩济里社区", "海淀区", "八里庄街道", "恩济里社区"),
        ("东城区和平里街道和平里社区", "东城区", "和平里街道", "和平里社区"),
        ("朝阳门那边", "东城区", "朝阳门街道", None),  # the longer name wins over 朝阳
        ("大兴区旧宫", "大兴区", "旧宫地区", None),
        ("我在国贸上班", "朝阳区", "建外街道", None),  # admin landmark
        ("天通苑小区", "昌平区", None, None),  # landmark known only to district level
        ("通州区", "通州区", None, None),
    ],
)
def test_r12_full_short_community_and_landmark_names(locator, text, district, town, community):
    loc = locator.locate(text)
    assert (loc.district and loc.district.name) == district
    assert (loc.subdistrict and loc.subdistrict.name) == town
    assert (loc.community and loc.community.name) == community
    assert not loc.ambiguous


def test_r12_a_name_in_two_districts_is_ambiguous_without_other_clues(locator):
    loc = locator.locate("八里庄街道有人乱停车")
    assert loc.ambiguous and loc.district is None
    assert set(loc.candidates) == {"朝阳区", "海淀区"}


@pytest.mark.parametrize(
    "text, district",
    [
        ("朝阳区八里庄街道", "朝阳区"),
        ("海淀区八里庄", "海淀区"),
        ("八里庄街道恩济里社区", "海淀区"),  # a community only one of them has settles it
    ],
)
def test_r12_other_clues_settle_a_shared_name(locator, text, district):
    loc = locator.locate(text)
    assert not loc.ambiguous and loc.district.name == district


def test_r12_two_towns_of_one_name_in_one_district_leave_the_town_open(locator):
    loc = locator.locate("丰台区卢沟桥那边")
    assert loc.district.name == "丰台区" and loc.subdistrict is None
    assert loc.ambiguous and len(loc.candidates) == 2


def test_r12_generic_words_are_not_places(locator):
    for text in ("河北燕郊的房子", "光明正大地说", "胜利在望"):
        assert locator.locate(text).subdistrict is None


def test_r12_no_place(locator):
    loc = locator.locate("楼上漏水没人管")
    assert loc.district is None and not loc.ambiguous and loc.reasons


def test_r12_admin_landmarks_are_data():
    divisions = beijing_divisions()
    [lm] = resolve_landmarks([{"name": "金隅大厦", "district": "海淀区", "subdistrict": "上地街道"}], divisions)
    loc = Locator(divisions, [lm]).locate("金隅大厦门口")
    assert loc.subdistrict.name == "上地街道"
    assert Landmark.from_dict(lm.to_dict()) == lm
    with pytest.raises(ValueError, match="火星区"):
        resolve_landmarks([{"name": "x", "district": "火星区"}], divisions)


@pytest.mark.parametrize(
    "text, district, town",
    [
        ("北京儿童医院门口停车太贵", "西城区", None),  # the shipped gazetteer (rules.default_landmark_rows)
        ("首都图书馆周末闭馆太早", "朝阳区", None),
        ("北京南站出站打车不打表", "丰台区", None),
        ("北大东门外的路灯坏了", "海淀区", "燕园街道"),  # a two-character landmark as a word of its own
    ],
)
def test_r12_well_known_places_callers_name_instead_of_an_address(locator, text, district, town):
    loc = locator.locate(text)
    assert (loc.district and loc.district.name, loc.subdistrict and loc.subdistrict.name) == (district, town)


def test_r12_a_two_character_landmark_inside_another_word_names_no_place():
    divisions = beijing_divisions()
    landmarks = resolve_landmarks([{"name": "北大", "district": "海淀区", "subdistrict": "燕园街道"}], divisions)
    from jiesu.engine.text import WordCuts

    locator = Locator(divisions, landmarks, cuts=WordCuts(["北大", "北大荒"]))
    assert locator.locate("北大东门外").subdistrict.name == "燕园街道"
    assert locator.locate("超市把北大荒大米的价格标错了").district is None
