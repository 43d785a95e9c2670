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
