"""Round 50 (R2.3): liquefied gas (液化气) smells as the other three gases do. The gas-leak concept
knew "煤气味", "燃气味" and "天然气味" but not "液化气味", and a smell that is "浓" (thick) was not
one of its signs; set ag's only missed emergency was such a call. Own wordings, none taken from a
labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "楼下饭馆一股液化气味，特别浓，已经飘到我家了。",
        "闻到很浓的液化气味，是隔壁小吃店传过来的，他们还开着火呢。",
        "家里煤气味特别浓，我不敢开灯。",
    ],
)
def test_a_thick_gas_smell_now_is_a_leak(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "119"), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "上周闻到很浓的液化气味，燃气公司来人修好了，想问老管道什么时候统一换。",
        "液化气罐现在太贵了，一罐一百多，能不能管管。",
    ],
)
def test_a_gas_smell_fixed_or_a_price_is_not(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"
