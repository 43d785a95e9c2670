"""Round 89 (R2.3, R11.3): what sets di and dj showed. Own wordings, none taken from a labelled
set."""

import pytest


@pytest.mark.parametrize(
    "text, line",
    [
        # Smoke smelt and a glow behind the windows: a fire, even with nobody answering the door.
        ("楼下那家一股烟味儿往上飘，屋里透出一片红光，敲了半天门没人开，快来人看看。", "119"),
        # A tool that slipped is an injury, not an attack.
        ("我老伴在院子里砍柴，斧头一滑砍到脚面上了，血止不住，一直往外流。", "120"),
        # A fall from a height with the person hurt now.
        ("我家老人从梯子上摔下来了，躺在地上起不来，腰那块疼得直叫，朝阳区双井这边。", "120"),
    ],
    ids=["glow-and-smoke", "axe-slipped", "fell-from-ladder"],
)
def test_what_is_under_way_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Wind, not a vehicle, knocked the fence over.
        "昨晚大风把小区门口的铁栅栏刮倒了，今天还歪在人行道上，走路得绕着，请来修一下。",
        # "在背后捅刀子" is betrayal, not a knife.
        "单位同事总在领导面前背后捅刀子，说我坏话，我想问问这种情况劳动部门管不管。",
        # What fell from a balcony is a thing, not a person.
        "楼上阳台的花盆掉下来了，摔碎在楼下，幸好没砸着人，请物业提醒一下住户。",
    ],
    ids=["wind-knocked-over", "backstabbing-idiom", "flowerpot-fell"],
)
def test_the_same_words_in_another_sense_are_not(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "我开培训机构的，想从你们这弄一份咱们区学生的名单，最好带家长电话，辛苦费我给。",
        "你们那儿应该有孕妇名单吧，能不能发我一份，要有手机号的，我给你们好处费。",
    ],
    ids=["pupils-list-for-a-fee", "mothers-list-for-a-fee"],
)
def test_a_fee_offered_for_others_data_is_the_privacy_case(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "secret_privacy", decision.reasons


def test_a_fee_offered_for_another_favour_stays_unlawful(decide_by_rules):
    decision = decide_by_rules("我家的违建上了拆除名单，你们帮我把名字去掉，我给你们辛苦费。")
    assert decision.disposition == "unlawful", decision.reasons
