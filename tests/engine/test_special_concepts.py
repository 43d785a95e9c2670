"""Cases 4 and 6 of article 11.3 read as concepts of two words in one clause (round 25).

Own wordings; each concept is said in several development sets. A concept is read, not said
outright, so the special case always waits for a person (no non-dispatch request goes out
unreviewed); the near misses below are real problems and stay dispatch.
"""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        # The caller threatens to do harm himself (self_help_harm).
        "楼上装修电钻响了一个月，你们再不来人，我明天就上去把他家的电钻砸了",
        "物业经理天天糊弄我们，你们再不管，我天天去物业办公室门口堵他",
        "物业经理天天糊弄我们，下回再见着他我这就动手，大不了进去蹲几天",
        # He asks that a person, a home or an animal be harmed (harm_request).
        "对面那户的鸽子天天拉屎在我阳台上，你们找人把那些鸽子全药死算了",
        "楼下小卖部老板骂过我，你们通知供电局给他家断电，让他也难受难受",
        # A person to be exposed online (doxxing), said as "人肉" (round 26).
        "上回来处理我家漏水的那个社区干部，名字告诉我，我要把他人肉出来挂网上",
        # A threat in the idiom "…我跟他姓 / 我不姓…" (round 26).
        "隔壁那小子再往我车上泼油漆，我弄不死他我跟他姓",
        # How to escape detection (evade_detection).
        "我在楼顶搭了个阳光房，想问问怎么弄才能不被发现，城管会不会来查",
        # A benefit offered to whoever handles it (bribe_offer).
        "我儿子的驾照被扣了十二分，你们帮忙跟交警说一声给消了，辛苦费我出",
    ],
)
def test_r11_3_6_unlawful_concepts_wait_for_a_person(decide, text):
    d = decide(text)
    assert d.disposition == "unlawful"
    assert d.needs_review


@pytest.mark.parametrize(
    "text",
    [
        # Another person's criminal, disciplinary or marriage record (others_records).
        "我闺女处了个对象，你们帮我查一下那个小伙子有没有前科",
        "我们单位要招个会计，能不能帮我们查查这个人以前有没有受过处分",
        # Every owner's or resident's list or phone numbers (residents_list).
        "我们几个业主想搞联名信，你们让居委会把全体住户的电话给我们一份",
        # Drawings of underground networks or civil-defence works (infrastructure_drawings).
        "我们搞直播探险的，想要一份西城区地下人防工程的详细图纸，哪个部门能给",
        "我们做户外拍摄的，想要昌平那边部队营区的平面图纸，你们帮忙要一份",
        # Government plans or lists not yet published (unpublished_plans, round 26).
        "我是做房产中介的，想提前拿到你们内部的拆迁计划，没公开的那种",
    ],
)
def test_r11_3_4_secret_and_privacy_concepts_wait_for_a_person(decide, text):
    d = decide(text)
    assert d.disposition == "secret_privacy"
    assert d.needs_review


@pytest.mark.parametrize(
    "text",
    [
        # Harm suffered, not threatened: "被" stands between the caller and the act.
        "朝阳区望京街道花家地北里，我今晚停在楼下的车又被人砸了玻璃，物业说没监控，希望派出所查一下",
        # A utility cutting a whole building off is a complaint against it.
        "海淀区学院路街道石油大院，物业把我们整栋楼断水三天了，说是欠费，我们都交了，希望街道督促",
        # Reporting someone who asks for a bribe is a report, not a bribe offered.
        "朝阳区东坝地区的驾校教练跟我要好处费，说不给就考不过，我要举报这个教练",
        # One's own certificate of no criminal record is a service, not someone else's record.
        "我要开无犯罪记录证明，去派出所说要本人户籍地办，我户口在丰台区卢沟桥街道，能在海淀办吗",
        # "炸了" of an outraged crowd is no threat: only a caller's own "我就…炸了" is.
        "朝阳区望京街道一家普惠幼儿园说下学期学费翻倍，家长群里全炸了，这样涨价合规吗",
        # A pipe network, but no drawings wanted.
        "西城区月坛街道三里河一区门口的地下管网施工挖了一个月了，坑也不填，晚上没有警示灯",
    ],
)
def test_near_misses_stay_ordinary_requests(decide, text):
    d = decide(text)
    assert d.disposition not in ("unlawful", "secret_privacy")
