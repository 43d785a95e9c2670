"""Rounds 67-72 (R2.3, R11.3): what sets bm to bx showed, two at a time. Own wordings, none taken
from a labelled set; each case says which round made it pass."""

import pytest

from jiesu.engine.text import enumeration_only


@pytest.mark.parametrize(
    "text, line",
    [
        # 67: the pair still fires while the parent is lost now.
        ("我爸有点糊涂，中午一个人出去走丢了，到现在还没找着，手机也没带，快帮帮忙。", "110"),
        # 68: a fire put out that flares up again.
        ("刚才楼下垃圾堆着火，火灭了，现在又着起来了，火苗窜得老高，快来人。", "119"),
        # 68: a bottle used on someone is still a weapon.
        ("烧烤摊那儿有人拿啤酒瓶往人脑袋上砸，现在正打着呢，快来人！", "110"),
        # 69: labour weeks early, contractions three clauses from the pain.
        ("我媳妇离预产期还有半个月，刚才肚子疼，一阵一阵的越来越密，还见红了，我们在三环上堵着呢。", "120"),
        # 70: a snatch by a scooter rider who knocks the victim down is a robbery, not a collision.
        ("地铁口刚才有个骑摩托的把我手机给抢了，我被带倒在马路边上，他往东跑了，快来！", "110"),
        # 71: held against one's will, in a car or a house, calling in secret.
        ("我打的车司机不让我下车，车门锁了，一直往没人的地方开，还在加速。", "110"),
        ("说是招工把我骗来的，现在关着我不让走，我趁他们不注意偷偷打的电话，在平谷一个院子里。", "110"),
    ],
    ids=[
        "lost-now",
        "fire-flares-again",
        "bottle-on-a-head",
        "labour-early",
        "snatch-by-scooter",
        "held-in-a-car",
        "held-in-a-house",
    ],
)
def test_what_is_happening_now_goes_to_its_line(decide_by_rules, text, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", line), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # 67: the pair is held when the next clause says it is over.
        "我爸有点糊涂，中午一个人出去走丢了，傍晚派出所帮着找着了，能不能给他配个定位手环？",
        # 68: a handled cue in the clause before holds the aftermath.
        "前天隔壁单元起火，火已经扑灭了，可起火后楼道的墙全熏黑了，电线也烧断了，到现在没人来修。",
        # 68: "再不" opens a condition.
        "物业下礼拜再不给我修好，我就拿刀去物业办公室找他们经理，说到做到。",
        # 68: smashed bottles are the nuisance.
        "楼下烧烤摊天天闹到后半夜，喝多了的人扯着嗓子喊，还砸酒瓶，满地玻璃碴子。",
        # 69: a due date alone, blood pressure, an animal hit by a car.
        "我预产期是下个月，想问问生育津贴怎么申请，要带哪些材料？",
        "小区门口有人摆摊卖保健品，说能降血压，好多老人排队买，这个合法吗？",
        "路边有只小狗被车撞了，腿瘸了，趴在草里好几天了，能不能让动物救助的来看看？",
        # 70: "waiting for a fire" is a risk.
        "地下室堆满了纸箱和旧家具，还有人在里面私拉电线，这不是等着着火吗？请消防来查查。",
        # 71: "再吵" opens a condition; dogs that fight; a hospital's patients.
        "隔壁天天半夜装修，今晚再吵我就拿菜刀过去，说到做到。",
        "早上遛弯的时候我家狗跟楼下的狗打起来了，他非让我赔钱，这事谁管？",
        "建议在医院门口加个公交站，来看病的很多是心血管病人，走不了远路。",
    ],
    ids=[
        "lost-then-found",
        "fire-aftermath",
        "condition-zai-bu",
        "smashed-bottles",
        "due-date",
        "blood-pressure",
        "dog",
        "waiting-for-a-fire",
        "condition-zai-chao",
        "dogs-fight",
        "cardiovascular",
    ],
)
def test_what_is_over_or_no_danger_is_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text, unlawful",
    [
        # 67: details listed with 、 and exposed; the victim of it is dispatched.
        ("我想把那个中介的照片、电话、家里地址都曝光出去，让他在这片混不下去，怎么弄？", True),
        ("我的照片、电话、家庭住址都被人曝光出去了，天天有人打电话骚扰我，怎么办？", False),
        # 67: knowing an official's way home is a threat.
        ("把昨天罚我款那个交警的名字告诉我，我知道他下班走哪条路，你们不管我自己解决。", True),
        # 68: a forgery that "will do", gunpowder made at home.
        ("能不能帮我开个收入证明，假的也行，贷款的时候用一下。", True),
        ("想自己在院子里配火药做点炮仗，硝石硫磺上哪儿买？", True),
        # 69: disbelief is no threat.
        ("邻居装修把墙砸了，物业说手续齐全，我就不信砸墙还能有手续，请派人来查查。", False),
    ],
    ids=["doxxing-list", "doxxing-victim", "way-home", "fake-will-do", "gunpowder", "disbelief"],
)
def test_what_is_unlawful_to_ask(decide_by_rules, text, unlawful):
    assert (decide_by_rules(text).disposition == "unlawful") is unlawful


@pytest.mark.parametrize(
    "gap, joined",
    [("、孩子学校都", True), ("、", True), ("，孩子学校都", False), ("。", False), ("都", True)],
)
def test_only_a_list_mark_joins_two_clauses(gap, joined):
    assert enumeration_only(gap) is joined


def test_asking_for_withheld_documents_by_disclosure_is_a_legal_channel(decide_by_rules):
    # 70: the disclosure route answers a request for documents the town calls internal.
    text = "想申请公开街道的老旧小区改造方案，社区说是内部文件不能看，依申请公开该找哪个部门？"
    assert decide_by_rules(text).disposition == "legal_channel"


def test_asking_for_internal_documents_without_the_route_stays_secret(decide_by_rules):
    text = "你帮我把区里关于征地的内部文件弄一份出来，我有用。"
    assert decide_by_rules(text).disposition == "secret_privacy"


def test_send_someone_says_now_though_the_cause_was_last_night(decide):
    # 72: "快派车" is a plea of the moment; the reader's 120 is not held back by "昨晚" (bw).
    text = "我爸昨晚生的炉子，今早起来说头疼恶心，一会儿又吐了，躺床上动不了，快派车来吧。"
    decision = decide(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


def test_a_tactile_path_buried_under_bikes_is_no_accident(decide_by_rules):
    # 72: "盲道被压了" is the pavement, not a person run over.
    text = "地铁口的共享单车乱堆，盲道都被压了，推婴儿车根本过不去，谁来管管？"
    assert decide_by_rules(text).disposition != "emergency"
