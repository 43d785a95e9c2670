"""Round 42 (R6.1): more landmarks of Beijing place a request by its district: the palace museum,
the square, hospitals, stations and parks; a name inside a longer one of another place (the
Miyun 鼓楼大街, 雾灵山) is left out. Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, district",
    [
        ("故宫东华门外面有人拉游客坐黑三轮，一趟要两百", "东城区"),
        ("复兴门桥底下的过街通道灯全坏了，晚上黑咕隆咚的", "西城区"),
        ("国家大剧院北边那个公交站的站牌被撞歪了", "西城区"),
        ("未来科学城那边的园区门口没有公交站，上下班打不着车", "昌平区"),
        ("友谊医院通州院区门口的停车场天天排长队", "通州区"),
        ("密云水库边上有人偷着钓鱼还在岸边烧烤", "密云区"),
    ],
)
def test_landmarks_place_the_request_in_its_district(decide_by_rules, text, district):
    assert decide_by_rules(text).to_json()["district"] == district


def test_a_mountain_whose_name_holds_a_landmark_does_not_move_the_request(decide_by_rules):
    text = "密云区新城子镇去雾灵山那条路两边光秃秃的，建议补种点树"
    assert decide_by_rules(text).to_json()["district"] == "密云区"
