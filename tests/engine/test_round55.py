"""Round 55 (R2.3): a stroke or a heart attack followed by what it left (半身不遂, 偏瘫, 后遗症,
long years in bed) is a past illness the caller lives with, not one happening now; a sudden
change today still is. Set an sent one such call to 120. Own wordings, none taken from a
labelled set."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "我奶奶心梗以后一直偏瘫，想申请上门评估护理等级，社区说要自己去，老人去不了",
        "我爸脑梗后遗症，想办残疾证，鉴定要排队，能不能上门？",
        "我老伴中风以后卧床多年，想申请家庭病床，社区医院说名额满了",
    ],
)
def test_an_illness_with_what_it_left_is_history(decide, text):
    assert decide(text).disposition != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "我爸偏瘫好几年了，刚才突然叫不醒了，快来救护车，我们在朝阳区双井",
        "我妈瘫痪在床，突然喘不上气了，嘴唇都紫了",
        "我姥爷脑梗半身不遂，刚才从床上摔下来了，头磕破了一直流血",
    ],
)
def test_a_sudden_change_in_a_bedridden_person_is_still_120(decide, text):
    decision = decide(text)
    assert (decision.disposition, decision.emergency_line) == ("emergency", "120"), decision.reasons
