"""Round 96 (R2.3, R11.1, R11.3): what sets du and dv showed. Own wordings, none taken from a
labelled set."""


def test_a_figurative_kidnapping_is_no_crime_under_way(decide_by_rules):
    decision = decide_by_rules("物业说不交车位管理费就不给开门禁卡，这不就是道德绑架业主吗？请街道管管。")
    assert decision.disposition != "emergency", decision.reasons


def test_a_kidnapping_call_is_still_110(decide_by_rules):
    decision = decide_by_rules("我妈刚接到一个电话，说我弟被绑架了，让她马上往一个卡上打二十万，她现在正要去银行！")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons


def test_whether_ones_own_gap_in_contributions_counts_goes_to_the_department(decide):
    """A question about how a rule applies to the caller's own record is for the unit that
    keeps it, not the knowledge base."""
    decision = decide("我今年想申请积分落户，前年换单位社保断了一个月，后来补上了，这个还算不算连续缴纳？")
    assert decision.disposition == "dispatch", decision.reasons


def test_asking_a_department_to_check_ones_score_goes_to_it(decide):
    decision = decide("家庭摇号的积分我自己算的和系统里的差了两分，想请小客车指标办帮忙核一下是哪项没算上。")
    assert decision.disposition == "dispatch", decision.reasons


def test_a_pipe_the_gas_company_welded_is_no_harm_asked_for(decide_by_rules):
    decision = decide_by_rules(
        "上个月热力公司来人把我们楼道漏水的暖气管给焊上了，这两天焊口又开始滴水，请热力公司再派人来看看。"
    )
    assert decision.disposition == "dispatch", decision.reasons


def test_welding_a_neighbours_door_shut_is_still_unlawful(decide_by_rules):
    decision = decide_by_rules("对门天天半夜剁肉，你们再不管，就找人把他家门给焊死，看他还剁不剁。")
    assert decision.disposition == "unlawful", decision.reasons


def test_smoke_from_a_plug_pulled_at_once_is_a_product_complaint(decide_by_rules):
    decision = decide_by_rules("新买的电热水壶烧了两回底座就冒烟了，我赶紧给拔了，商家不给退，请市场监管部门管一管。")
    assert decision.disposition != "emergency", decision.reasons


def test_telling_someone_to_watch_out_on_the_way_home_is_a_threat(decide_by_rules):
    decision = decide_by_rules("那个窗口的办事员故意刁难我，我已经知道她住哪个小区了，你让她晚上回家路上小心点。")
    assert decision.disposition == "unlawful", decision.reasons


def test_asking_judges_to_look_well_at_the_evidence_is_no_threat(decide_by_rules):
    decision = decide_by_rules("我的案子在中院二审，想请你们跟法官说说，让他们好好看看我交的证据。")
    assert decision.disposition != "unlawful", decision.reasons


def test_where_an_ex_husbands_household_registration_is_is_private(decide_by_rules):
    decision = decide_by_rules("我跟前夫离婚了，他把孩子户口迁走了，你们帮我查一下他现在户口落在哪、住哪个小区。")
    assert decision.disposition == "secret_privacy", decision.reasons
