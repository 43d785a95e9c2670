"""Round 31 of the engine (R2.3, R11.3): what set l showed. Carbon monoxide by a stove is an
emergency; a crane swinging round, open burning that smokes out the neighbours and a question
prompted by the news are not; a lost pet is no unit's duty. Own wordings, none taken from a
labelled set; the rules are judged without the reader."""

import pytest


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("平房里生着炉子，我婶子早上起来头晕恶心，站不起来了，密云区溪翁庄镇", "120"),
        ("出租屋的燃气热水器洗着澡，我室友晕倒在浴室里叫不醒，海淀区清河街道", "120"),
    ],
)
def test_round_31_carbon_monoxide_is_an_emergency(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # A crane turning overhead worries, but nothing is being done to anyone.
        "工地的吊车一整天在我们楼顶上转来转去，吊着水泥板，太吓人了，请管一管，朝阳区酒仙桥街道",
        # Neighbours burning rubbish: a nuisance for the urban-management office, not a fire call.
        "后院那户天天烧垃圾，黑烟全飘我们家窗户里，呛得孩子直咳嗽，大兴区魏善庄镇",
        # A question the news prompted.
        "看新闻说电动车进楼容易着火，想问问小区能不能统一装充电桩，西城区广安门外街道",
    ],
)
def test_round_31_near_misses_stay_ordinary(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons


def test_a_lost_pet_is_out_of_scope_for_a_person_to_confirm_whatever_units_it_names(decide_by_rules):
    decision = decide_by_rules("我们家的泰迪昨天下午在公园走丢了，能不能让街道和物业帮忙找一找，丰台区方庄地区")
    assert decision.disposition == "out_of_scope" and decision.needs_review, decision.reasons
    assert "寻找走失的宠物" in decision.reasons[0] and "宠物寻回" in decision.advice


@pytest.mark.parametrize(
    "text",
    [
        # A stolen pet is a theft; a loose dog that bites is a danger to others.
        "我家的金毛昨晚被人从院子里偷走了，监控拍到了车牌，通州区宋庄镇",
        "楼下那家的狗跑出去咬了小孩，狗主人不管，石景山区八宝山街道",
    ],
)
def test_a_stolen_or_biting_pet_is_not_set_aside(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        # Expelling people for where they come from is discrimination, whatever noise they make.
        "对面那几户外地的整天吵，我要求你们把这些人统统赶回老家去，北京不欢迎他们",
        # Asking the hotline to have someone beaten.
        "那个骗我钱的中介就在你们这片，你们找几个人去把他打一顿，我出钱",
        # Jamming the line, and a threat to whoever answers.
        "不给我办是吧，我让全家轮流打你们这个号，一天到晚占着线",
        "你几号工位的？记住你了，下班出门小心点",
    ],
)
def test_round_31_unlawful_requests_in_their_own_words(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "unlawful", decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # The noise itself is a complaint to dispatch; only the expulsion is refused.
        "楼上新搬来的租户半夜蹦迪，吵得老人睡不着，请社区管一管，海淀区北太平庄街道",
        # Taking turns to sweep is not taking turns to ring.
        "大杂院没人打扫，我们几户商量轮流打扫，想请街道给配几把扫帚，东城区交道口街道",
        # Being beaten is a victim's report.
        "我昨天在菜市场被几个人打了一顿，派出所说要等验伤，到现在没消息，顺义区胜利街道",
    ],
)
def test_round_31_near_misses_are_not_unlawful(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "unlawful"
