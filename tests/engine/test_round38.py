"""Round 38 of the rules (R2.3, R11.3): what set s showed. Someone flung against a wall in a fight
is no traffic collision; ransacking heard in an empty flat is a burglary; news quoted in a
suggestion is no fire; asking for connections, for a record deleted or for a false report, and
threatening to paint an official's door are unlawful; a sick pet is out of scope; a caller locked
out who says nobody inside is hurt is no emergency. Own wordings, none taken from a labelled set;
the rules are judged without the reader."""

import pytest


@pytest.mark.parametrize(
    "text, line",
    [
        ("楼上两口子打架，女的喊救命，刚才砰的一声好像把人往墙上撞，这会儿没声了，敲门也不开", "110"),
        ("对门那家人出远门了，可我刚才看见屋里有手电光，还听见翻箱倒柜的动静，人应该还在里面", "110"),
    ],
)
def test_the_line_of_what_is_happening(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "建议小区多装几个电动车充电柜，新闻上电池起火的事太多了，防患于未然",
        "我钥匙落屋里了，屋里没人，人没事儿，就是进不去门，能帮我找个开锁的吗",
    ],
)
def test_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text, disposition",
    [
        ("我儿子想进那个重点中学，你们有没有门路帮忙说说？好处少不了", "unlawful"),
        ("那个城管队长欺负我，告诉我他住哪个小区，我去他家门口泼点红漆", "unlawful"),
        ("邻居跟我有仇，你们帮我给派出所打电话，就说他偷了我家电动车，让警察把他抓起来", "unlawful"),
        ("我家狗狗这两天一直拉稀，吃什么药好啊？", "out_of_scope"),
    ],
)
def test_special_cases(decide_by_rules, text, disposition):
    decision = decide_by_rules(text)
    assert decision.disposition == disposition, decision.reasons


def test_a_pet_hospital_complaint_is_no_pet_care_question(decide_by_rules):
    text = "朝阳区一家宠物医院给我家猫看拉稀，收了三千多，猫还是不吃不喝，要求市场监管部门查查乱收费"
    assert decide_by_rules(text).disposition == "dispatch"
