"""Round 43 (R6.1): a township's short name that is also a common word (古城, 中仓, 石园, 新华,
永定) is kept out of the locator alone, and names the township when its own district stands right
before it, unless a street, a river or an estate is named with it. Own wordings, none taken from a
labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, district, subdistrict",
    [
        ("通州中仓这片儿的老小区，楼道里的灯坏了一个月没人修", "通州区", "中仓街道"),
        ("顺义区石园那边的菜市场门口天天占道经营", "顺义区", "石园街道"),
        ("石景山古城这块的公交站牌被撞歪了，一直没人扶", "石景山区", "古城街道"),
        ("门头沟永定这边新开的小区，物业收费不公示", "门头沟区", "永定地区"),
        # A street, a river and an estate named with the stem are no township.
        ("通州新华大街上的井盖松了，车一过就哐哐响", "通州区", None),
        ("门头沟永定河边上有人倒建筑垃圾", "门头沟区", None),
        ("大兴清源路的路灯晚上全不亮", "大兴区", None),
        # Without its district the common word stays a common word.
        ("我们去古城玩的时候发现景区厕所太脏", None, None),
    ],
)
def test_a_common_word_township_name_needs_its_district_before_it(decide_by_rules, text, district, subdistrict):
    decision = decide_by_rules(text).to_json()
    assert (decision["district"], decision["subdistrict"]) == (district, subdistrict), decision["reasons"]


def test_a_locator_without_word_cuts_still_reads_a_street_as_no_township():
    from jiesu.engine.locate import Locator
    from jiesu.engine.places import beijing_divisions
    from jiesu.engine.rules import RuleSet

    stop = RuleSet.from_defaults().lexicons["locate_stop_aliases"]
    locator = Locator(beijing_divisions(), stop_aliases=stop)
    assert locator.locate("通州新华大街上的井盖松了").subdistrict is None
    assert locator.locate("通州中仓这片儿的老小区").subdistrict.name == "中仓街道"
