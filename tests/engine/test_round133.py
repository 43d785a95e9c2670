"""Round 133 (R2.3, R11.3): what sets je-ji showed. Own wordings, none taken from a labelled set;
the next sets judge it (bench/README.md). Where the reader alone would give the same answer, the
rules are judged without it (`decide_by_rules`)."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "通州区梨园地区我们楼下那家饭馆的烟道，现在已经不冒烟了，但油污糊了一墙，想让城管来看看。",
        "举报：大兴区旧宫镇有家小作坊晚上偷偷往外排放废气，气味很大，白天倒是不冒烟，周边住户晚上都不敢开窗。",
    ],
)
def test_bu_as_a_word_before_a_term_that_ends_its_clause_denies_it(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons


def test_bu_that_does_not_deny_leaves_the_fire(decide_by_rules):
    # "不停": no word of its own.
    decision = decide_by_rules("海淀区学院路街道，楼道里的电表箱不停冒烟，一股烧焦的胶皮味，楼上还有人，快来人！")
    assert decision.disposition == "emergency" and decision.emergency_line == "119", decision.reasons


@pytest.mark.parametrize(
    "text",
    ["他再拖着不还钱，我不砍死他我不罢休。", "你们不给我解决，我不弄死他们我誓不为人。"],
)
def test_bu_before_a_threat_that_goes_on_is_no_denial(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "unlawful", decision.reasons


def test_emissions_are_no_fire(decide_by_rules):
    decision = decide_by_rules("举报：顺义区有家工厂晚上往外排黑烟，呛得很，附近村民晚上都不敢开窗户，请查一查。")
    assert decision.disposition != "emergency", decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "孩子的学籍还在原来的学校，学校说下学期要转走，我们不知道转到哪个学校，想咨询一下。",
        # "单元" and "万一" hold no money.
        "我住3号楼2单元，档案还在原单位，单位说要转走，万一弄丢了怎么办？",
    ],
)
def test_a_file_transferred_is_no_fraud_in_progress(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition != "emergency", decision.reasons


def test_money_transferred_away_is_still_a_fraud_in_progress(decide_by_rules):
    # Only the pair that needs a word of money speaks here ("转走" … "还在").
    decision = decide_by_rules("卡里的钱已经被转走两万了，那个人还在电话里催我妈再去取，快拦住！")
    assert decision.disposition == "emergency" and decision.emergency_line == "110", decision.reasons
