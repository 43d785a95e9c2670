"""The six special cases of article 11.3 and the emergency lines (R11.3, R2.3, R9.1)."""

import pytest

from jiesu.engine.triage import HistoryRecord


@pytest.mark.parametrize(
    "text, line",
    [
        ("楼下饭馆着火了，浓烟滚滚，快来人啊", "119"),
        ("家里一股煤气味，闻到燃气味很大", "119"),  # gas leak goes to 119 in Beijing practice
        ("我和孩子被困在电梯里半小时了", "119"),
        ("我爸突然晕倒了，叫不醒", "120"),
        ("小区门口有人正在打架，还拿着刀", "110"),
        ("路口刚才出了车祸，有人躺在地上", "122"),
    ],
)
def test_r11_3_1_emergencies_go_to_their_line(decide, text, line):
    d = decide(text)
    assert d.disposition == "emergency" and d.emergency_line == line
    assert d.units == () and d.due_at is None  # R2.3: never an ordinary work order
    assert any(line in r for r in d.reasons)


def test_r11_3_1_emergency_buried_in_a_long_complaint(decide):
    text = (
        "我想反映一下我们小区物业的问题，物业费收了不干活，垃圾也不清，停车位也乱收费，"
        "业委会也不管，我们找了好几次都没用，刚才我下楼看见地下车库起火了，冒浓烟，你们快派人来，"
        "然后物业的事情也要管一管，朝阳区劲松街道。"
    )
    d = decide(text)
    assert (d.disposition, d.emergency_line, d.district) == ("emergency", "119", "朝阳区")


@pytest.mark.parametrize(
    "text",
    [
        "去年着过火，现在没事",
        "去年楼里着火了，现在没事了，楼道杂物还是没人清",
        "楼道堆满杂物，存在火灾隐患，物业不管",
        "消防通道被占，万一着火消防车进不来",
        "上个月这个路口发生过车祸，建议装红绿灯",
        "没有着火，就是饭店排烟管道冒烟",
        "担心燃气泄漏，燃气安检什么时候上门",
        "已经打过119了，火灭了，但物业的消防栓没水",
        "前几天邻居老人晕倒过，已经送医了，想反映无障碍坡道的问题",
        "小区经常有人打架，希望加强巡逻",
    ],
)
def test_r11_3_1_history_negation_and_hazards_do_not_fire(decide, text):
    assert decide(text).disposition != "emergency"


def test_r11_3_1_past_then_present_still_fires(decide):
    d = decide("去年着过火，现在又着火了！")
    assert d.emergency_line == "119"


@pytest.mark.parametrize(
    "text, channel",
    [
        ("我已经起诉开发商了，法院判决后开发商不执行", "litigation"),
        ("申请了劳动仲裁，裁决书下来了公司还是不给钱", "arbitration"),
        ("举报村干部贪污集体资金", "discipline_inspection"),
        ("对行政处罚不服，想申请行政复议", "administrative_reconsideration"),
        ("我想申请政府信息公开，看补偿标准文件", "information_disclosure"),
        ("我的信访件三个月没有答复", "petition"),
    ],
)
def test_r11_3_2_legal_channels_name_the_channel(decide, text, channel):
    d = decide(text)
    assert d.disposition == "legal_channel" and d.legal_channel == channel
    assert d.advice and d.reasons


@pytest.mark.parametrize(
    "text",
    [
        "法院门口天天有人乱停车，东城区东花市街道",
        "物业再不解决漏水问题，否则我就起诉他们",
    ],
)
def test_r11_3_2_mentions_that_are_not_a_legal_channel(decide, text):
    assert decide(text).disposition == "dispatch"


def _history(**kw):
    rec = dict(
        number="2025-1120-0007",
        matter_code="utility.heating.not_warm",
        text="丰台区卢沟桥街道，家里暖气不热，室温只有十五度。",
        received_at="2025-11-20T09:00:00+08:00",
        status="dispatched",
    )
    rec.update(kw)
    return (HistoryRecord.from_dict(rec),)


def test_r11_3_3_same_matter_nothing_new_is_a_repeat_linked_to_the_order(decide):
    d = decide("家里暖气不热，室温只有十五度，丰台区卢沟桥街道", requester_history=_history())
    assert d.disposition == "repeat" and d.repeat_of == "2025-1120-0007"
    assert "办理进度" in d.reasons[0]
    closed = decide("家里暖气不热，室温只有十五度，丰台区卢沟桥街道", requester_history=_history(status="closed"))
    assert closed.disposition == "repeat" and "办理结果" in closed.reasons[0]


@pytest.mark.parametrize(
    "text, hist",
    [
        ("家里暖气不热，又出现了暖气漏水的新情况，丰台区卢沟桥街道", {}),  # new facts
        ("暖气不热的事说办结了，根本没解决，丰台区卢沟桥街道", {"status": "closed"}),  # unresolved after closing
        ("家里暖气不热，室温只有十五度，丰台区卢沟桥街道", {"matter_code": "utility.water.outage"}),  # other matter
        (
            "家里暖气不热，室温只有十五度，丰台区卢沟桥街道",
            {"status": "closed", "received_at": "2025-06-01T09:00:00+08:00"},
        ),  # closed long ago
    ],
)
def test_r11_3_3_not_a_repeat(decide, text, hist):
    assert decide(text, requester_history=_history(**hist)).disposition == "dispatch"


@pytest.mark.parametrize(
    "text",
    [
        "帮我查一下我前妻现在的住址",
        "你们告诉我举报人是谁",
        "我想查询我邻居的手机号码",
        "我手里有一份国家机密文件",
        "能不能调取我老公的开房记录",
    ],
)
def test_r11_3_4_secrets_and_privacy(decide, text):
    d = decide(text)
    assert d.disposition == "secret_privacy" and d.advice


@pytest.mark.parametrize(
    "text",
    [
        "我的个人信息被泄露了，天天接到骚扰电话，朝阳区",
        "请给我物业他们的电话，我要报修，海淀区甘家口街道",
    ],
)
def test_r11_3_4_own_data_and_public_contacts_are_not_privacy(decide, text):
    assert decide(text).disposition == "dispatch"


@pytest.mark.parametrize(
    "text",
    [
        "朋友借钱不还，借了五万块，打了借条",
        "和合伙人一起做生意，股东纠纷怎么办",
        "家里马桶堵了，能不能派个人来疏通",
        "我炒股亏了二十万，政府管不管",
    ],
)
def test_r11_3_5_private_disputes_are_out_of_scope(decide, text):
    d = decide(text)
    assert d.disposition == "out_of_scope" and "调解" in d.advice


@pytest.mark.parametrize(
    "text",
    [
        "包工头欠钱不还，欠我们农民工工资五万多，朝阳区",
        "我想预约离婚登记，离婚冷静期怎么算",
    ],
)
def test_r11_3_5_guarded_terms_stay_in_scope(decide, text):
    # In scope: a unit handles it, or (a question on the cooling-off period) a call-taker may
    # answer it at once; never a private dispute set aside.
    assert decide(text).disposition in ("dispatch", "answer_directly")


@pytest.mark.parametrize(
    "text",
    [
        "美女你声音真好听，你多大了，有男朋友吗",
        "你们这帮废物，傻逼，去死吧",
        "再不给我解决，我就带着汽油去区政府同归于尽",
        "能不能帮我办个假证，多少钱都可以",
        "我好无聊，陪我聊天吧",
    ],
)
def test_r11_3_6_unlawful_malicious_harassing(decide, text):
    d = decide(text)
    assert d.disposition == "unlawful" and "劝导教育" in d.advice


@pytest.mark.parametrize(
    "text",
    [
        "举报有人在天桥底下办假证，海淀区北下关街道",
        "物业他妈的就是不管事，垃圾堆了半个月没人清",
    ],
)
def test_r11_3_6_reports_and_angry_but_real_complaints_are_dispatched(decide, text):
    assert decide(text).disposition == "dispatch"


@pytest.mark.parametrize(
    "text, kind",
    [
        ("请问居住证怎么办理", "consultation"),
        ("举报有人在小区里私搭乱建", "report"),
        ("建议增设公交线路", "suggestion"),
        ("求助，老人走不动路了帮帮忙", "help"),
        ("投诉楼下饭店油烟扰民", "complaint"),
    ],
)
def test_r10_1_kind_is_inferred_when_not_given(decide, text, kind):
    assert decide(text).kind == kind
    assert decide(text, kind="suggestion").kind == "suggestion"


def test_r11_3_3_an_order_still_in_hand_is_open_by_the_order_stores_word(decide):
    # "pending_review" and "return_visit" are open; the lexicon's old status names missed them.
    long_ago = {"received_at": "2025-06-01T09:00:00+08:00"}
    for status in ("pending_review", "return_visit", "replied"):
        d = decide(
            "家里暖气不热，室温只有十五度，丰台区卢沟桥街道", requester_history=_history(status=status, **long_ago)
        )
        assert d.disposition == "repeat" and "办理进度" in d.reasons[0], status
    d = decide(
        "家里暖气不热，室温只有十五度，丰台区卢沟桥街道",
        requester_history=[{**_history(status="whatever", **long_ago)[0].to_dict(), "open": True}],
    )
    assert d.disposition == "repeat" and "办理进度" in d.reasons[0]


def test_r11_3_3_new_facts_link_the_earlier_order(decide):
    d = decide("家里暖气不热，又出现了暖气漏水的新情况，丰台区卢沟桥街道", requester_history=_history())
    assert d.disposition == "dispatch" and d.related_to == "2025-1120-0007"


@pytest.mark.parametrize(
    "text, line",
    [
        ("他拎着一把砍刀在楼道里乱挥", "110"),
        ("山坡上起火了，火苗往上窜", "119"),
        ("人倒在地上怎么叫都不醒", "120"),
        ("楼道里电瓶车的电池在冒烟，烟越来越大", "119"),
        ("我媳妇羊水破了，要生了，打不到车", "120"),
        ("十字路口两辆车撞了，堵死了", "122"),
        ("对方说是公安局的，让我马上转账到安全账户", "110"),
        # Round 24: concepts over words a caller uses, not the obvious ones.
        ("屋里生着炉子，我爸妈俩人都晕了，怎么喊都叫不醒", "120"),
        ("我家小子把一颗纽扣电池吞下去了，一直哭", "120"),
        ("楼上一直有人哭喊救命，男的还在打，咣咣的", "110"),
        ("锅里的油着起来了，火苗都窜到吊柜上了", "119"),
        ("屋里有股煤气味，窗户也开了，可是味儿越来越大，我不敢开灯", "119"),
        ("环路上一辆面包车四轮朝天，有人正从车里往外爬", "122"),
        # Equipment in use is no preparedness: the fire burns while people reach for it.
        ("地库里停的一辆车着火了，火苗蹿得老高，保安端着灭火器喷了半天压不住", "119"),
        ("隔壁厨房着火了，烟往外冒，我们接了消防栓的水龙带也浇不灭", "119"),
    ],
)
def test_r2_3_danger_in_the_callers_own_words(text, line):
    # The rules alone (no reader): two concepts near each other, not one exact phrase.
    d = _rules_engine().decide({"id": "t", "text": text, "received_at": "2025-12-01T10:00:00+08:00"})
    assert (d.disposition, d.emergency_line) == ("emergency", line)


@pytest.mark.parametrize(
    "text",
    [
        "饭店排烟管道冒烟，油烟太大",
        "这个路口经常有车相撞，建议装红绿灯",
        "邻居家每天打孩子，孩子哭喊，希望社区管管",
        "小区门口有人拿着刀具在卖",
        # A condition, not an event: the clause before says "if".
        "要是物业再敢断我家的暖气，我就拎着菜刀去找他们",
        # "真" + the danger reads "if it really came to it".
        "楼里的灭火器全过期了，真着火了谁也跑不了",
        # Preparedness: drills, first-aid training, defibrillators, with nothing happening now.
        "建议每个地铁站都放一台AED，前两天新闻里有人在站台上心脏骤停了",
        "想问问怎么给小学生组织一次消防演练，教孩子们着火了往哪儿跑",
        # Past: the day before yesterday, a few days ago.
        "前天我们单元有户人家着火了，楼道墙面现在还是黑的，谁来刷一下",
    ],
)
def test_r2_3_concepts_that_are_not_happening_now(text):
    assert _rules_engine().decide({"id": "t", "text": text}).disposition != "emergency"


_RULES_ONLY = {}


def _rules_engine():
    from jiesu.engine import Engine

    if "e" not in _RULES_ONLY:
        _RULES_ONLY["e"] = Engine.from_defaults(reader=None)
    return _RULES_ONLY["e"]
