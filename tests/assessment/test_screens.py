"""Who sees which assessment results (R5.1 with R31.1): a unit only its own; the centre all."""

from __future__ import annotations

import pytest

from jiesu.assessment import services
from jiesu.core import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessed(dispatch, handle, visit, month, wangjing_office, other_office):
    visit(handle(dispatch(wangjing_office), wangjing_office), satisfaction="basic")
    visit(handle(dispatch(other_office), other_office), contacted=False)
    return services.run_assessment(month)


def test_unit_sees_only_its_own_scores_R31_1(client, assessed, member, wangjing_office, other_office, month):
    client.force_login(member(wangjing_office))
    assert client.get("/assessment/").url == f"/assessment/units/{wangjing_office.pk}/"
    own = client.get(f"/assessment/units/{wangjing_office.pk}/?month={month:%Y-%m}")
    assert own.status_code == 200 and "望京街道办事处" in own.content.decode()
    assert client.get(f"/assessment/units/{other_office.pk}/").status_code == 403
    assert client.get(f"/assessment/{month:%Y-%m}/export.xlsx").status_code == 403
    assert client.get("/assessment/appeals/").status_code == 403
    assert client.post("/assessment/compute/", {"month": f"{month:%Y-%m}"}).status_code == 403


def test_centre_dashboard_ranking_and_charts_R31_1_R7_1(client, assessed, make_user, month, wangjing_office):
    client.force_login(make_user(roles.ANALYST))
    page = client.get(f"/assessment/?month={month:%Y-%m}&group=township")
    body = page.content.decode()
    assert page.status_code == 200
    assert "望京街道办事处" in body and "东华门街道办事处" in body
    assert "js/echarts.min.js" in body and 'id="chart-data"' in body
    assert "本月表扬" in body
    assert client.get(f"/assessment/units/{wangjing_office.pk}/").status_code == 200
    # Analysts read; they do not compute.
    assert client.post("/assessment/compute/", {"month": f"{month:%Y-%m}"}).status_code == 403


def test_supervisor_computes_from_the_dashboard_R31_1(client, assessed, supervisor, month):
    client.force_login(supervisor)
    r = client.post("/assessment/compute/", {"month": f"{month:%Y-%m}"})
    assert r.status_code == 302 and r.url.endswith(f"?month={month:%Y-%m}")


def test_echarts_is_served_from_our_own_static_files():
    from django.contrib.staticfiles import finders

    path = finders.find("js/echarts.min.js")
    assert path and open(path, encoding="utf-8").read(200).lstrip().startswith("/*")
    assert finders.find("js/LICENSE-echarts")
