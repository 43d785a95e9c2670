"""Round 44 (R11.3): a call-taker's note that the caller made no request at all, favours sought
through connections, which unit a barracks houses and which household has a condition are not
dispatched. Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, disposition",
    [
        ("（来电人接通后一直大声谩骂，话务员多次引导，未提出任何诉求，随后挂机。）", "unlawful"),
        ("来电人反复拨打热线，只说些不相干的话，经询问无具体诉求。", "unlawful"),
        ("我想给孩子转到重点小学，你们能不能帮我托个关系，钱我来出。", "unlawful"),
        ("驾照考了三次没过，想问问能不能走个后门直接拿证。", "unlawful"),
        ("我家后山上那个营区到底驻的是哪个部队？我就想知道知道。", "secret_privacy"),
        ("听说我们单元有人得了传染病，你们告诉我是哪一户，我好离远点。", "secret_privacy"),
        # Looking for whoever makes the noise or throws things is an ordinary complaint.
        ("楼上每天夜里砸东西，不知道是哪户干的，请物业和社区来查一查。", "dispatch"),
        ("来电人反映小区停车难，具体诉求是希望增加临时车位。", "dispatch"),
    ],
)
def test_requests_that_are_not_for_dispatch(decide_by_rules, text, disposition):
    assert decide_by_rules(text).disposition == disposition
