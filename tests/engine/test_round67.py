"""Round 67 (R2.3, R11.3): what sets bm and bn showed. Own wordings, none taken from a labelled
set."""

import pytest

from jiesu.engine.text import enumeration_only


def test_a_lost_parent_found_again_is_no_emergency(decide_by_rules):
    # The rules' pair ("我爸…走丢了") is held when either word's next clause says it is over.
    text = "我爸有点糊涂，中午一个人出去走丢了，傍晚派出所帮着找着了，能不能给他配个定位手环？"
    assert decide_by_rules(text).disposition != "emergency"


def test_a_parent_lost_now_still_goes_to_110(decide_by_rules):
    text = "我爸有点糊涂，中午一个人出去走丢了，到现在还没找着，手机也没带，快帮帮忙。"
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


def test_exposing_someone_through_a_list_of_his_details_is_unlawful(decide_by_rules):
    text = "我想把那个中介的照片、电话、家里地址都曝光出去，让他在这片混不下去，怎么弄？"
    assert decide_by_rules(text).disposition == "unlawful"


def test_a_victim_whose_details_were_exposed_is_dispatched(decide_by_rules):
    text = "我的照片、电话、家庭住址都被人曝光出去了，天天有人打电话骚扰我，怎么办？"
    assert decide_by_rules(text).disposition != "unlawful"


def test_watching_an_officials_way_home_is_a_threat(decide_by_rules):
    text = "把昨天罚我款那个交警的名字告诉我，我知道他下班走哪条路，你们不管我自己解决。"
    assert decide_by_rules(text).disposition == "unlawful"


@pytest.mark.parametrize(
    "gap, joined",
    [("、孩子学校都", True), ("、", True), ("，孩子学校都", False), ("。", False), ("都", True)],
)
def test_only_a_list_mark_joins_two_clauses(gap, joined):
    assert enumeration_only(gap) is joined
