"""Keywords count only as whole words (R12.3): a term inside a longer word means nothing."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "来电人反映：小区门口的垃圾堆了一个星期没人清运，臭气熏天。",
        "市民来电称：楼下那棵老槐树已经烂空了，刮风就晃，怕砸到人。",
        "来电者表示小区的老楼上下水管道锈得厉害，一直滴水。",
    ],
)
def test_call_taker_opening_is_not_a_power_cut(decide, text):
    d = decide(text)
    assert d.matter_code != "utility.power.outage"
    assert all(u.type != "enterprise" or u.name != "国网北京市电力公司" for u in d.units)


def test_the_power_word_still_counts_where_it_is_one(decide):
    d = decide("小区停电了三个小时，到现在还没来电，冰箱里的东西都要坏了。")
    assert d.matter_code == "utility.power.outage"


def test_a_footbridge_is_not_tianqiao_subdistrict(decide):
    d = decide("过街天桥上有人摆摊卖东西，行人都过不去。")
    assert d.subdistrict != "天桥街道"


def test_whole_word_rule_keeps_a_longer_form_of_a_long_term():
    from jiesu.engine.text import Hit, WordCuts

    cuts = WordCuts(["手机号", "电动"])
    text = "想查邻居的手机号码，电动车"
    kept = cuts.keep([Hit(5, 8, "手机号", ()), Hit(10, 12, "电动", ())], text)
    assert [h.key for h in kept] == ["手机号"]
