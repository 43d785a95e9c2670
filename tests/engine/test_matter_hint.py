"""A requester's chosen service (Open311 service_code) weighs in the matter decision (R11.2, R12.3)."""

from jiesu.engine.decide import Request


def test_hint_decides_when_the_text_is_vague(engine):
    vague = "我们这里的问题一直没人管，朝阳区望京街道"
    plain = engine.decide(Request("a", vague))
    hinted = engine.decide(Request("b", vague, matter_hint="urban.property.service"))
    assert hinted.matter_code == "urban.property.service" and hinted.matter_confidence >= 0.9
    assert plain.matter_code != "urban.property.service"
    assert any("诉求人所选服务类型" in r for r in hinted.reasons)


def test_a_clear_text_overrules_a_wrong_box_R11_2(engine):
    text = "朝阳区望京街道花家地北里小区门口餐馆油烟太大，熏得没法开窗"
    plain = engine.decide(Request("a", text))
    assert plain.matter_code == "env.air.cooking_fume"
    wrong = engine.decide(Request("b", text, matter_hint="urban.property.service"))
    assert wrong.matter_code == "env.air.cooking_fume"
    assert any("按内容识别为" in r for r in wrong.reasons)


def test_unknown_hint_is_ignored_with_a_reason(engine):
    d = engine.decide(Request("a", "朝阳区望京街道花家地北里小区物业不作为，电梯坏了", matter_hint="no.such.matter"))
    assert d.matter_code == "urban.property.service"
    assert any("不在事项目录" in r for r in d.reasons)
