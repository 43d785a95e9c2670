"""Supervision records of conduct (R33.1): evidence, decision, referral, export, and the
assessment penalty where the rules name the kind; the identity-read review (R8.3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiesu.assessment import services as assessment
from jiesu.centre import selectors, services
from jiesu.centre.models import SupervisionRecord
from jiesu.core import roles
from jiesu.orders.models import OrderEvent, PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(dispatch, handle, wangjing_office):
    return handle(dispatch(wangjing_office), wangjing_office)


def _score(run, unit):
    return run.scores.get(unit=unit)


def test_substantiated_false_handling_costs_the_unit_its_penalty_R33_1(
    handled, visit, month, supervisor, wangjing_office
):
    visit(handled)
    before = _score(assessment.run_assessment(month), wangjing_office)
    record = services.open_supervision(
        handled,
        actor=supervisor,
        unit=wangjing_office,
        kind=SupervisionRecord.FALSE,
        facts="现场核查发现问题并未处理，答复称已解决。",
        evidence_text="现场照片及社区书面说明",
    )
    # Open records weigh nothing yet.
    assert _score(assessment.run_assessment(month), wangjing_office).penalties == before.penalties
    services.decide_supervision(record, actor=supervisor, substantiated=True, note="经现场核查属实")
    after = _score(assessment.run_assessment(month), wangjing_office)
    assert after.penalties > before.penalties and after.score < before.score
    actions = list(handled.events.filter(action__startswith="conduct_").values_list("action", flat=True))
    assert actions == ["conduct_recorded", "conduct_decided"]


def test_shirking_is_recorded_and_referred_without_a_score_rule_R33_1(
    handled, visit, month, supervisor, wangjing_office, client
):
    visit(handled)
    before = _score(assessment.run_assessment(month), wangjing_office).penalties
    client.force_login(supervisor)
    made = client.post(
        "/centre/supervision/new/",
        {
            "order": handled.number,
            "unit": wangjing_office.code,
            "kind": "shirking",
            "facts": "多次以非本单位职责为由推诿，拒不联系诉求人。",
            "evidence_text": "三次通话录音",
        },
    )
    record = SupervisionRecord.objects.get()
    assert made.url == f"/centre/supervision/{record.pk}/"
    # Referral only after a decision, and with an authority named.
    client.post(f"/centre/supervision/{record.pk}/refer/", {"authority": "区纪委监委"})
    record.refresh_from_db()
    assert not record.referred_at
    client.post(f"/centre/supervision/{record.pk}/decide/", {"decision": "substantiated", "note": "录音证实推诿"})
    assert (
        client.post(f"/centre/supervision/{record.pk}/refer/", {"authority": ""}, follow=True)
        .content.decode()
        .count("请填写移送机关")
    )
    client.post(f"/centre/supervision/{record.pk}/refer/", {"authority": "区纪委监委"})
    record.refresh_from_db()
    assert record.status == "substantiated" and record.referred_to == "区纪委监委"
    assert _score(assessment.run_assessment(month), wangjing_office).penalties == before
    # A decision is made once: a correction is a new record.
    with pytest.raises(ValidationError):
        services.decide_supervision(record, actor=supervisor, substantiated=False, note="改判")

    export = client.get(f"/centre/supervision/{record.pk}/export/")
    body = export.content.decode()
    assert export["Content-Disposition"].startswith("attachment")
    assert "督查案卷" in body and "推诿扯皮" in body and "区纪委监委" in body and "督查记录移送" in body
    assert "13812345678" not in body and "张三" not in body and "conduct_" not in body
    page = client.get("/centre/supervision/", {"q": handled.number[:6]}).content.decode()
    assert "共 1 条" in page and "推诿扯皮" in page


def test_bad_input_names_the_field_and_writes_nothing_R33_1(
    handled, supervisor, other_office, wangjing_office, make_user
):
    with pytest.raises(ValidationError) as err:
        services.open_supervision(
            handled, actor=supervisor, unit=other_office, kind="leak", facts="短", evidence_text=""
        )
    assert {"unit", "facts", "evidence_text"} <= set(err.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.open_supervision(
            handled,
            actor=make_user(roles.ANALYST),
            unit=wangjing_office,
            kind="leak",
            facts="泄露了诉求人的联系方式给被投诉商户",
            evidence_text="商户陈述记录",
        )
    assert not SupervisionRecord.objects.exists()
    assert not OrderEvent.objects.filter(action="conduct_recorded").exists()


def test_identity_reads_review_flags_unusual_volumes_R8_3_R33_1(
    handled, make_user, supervisor, wangjing_office, client
):
    already = PersonalDataAccess.objects.count()
    busy = make_user(roles.UNIT_HANDLER, wangjing_office, display_name="查阅很多的人")
    others = [make_user(roles.CALL_TAKER) for _ in range(4)]
    normal = others[0]
    PersonalDataAccess.objects.bulk_create(
        [PersonalDataAccess(order=handled, user=busy, fields=["phone"], purpose="order_page") for _ in range(60)]
        + [
            PersonalDataAccess(order=handled, user=u, fields=["name"], purpose="order_page")
            for u in others
            for _ in range(3)
        ]
    )
    volumes, threshold = selectors.reader_volumes(timezone.now() - timedelta(days=1))
    assert threshold == 50
    flags = {v.name: v.unusual for v in volumes}
    assert flags["查阅很多的人"] is True and flags[str(normal)] is False

    client.force_login(supervisor)
    page = client.get("/centre/identity-reads/").content.decode()
    assert "查阅量异常" in page and "查阅很多的人" in page and f"共 {already + 72} 条" in page
    assert "13812345678" not in page and "张三" not in page
    only = client.get("/centre/identity-reads/", {"reader": normal.username}).content.decode()
    assert "共 3 条" in only
    for role in (roles.ANALYST, roles.DISPATCHER, roles.UNIT_ADMIN, roles.DISTRICT_OVERSIGHT):
        client.force_login(make_user(role, wangjing_office if role == roles.UNIT_ADMIN else "centre"))
        assert client.get("/centre/identity-reads/").status_code == 403
        assert client.get("/centre/supervision/").status_code == 403
