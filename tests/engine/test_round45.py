"""Round 45 (R2.3, R11.1): a time word between a negation and a danger word still denies it
("不是现在漏气"), smoke from straw or weeds someone burns is read as the pollution it is also when
smoke and its effect come as a pair, and someone seen climbing into a home who is still inside is
a break-in in progress. Own wordings, none taken from a labelled set."""

import pytest


@pytest.mark.parametrize(
    "text, disposition, line",
    [
        ("厨房的燃气表有点旧了，不是现在漏气，就是想请燃气公司上门检查一下。", "dispatch", None),
        ("地里天天有人烧杂草，黑烟一阵一阵往村里飘，窗户都不敢开，请镇里管管。", "dispatch", None),
        ("对面楼一楼那户没人住，刚才有个人翻墙进去了，现在还在里面没出来，我在楼上盯着。", "emergency", "110"),
        # A negation far from the word, with no time word between, does not deny it.
        ("不是我说，厨房里燃气味特别冲，现在还在漏气，我们都跑到楼道里了。", "emergency", "119"),
    ],
)
def test_round45(decide_by_rules, text, disposition, line):
    decision = decide_by_rules(text)
    assert (decision.disposition, decision.emergency_line) == (disposition, line), decision.reasons
