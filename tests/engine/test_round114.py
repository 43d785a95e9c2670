"""Round 114 (R11.2): inside a named park its manager leads. Own wordings, none taken from a
labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "紫竹院公园里的公共厕所冬天早上七点才开门，晨练的人没地方方便，建议早点开。",
        "北海公园冬天五点就清园了，下班的人进不去，建议延长开放时间。",
        "建议朝阳公园划一块专门的遛狗区，现在大狗在草坪上乱跑，孩子都不敢去玩。",
    ],
)
def test_what_happens_inside_a_named_park_is_led_by_its_landscaping_department(decide, text):
    decision = decide(text)
    assert decision.disposition == "dispatch", decision.reasons
    lead = decision.units[0]
    assert decision.to_json()["lead_unit_type"] == "department" and "园林绿化" in lead.name, decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Just outside the gate is the street's, not the park's.
        "天坛公园东门外那段人行道的地砖翘起来好几块，早上遛弯的老人总绊脚，请尽快修一修。东城区天坛街道。",
        # A neighbourhood's small park is no landmark: the township's.
        "我们社区旁边的街心公园里健身器材坏了好几件，单杠都松了，建议修一修。昌平区城北街道。",
    ],
)
def test_outside_a_named_park_or_in_a_small_one_the_catalog_stands(decide, text):
    decision = decide(text)
    assert decision.disposition == "dispatch", decision.reasons
    assert not any("公园主管部门" in r for r in decision.reasons), decision.reasons
