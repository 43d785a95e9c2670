"""Round 58 (R11.2): an area office (地区办事处) of Beijing is also its township's government, and
callers name it so: 沙河镇 is 沙河地区, 将台乡 is 将台地区. Sets ae, am (twice) and one of the first
sets named such townships and were given no township. Own wordings."""

import pytest

from jiesu.engine.places import township_aliases


def test_an_area_office_answers_to_its_township_names():
    assert set(township_aliases("沙河地区")) >= {"沙河", "沙河街道", "沙河镇", "沙河乡"}
    assert "望京地区" in township_aliases("望京街道") and "望京镇" not in township_aliases("望京街道")


@pytest.mark.parametrize(
    ("text", "district", "township"),
    [
        ("仁和镇一个村的路灯坏了一排，晚上出门全靠手电", "顺义区", "仁和地区"),
        ("将台乡这边有个废品站天天半夜装卸，哐哐响", "朝阳区", "将台地区"),
        ("来广营乡北苑家园附近的公厕好几天没人打扫了", "朝阳区", "来广营地区"),
    ],
)
def test_a_township_named_by_its_government_is_located(decide, text, district, township):
    decision = decide(text)
    assert (decision.district, decision.subdistrict) == (district, township), decision.reasons
