"""The matter picker on dispatch review finds matters by pinyin as the unit picker finds units
(issue 13): each option carries its pinyin initials and full pinyin for the search box."""

from __future__ import annotations

import re

import pytest

from jiesu.dispatch.forms import DispatchForm, spellings


def test_spellings_give_initials_and_full_pinyin_of_group_and_name():
    typed = spellings("环境保护大气污染 > 餐饮油烟")
    initials, full = typed.split()
    assert initials == "hjbhdqwrcyyy" and full == "huanjingbaohudaqiwurancanyinyouyan"
    assert "cyyy" in initials and "canyin" in full


@pytest.mark.django_db
def test_every_matter_option_carries_its_spellings():
    from jiesu.dispatch.runtime import current_engine

    html = str(DispatchForm(matters=current_engine().rules.matters)["matter_code"])
    options = re.findall(r'<option value="([^"]+)" data-pinyin="([^"]+)"', html)
    assert options and len(options) == html.count("<option value=") - html.count('<option value=""')
    fume = dict(options)["env.air.cooking_fume"]
    assert "cyyy" in fume and "canyinyouyan" in fume
