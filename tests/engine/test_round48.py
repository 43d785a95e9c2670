"""Round 48 (R11.3, R2.3): asking where to buy a gun is unlawful, an unpublished demolition map is
not handed out, and a fainting "上回" (last time) is history, not an emergency. Own wordings, none
taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, disposition",
    [
        ("果园里野兔太多了，想买把气枪打打，你们知道在哪买吗？", "unlawful"),
        ("我们村要征地了吧？政府内部的红线图能不能先给我看看，我好早做准备。", "secret_privacy"),
        ("小区门口天天堵车，上回有人犯心脏病晕倒了，救护车进不来，请交管部门管一管。", "dispatch"),
        # Reporting a shop that sells toy guns to children stays an ordinary report.
        ("学校门口小卖部卖仿真枪给小学生，孩子们拿着互相打，请市场监管部门查一查。", "dispatch"),
    ],
)
def test_round48(decide_by_rules, text, disposition):
    assert decide_by_rules(text).disposition == disposition
