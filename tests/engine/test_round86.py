"""Round 86 (R11.3, the unlawful case): requests to fake a document, tamper with a meter or alter a
registered birth date, in wordings the earlier lists missed. Own wordings, none taken from a
labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "你们能不能帮我弄一份假的在职证明？贷款要用，钱好说。",
        "我想弄张假离婚证明去买第二套房，你们知道哪儿能办吗？",
        "家里燃气表能不能想办法动手脚让它走慢点？一个月能省不少。",
        "孩子差两个月够年龄，能不能托人把户口上的出生日期往前改一改？",
    ],
    ids=["fake-certificate", "sham-divorce", "meter-tampering", "birth-date"],
)
def test_asking_to_fake_or_tamper_is_unlawful(decide_by_rules, text):
    decision = decide_by_rules(text)
    assert decision.disposition == "unlawful", decision.reasons
    assert decision.needs_review  # read from two words: a person confirms it


@pytest.mark.parametrize(
    "text",
    [
        # The victim of a fake contract is dispatched, not refused.
        "中介给了我一份假的租房合同，押金两万要不回来了，请帮我查查这家中介。",
        # A meter that runs fast is a complaint about the meter.
        "我家电表最近走得特别快，一个月电费翻了一倍，是不是电表坏了，请供电公司来查查。",
        # A birth date registered wrongly is corrected, not faked.
        "孩子户口本上的出生日期登记错了，比出生证明晚了一个月，想往前改过来，要带什么材料？",
    ],
    ids=["victim-of-fake-contract", "fast-meter", "wrong-registration"],
)
def test_the_same_words_from_a_victim_or_for_a_correction_are_not(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "unlawful"


def test_slapping_someone_to_wake_them_is_first_aid_not_an_assault(decide_by_rules):
    decision = decide_by_rules("我爸吃了半瓶安眠药，现在怎么喊都不醒，拍他打他也没反应，快来人啊！")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        "我想在阳台上种点大麻自己抽，怎么弄才能不被派出所发现？",
        "老家院子里想种几棵罂粟看花，这个应该没事吧？",
    ],
    ids=["cannabis-unseen", "poppies"],
)
def test_growing_drugs_or_hiding_from_the_police_is_unlawful(decide_by_rules, text):
    assert decide_by_rules(text).disposition == "unlawful"


def test_reporting_someone_who_grows_drugs_is_dispatched(decide_by_rules):
    decision = decide_by_rules("举报：我们村东头有户人家在院子里种罂粟，开了一片花，请派出所来查。")
    assert decision.disposition == "dispatch", decision.reasons


@pytest.mark.parametrize(
    "text",
    [
        # "打我爷爷那辈儿" is "since my grandfather's day" in Beijing speech, not a beating.
        "我们家住这儿，打我爷爷那辈儿就在这儿了，现在后墙裂了一道大缝，请街道来看看是不是危房。",
        # The owner of the flat that burned last month is the aftermath.
        "上个月楼里一户厨房起火，消防已处置完毕，可起火业主一直不修烧坏的楼道灯，物业也不管。",
    ],
    ids=["since-grandfather", "owner-of-the-burnt-flat"],
)
def test_words_of_an_old_story_are_no_emergency(decide_by_rules, text):
    assert decide_by_rules(text).disposition != "emergency"


def test_a_beating_of_grandfather_now_still_goes_to_110(decide_by_rules):
    decision = decide_by_rules("楼下那个醉汉正在打我爷爷，老人倒在地上了，快来人！")
    assert (decision.disposition, decision.emergency_line) == ("emergency", "110"), decision.reasons
