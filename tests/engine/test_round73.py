"""Round 73 (R2.3): emergencies the development sets still held for review, read by the rules.
Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, line",
    [
        # A scrape with the cars left across the lanes is for 122 though nobody is hurt.
        ("我在三环辅路上跟一辆出租车蹭上了，俩车都停在路中间，谁也不挪车，后边全堵了，人都没事。", "122"),
        ("刚才倒车跟一辆面包车剐上了，两辆车现在横在丁字路口，别的车都过不去。", "122"),
        # The stove was lit last night; the family will not wake now.
        ("昨晚屋里点着蜂窝煤炉子睡的，早上起来我头晕得厉害，我爸怎么叫都叫不醒。", "120"),
        # Flames against the sky need no second word.
        ("村东头的木材厂火光冲天，在村口都能看见，快来！", "119"),
        # A stranger at the door of one who lives alone, threatening to break it.
        ("有个不认识的男的一直敲我家门，让我开门，说不开就踹门，我一个人在家。", "110"),
        # Followed home by a man, afraid to go in.
        ("从公交站下来就有个人一直跟着我，拐了两个弯了，我现在不敢上楼，他还在楼下转悠。", "110"),
        # Someone at a roof's edge, legs over it (set cb, after its blind judgement).
        ("隔壁楼天台边上有个小伙子，腿耷拉在外面，一动不动的，我们喊他也不理。", "110"),
    ],
    ids=[
        "scrape-across-lanes",
        "scrape-at-a-junction",
        "stove-last-night",
        "flames-to-the-sky",
        "at-the-door",
        "followed",
        "roof-edge",
    ],
)
def test_what_is_happening_now_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # A scrape settled long ago, and a neighbour who will not move his car.
        "上个月在小区门口跟人蹭上了，对方一直不赔，保险公司也不管，我该找谁？",
        "楼下那辆车天天停在消防通道中间，打电话让他挪车他也不挪车，物业不管。",
        # A stove that only worries the caller.
        "我们村好多老人还烧煤炉子，去年冬天邻村有人中毒叫不醒送医院了，建议镇里给装报警器。",
        # Being followed, told afterwards.
        "上礼拜晚上下班有人一直跟着我到小区门口，当时挺害怕的，建议这条路多装几个路灯。",
        # People at a roof's edge who work or drink there.
        "楼顶边上站着几个工人在做防水，也没系安全绳，太危险了，物业也不管。",
        "我们楼天台边上坐着一帮年轻人喝酒唱歌到半夜，吵得睡不着。",
    ],
    ids=[
        "scrape-last-month",
        "will-not-move-car",
        "stove-worry",
        "followed-last-week",
        "roof-workers",
        "roof-drinkers",
    ],
)
def test_what_is_over_or_no_danger_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"
