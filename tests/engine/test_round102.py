"""Round 102 (R12.2): what the published-case sets dy, eb and ee showed. Own wordings, none taken
from a labelled set."""


def test_a_deed_a_developer_never_delivered_goes_to_the_district_government(decide):
    decision = decide(
        "我2018年在顺义区后沙峪买的商品房，交房六年了，开发商至今没给业主办下来房产证，孩子上学都受影响。"
    )
    assert decision.disposition == "dispatch", decision.reasons
    assert decision.lead.type == "district_gov", decision.reasons
    assert decision.needs_review, decision.reasons
    assert any("开发商遗留的办证问题" in r for r in decision.reasons), decision.reasons


def test_asking_what_papers_a_deed_needs_is_no_legacy_case(decide):
    """No developer and nothing stuck: a question about the registration office's procedure."""
    decision = decide("朝阳区不动产登记中心办房产证过户需要带哪些材料？要不要提前预约？")
    lead = decision.lead
    assert lead is None or lead.type != "district_gov", decision.reasons
