"""Round 41 (R6.1, R11.1): well-known Beijing landmarks place a request (hospitals, parks,
stations, malls, streets; a landmark spanning several townships places only the district), and a
consultation about one's own case under review is not answered from the knowledge base. Own
wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, district, subdistrict",
    [
        ("友谊医院门口的黑车天天拉客，堵着救护车的道", "西城区", None),
        ("天坛公园东门外的早市占了半条马路", "东城区", "天坛街道"),
        ("西红门荟聚地下车库的出口总是排长队，收费也不透明", "大兴区", "西红门地区"),
        ("北医三院对面的人行道被共享单车堵死了", "海淀区", None),
        ("太古里后面的酒吧每天半夜还在外面放音乐", "朝阳区", None),
        ("木樨园批发市场附近的小广告贴得到处都是", "丰台区", None),
    ],
)
def test_landmarks_place_the_request(decide_by_rules, text, district, subdistrict):
    decision = decide_by_rules(text).to_json()
    assert (decision["district"], decision["subdistrict"]) == (district, subdistrict), decision["reasons"]


@pytest.mark.parametrize(
    "text",
    [
        "积分落户申报，我的学历积分审核结果显示不予认定，想问问为什么，要怎么补材料？",
        "在医院看病医保卡刷不了，说我参保状态异常，可单位一直在交，想问是怎么回事？",
    ],
)
def test_own_case_consultations_are_not_answered_from_the_knowledge_base(decide, text):
    assert decide(text).disposition != "answer_directly"
