"""Round 120 (R11.2, R12.2): a department the caller asks for by name leads; a heating company
blamed back and forth with the property company keeps the lead. Own wordings, none taken from
a labelled set."""

import pytest

from jiesu.engine.route import DepartmentRouter
from jiesu.engine.rules import default_rules_dict


@pytest.fixture(scope="module")
def asked():
    return DepartmentRouter(default_rules_dict()["lexicons"]["named_department"])


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("西城区新街口街道，路边那棵老柳树让虫子蛀空了，一刮风就晃，请园林部门来评估一下。", "landscaping"),
        ("胡同里一座挂牌的四合院被人私自加盖了一层，希望文物部门尽快制止。", "cultural_heritage"),
        ("村东头的小厂子半夜烧橡胶，黑烟呛人，要求区生态环境局夜里来查。", "ecology"),
        ("商场地下一层的安全出口被链子锁上了，麻烦消防部门来查一查。", "fire"),
    ],
)
def test_an_ask_word_before_a_department_names_it(asked, text, sector):
    assert asked.applies(text)[0] == sector


@pytest.mark.parametrize(
    "text",
    [
        # Nobody named: "有关部门" is whoever is responsible.
        "小区门口的行道树歪了，请有关部门来看看。",
        # A story of being sent around names the bureau without asking it to act.
        "镇里让我去找水务局，水务局又说归村里管。",
        # "请示" is not "请".
        "学校说校车的事要请示教委，一直没有下文。",
        # The township is asked as well.
        "楼前的大杨树挡光，请园林部门或街道来修剪一下。",
        # In another clause: the ask is about something else.
        "请你们帮帮忙，园林部门说这棵树归小区管。",
    ],
)
def test_what_does_not_name_a_department(asked, text):
    assert asked.applies(text) is None


def test_a_street_tree_the_caller_asks_the_landscaping_department_to_see_is_its_to_lead(decide):
    decision = decide("海淀区花园路街道，马路边那棵大杨树往人行道歪得厉害，根都翘起来了，请园林部门尽快来看看。")
    assert decision.disposition == "dispatch", decision.reasons
    lead = decision.units[0]
    assert lead.role == "lead" and "园林绿化局" in lead.name, decision.reasons
    assert any("点名请园林部门" in r for r in decision.reasons), decision.reasons
    # The township the catalog gives stays on the order, assisting.
    assert any(u.role == "assist" and "花园路街道" in u.name for u in decision.units), decision.reasons


def test_without_a_named_department_the_same_tree_stays_the_townships(decide):
    decision = decide("海淀区花园路街道，我们小区楼前那棵大杨树往楼这边歪得厉害，根都翘起来了，怕刮风倒了。")
    assert decision.disposition == "dispatch", decision.reasons
    assert decision.to_json()["lead_unit_type"] == "subdistrict", decision.reasons


def test_a_heating_company_blamed_by_the_property_company_still_leads(decide):
    decision = decide(
        "朝阳区小关街道某小区，暖气不热，屋里才十五度。物业说是热力公司的事，热力公司说楼里管子归物业，两家踢皮球。"
    )
    assert decision.disposition == "dispatch", decision.reasons
    assert decision.to_json()["lead_unit_type"] == "enterprise", decision.reasons
    assert not any("统筹协调" in r for r in decision.reasons), decision.reasons


def test_a_developer_in_the_heating_story_still_asks_the_district_to_coordinate(decide):
    decision = decide(
        "大兴区瀛海地区新交房的小区一直不供暖，开发商说供热手续没办完，热力公司说开发商配套没做，互相推诿。"
    )
    assert decision.disposition == "dispatch", decision.reasons
    assert decision.to_json()["lead_unit_type"] == "district_gov", decision.reasons


def test_a_named_department_asked_to_coordinate_is_not_the_district(decide):
    # Round 121: "统筹" right after the department's name is asked of that department.
    decision = decide("密云区这几年新小区多，幼儿园学位不够，孩子只能上很远的私立园。建议教委统筹规划，多建普惠园。")
    assert decision.disposition == "dispatch", decision.reasons
    assert "教育委员会" in decision.units[0].name, decision.reasons
    assert not any("统筹协调" in r for r in decision.reasons), decision.reasons


def test_without_the_township_a_malls_fire_exit_is_offered_to_the_fire_department(decide):
    # Round 121: the catalog needs the township; the district's fire department, which the
    # township's entry names as assisting, stays on the order and may be asked to lead.
    decision = decide("丰台万达广场三层的安全出口被铁链子锁上了，门口堆满了纸箱，周末人那么多，出了事都跑不出去。")
    assert decision.disposition == "dispatch", decision.reasons
    assert any("消防救援支队" in u.name for u in decision.units), decision.reasons
    assert decision.needs_review, decision.reasons
