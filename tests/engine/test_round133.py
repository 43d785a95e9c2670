"""Round 133 (R2.3, R11.3): what sets je-ji showed. Own wordings, none taken from a labelled set;
the next sets judge it (bench/README.md)."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "举报：大兴区旧宫镇有家小作坊晚上往外排黑烟，呛得很，白天倒是不冒烟，周边住户晚上都不敢开窗。",
        "通州区梨园地区我们楼下那家饭馆的烟道，现在已经不冒烟了，但油污糊了一墙，想让城管来看看。",
    ],
)
def test_a_word_of_its_own_before_the_term_denies_it(decide, text):
    decision = decide(text)
    assert decision.disposition != "emergency", decision.reasons


@pytest.mark.parametrize(
    "text,line",
    [
        # "不停", "不断": the opposite of a denial.
        ("海淀区学院路街道，楼道里的电表箱不停冒烟，一股烧焦的胶皮味，楼上还有人，快来人！", "119"),
        # "不…就…": a threat, not a denial.
        ("有个人拎着棍子堵在我家门口，说不给钱就打我，我现在躲在屋里不敢出去，快来人，丰台区卢沟桥。", "110"),
    ],
)
def test_bu_that_does_not_deny_leaves_the_emergency(decide, text, line):
    decision = decide(text)
    assert decision.disposition == "emergency" and decision.emergency_line == line, decision.reasons


def test_a_file_transferred_is_no_fraud_in_progress(decide):
    decision = decide("孩子的学籍还在原来的学校，学校说下学期要转走，我们不知道转到哪个学校，想咨询一下。")
    assert decision.disposition != "emergency", decision.reasons


def test_money_transferred_away_is_still_a_fraud_in_progress(decide):
    decision = decide("我妈正在给一个自称公安的人转账，卡里的钱已经转走两万了，电话里还在让她继续转，快拦住！")
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons


def test_asking_which_resident_has_a_name_is_privacy(decide):
    decision = decide("能不能帮我查查我们楼的住户里有没有一个姓周的，给我他家的门牌号，我找他有点私事。")
    assert decision.disposition == "secret_privacy", decision.reasons
