"""A person who may be lying helpless behind a door (R2.3): not seen for days or not answering,
often living alone, with signs from inside. Own wordings, none taken from a labelled set."""

import pytest

from jiesu.engine import Engine

_ENGINES: dict = {}


def _engine(reader: bool) -> Engine:
    if reader not in _ENGINES:
        _ENGINES[reader] = Engine.from_defaults() if reader else Engine.from_defaults(reader=None)
    return _ENGINES[reader]


def _decide(text: str, reader: bool):
    return _engine(reader).decide({"id": "t", "text": text, "received_at": "2025-12-01T10:00:00+08:00"})


# Signs of harm: a smell, distress heard or seen, a fall heard, with the person unseen for days
# or an unanswered door of someone living alone. Transferred (110 opens the door; 120 follows).
HARM = [
    "楼下王大爷一个人住，三四天没见他下楼遛弯了，今天路过他家门口闻到一股臭味，敲门也没人应，我们在丰台区东铁匠营街道",
    "我们单元302的老爷子好几天没露面了，刚才我从门口过，听见里面有人在哼哼，喊他名字没人答应，海淀区学院路街道",
    "楼上独居的阿姨家昨晚咚的一声，像是摔倒了，今天一天屋里没动静，敲门也没人开，西城区德胜街道",
    "12楼有户一直有股腐臭味从门缝里飘出来，住的是个孤寡老人，得有一个多星期没看见他了，打电话也打不通，朝阳区小关街道",
    "我姑姑一个人在家，从前天晚上起电话一直不接，我刚赶到她家门口，敲门没反应，从窗户看见她躺在地上，通州区玉桥街道",
]

# Worry without harm: the person unseen or not answering, with newspapers piling up, a light on
# for days, or living alone. Dispatched to the community, but never without a person's look.
WORRY = [
    "我妈让我问问，她们楼一个独居的老太太这几天没出门，平时天天下楼晒太阳，敲门也不开，能不能请社区去看看，东城区和平里街道",
    "邻居门口的报纸已经堆了好几份，灯也一直亮着，敲门没人应，不知道人在不在，石景山区八角街道",
    "隔壁孤老头儿得有一个礼拜没见着了，手机也关机，我们心里不踏实，麻烦居委会派人去瞧瞧，昌平区回龙观街道",
]

# Near misses: accounted for elsewhere, after money, already with the police, past, or no
# person at all. They stay ordinary requests and raise no alarm of their own.
NEAR = [
    "对门那家好几个月没见人了，敲门也没人应，听物业说是搬走了，门口的小广告贴了一堆，能不能让物业清理一下",
    "我的房子租给一个小伙子，他已经两个月没交房租了，好几天没见人影，打电话也不接，我想问问能不能直接换锁",
    "我父亲三天前出门遛弯一直没回家，已经报警了，派出所在找，想请社区帮忙在小区里贴个寻人启事",
    "建议社区冬天组织给独居老人每天打个电话问一声。我们楼上个月有位老人在家走了好几天才被发现，想起来就心里难受。",
    "楼上漏水把我家天花板泡了，敲门没人应，物业说联系不上业主，让我自己想办法，朝阳区望京街道",
    "反映好几天了没见人来修，打电话也打不通，小区路灯一直不亮，海淀区四季青",
    "小区垃圾站好几天没人清，臭味很大，物业电话也打不通",
    "独居的邻居老太太没有什么异常，就是她家空调外机滴水滴到我家窗台上，敲门不开，西城区新街口街道",
]


@pytest.mark.parametrize("reader", [False, True], ids=["rules", "engine"])
@pytest.mark.parametrize("text", HARM)
def test_r2_3_harm_behind_a_door_is_transferred(text, reader):
    d = _decide(text, reader)
    # Someone seen lying on the floor may go to 120 by the illness concept: either line acts.
    assert d.disposition == "emergency" and d.emergency_line in ("110", "120")
    assert d.units == () and d.due_at is None
    assert d.emergency_line == "120" or any("倒在屋内" in r for r in d.reasons)


@pytest.mark.parametrize("reader", [False, True], ids=["rules", "engine"])
@pytest.mark.parametrize("text", WORRY)
def test_r2_3_worry_behind_a_door_waits_for_a_person(text, reader):
    d = _decide(text, reader)
    assert d.disposition != "emergency" and d.needs_review
    assert any("倒在屋内" in r and "核实" in r for r in d.reasons)
    alarm = d.to_record()["possible_emergency"]
    assert alarm is not None and alarm["line"]


@pytest.mark.parametrize("text", NEAR)
def test_r2_3_near_misses_stay_ordinary(text):
    d = _decide(text, False)
    assert d.disposition != "emergency"
    assert not any("倒在屋内" in r for r in d.reasons)
    assert d.to_record()["possible_emergency"] is None


def test_r2_3_a_smell_denied_is_no_sign():
    # "没闻到" cancels the smell: absence and an unanswered door alone only wait for review.
    text = "独居的李奶奶好几天没下楼了，敲门没人应，门口也没闻到什么味道，请社区来看看，丰台区卢沟桥街道"
    d = _decide(text, False)
    assert d.disposition == "dispatch" and d.needs_review


def test_r2_3_other_dangers_keep_their_line():
    # Smoke from the unanswered door is a fire first (119), not a person behind the door.
    d = _decide("对门门缝里一直往外冒浓烟，敲门也没人应，好几天没见着他了，朝阳区劲松街道", False)
    assert (d.disposition, d.emergency_line) == ("emergency", "119")
