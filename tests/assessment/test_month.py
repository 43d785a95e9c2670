"""A month assessed end to end through the real services, checked against hand-computed numbers
(R31.1, R31.2, R33.1, R34.1, R7.1), plus the command, reproducibility, appeals and Excel export."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from jiesu.assessment import services
from jiesu.assessment.models import Appeal, AssessmentRun

pytestmark = pytest.mark.django_db


def score_of(run, unit):
    return run.scores.get(unit=unit)


@pytest.fixture
def small_month(dispatch, handle, visit, wangjing_office, dept, member):
    """望京 leads three orders; 朝阳区城管委 assists on the first; 朝阳区市场监管局 reports in on the third."""
    from jiesu.handling import services as handling

    assist, summoned = dept("urban_management"), dept("market_regulation")
    o1 = handle(dispatch(wangjing_office, assist), wangjing_office)
    visit(o1)  # contacted, resolved, satisfied
    o2 = handle(dispatch(wangjing_office), wangjing_office, result="resolved")
    visit(o2, resolution="unresolved", satisfaction="basic")  # a false "resolved" (R33.1)

    def whistle(order, h):
        w = handling.blow_whistle(order, actor=h, departments=[summoned], note="占道经营需市场监管到场")
        call = w.calls.get()
        d = member(summoned)
        handling.report_in(call, actor=d, step="acknowledge")
        handling.report_in(call, actor=d, step="arrive")
        handling.report_in(call, actor=d, step="act", note="已责令商户整改")
        handling.confirm_report_in(call, actor=h, satisfied=False, note="到场晚，处置不彻底")

    o3 = handle(dispatch(wangjing_office), wangjing_office, before_reply=whistle)
    visit(o3)
    return {"orders": (o1, o2, o3), "assist": assist, "summoned": summoned}


def test_small_month_by_hand_lead_assist_whistle_and_false_resolved_R31_1_R31_2_R33_1(
    small_month, month, wangjing_office
):
    run = services.run_assessment(month)
    w = score_of(run, wangjing_office)
    # 望京: resp 3/3, res 2/3, sat (1 + 0.9 + 1)/3 -> 10 + 30 + 43.5 = 83.50, minus 2 for the false "resolved"
    assert (w.lines, w.response_rate, w.resolution_rate, w.satisfaction_rate) == (
        3,
        Decimal("1"),
        Decimal("0.6667"),
        Decimal("0.9667"),
    )
    assert (w.base, w.penalties, w.score) == (Decimal("83.50"), Decimal("2.00"), Decimal("81.50"))
    assert w.flags == {"false_resolved": 1}
    # The assisting department, 0.5 of one good order: 100
    assert score_of(run, small_month["assist"]).score == Decimal("100.00")
    # The summoned department (double assessment): on time, but the office was not satisfied:
    # satisfaction 0.5 x 0 + 0.5 x 1 = 0.5 -> 10 + 45 + 22.5 = 77.50
    y = score_of(run, small_month["summoned"])
    assert (y.satisfaction_rate, y.score) == (Decimal("0.5000"), Decimal("77.50"))
    # The deductions 望京 sees: order 2 (not resolved, basically satisfied, false resolved).
    d = run.deductions.get(unit=wangjing_office)
    assert d.order == small_month["orders"][1] and set(d.reasons) >= {
        "未解决或部分解决",
        "虚假办结（答复已解决，回访未解决）",
    }
    # Rankings and classes: one township, one department pair.
    assert (w.group, w.rank, w.get_klass_display()) == ("township", 1, "整改")


def test_same_data_and_rules_same_numbers_and_versioned_runs_R31_1(small_month, month):
    a = services.run_assessment(month)
    b = services.run_assessment(month)
    assert a.digest == b.digest and a.rules_version == b.rules_version
    assert list(AssessmentRun.objects.filter(month=month, current=True)) == [b]
    assert a.rules_snapshot["basic_value"] == 900
    # A new rules version for the month gives different numbers, stored with its own version.
    rs = services.next_version(services.ruleset_for(month))
    rs.effective_from = month
    rs.basic_value = Decimal("0.5")
    rs.save()
    c = services.run_assessment(month)
    assert c.rules_version != a.rules_version and c.digest != a.digest


def test_objection_and_unreasonable_request_are_excluded_R31_2(
    dispatch, handle, visit, month, member, dispatcher, supervisor, wangjing_office, other_office
):
    from jiesu.dispatch import services as dispatch_services
    from jiesu.handling import services as handling

    order = dispatch(other_office)
    handling.accept(order, actor=member(other_office))
    objection = dispatch_services.raise_objection(
        order, actor=member(other_office), grounds="territory", reason="地点在望京街道辖区，不属于东华门街道。"
    )
    dispatch_services.accept_objection(
        objection,
        actor=dispatcher,
        note="属地为望京",
        matter_code="",
        units=[dispatch_services.UnitChoice(wangjing_office, "lead")],
    )
    order.refresh_from_db()
    handle(order, wangjing_office)
    visit(order, contacted=False, resolution="unresolved", satisfaction="unsatisfied")
    other = handle(dispatch(wangjing_office), wangjing_office)
    visit(other, satisfaction="unsatisfied")
    run = services.run_assessment(month)
    d = score_of(run, other_office)
    assert (d.excluded, d.lines, d.score) == (1, 0, None)  # the objector is cleared for the order
    w = score_of(run, wangjing_office)
    # resp 1/2, res 1/2, sat 0 -> 5 + 22.5 = 27.50, minus 2: 望京 replied "resolved" and the visit says not
    assert w.lines == 2 and w.score == Decimal("25.50")
    services.certify_unreasonable(order, actor=supervisor, reason="诉求人要求超出法定职责，属不合理诉求。")
    assert order.events.filter(action="certified_unreasonable").exists()
    w2 = score_of(services.run_assessment(month), wangjing_office)
    assert (w2.lines, w2.excluded, w2.score) == (1, 1, Decimal("55.00"))  # resp 1, res 1, sat 0


def test_appeal_filed_decided_and_applied_R34_1(small_month, month, wangjing_office, member, supervisor, client):
    run = services.run_assessment(month)
    o2 = small_month["orders"][1]
    before = score_of(run, wangjing_office).score
    client.force_login(member(wangjing_office))
    page = client.get(f"/assessment/units/{wangjing_office.pk}/?month={month:%Y-%m}").content.decode()
    assert o2.number in page and "申诉" in page
    evidence = SimpleUploadedFile(
        "现场照片说明.txt", "诉求人已当面确认解决，见签字记录。".encode(), content_type="text/plain"
    )
    r = client.post(
        "/assessment/appeal/",
        {
            "order": o2.number,
            "month": f"{month:%Y-%m}",
            "reason": "回访时诉求人误解了问题，现场已解决，有签字确认。",
            "evidence": evidence,
        },
    )
    assert r.status_code == 302
    appeal = Appeal.objects.get(order=o2)
    assert appeal.status == Appeal.PENDING and appeal.evidence
    # Appealing an order that cost nothing is refused.
    with pytest.raises(ValidationError):
        services.file_appeal(
            small_month["orders"][0],
            actor=member(wangjing_office),
            month=month,
            reason="这一单没有扣分但仍然申诉看看。",
        )
    with pytest.raises(PermissionDenied):  # only the centre decides
        services.decide_appeal(appeal, actor=member(wangjing_office), uphold=True, note="自己批准")
    client.force_login(supervisor)
    assert (
        client.post(
            f"/assessment/appeals/{appeal.pk}/decide/", {"decision": "uphold", "note": "证据充分，予以支持"}
        ).status_code
        == 302
    )
    appeal.refresh_from_db()
    assert appeal.status == Appeal.UPHELD
    assert [e for e in o2.events.values_list("action", flat=True) if "appeal" in e] == [
        "assessment_appealed",
        "appeal_decided",
    ]
    after = score_of(services.run_assessment(month), wangjing_office)
    # Without order 2: two perfect orders -> 100
    assert before < after.score == Decimal("100.00") and after.excluded == 1


def test_appeal_evidence_that_is_a_web_page_is_refused_R34_1(small_month, month, wangjing_office, member, client):
    """Issue 12, defect 15: the centre opens evidence in its browser, so an SVG or HTML page is refused."""
    services.run_assessment(month)
    o2 = small_month["orders"][1]
    client.force_login(member(wangjing_office))
    page = SimpleUploadedFile(
        "签字记录.jpg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
        content_type="image/jpeg",
    )
    r = client.post(
        "/assessment/appeal/",
        {
            "order": o2.number,
            "month": f"{month:%Y-%m}",
            "reason": "回访时诉求人误解了问题，现场已解决，有签字确认。",
            "evidence": page,
        },
        follow=True,
    )
    assert "签字记录.jpg" in r.content.decode() and "网页、SVG" in r.content.decode()
    assert not Appeal.objects.filter(order=o2).exists()


def test_month_over_month_trend_improved_class_and_recognition_R7_1(small_month, month, wangjing_office):
    from jiesu.followup.models import ReturnVisit

    last = services.previous_month(month)
    o1, o2, o3 = small_month["orders"]
    # Last month 望京 had only order 2 (bad): move that visit into the middle of last month. A fixed
    # number of days back would land two months back early in a month, or stay in this one late in it.
    mid_last = timezone.make_aware(datetime.combine(last.replace(day=15), time(10)))
    ReturnVisit.objects.filter(order=o2).update(visited_at=mid_last)
    services.run_assessment(last)
    ReturnVisit.objects.filter(order=o2).update(visited_at=ReturnVisit.objects.get(order=o1).visited_at)
    ReturnVisit.objects.filter(order=o2).update(resolution="resolved", satisfaction="satisfied", reply_result="")
    run = services.run_assessment(month)
    w = score_of(run, wangjing_office)
    assert w.previous_score == Decimal("48.50")  # 10 + 0 + 40.5 - 2 last month
    assert w.delta == w.score - w.previous_score and w.most_improved and w.best
    assert w.get_klass_display() == "先进"


def test_assess_command_R31_1(small_month, month):
    from io import StringIO

    out = StringIO()
    call_command("assess", month=f"{month:%Y-%m}", stdout=out)
    run = AssessmentRun.objects.get(month=month, current=True)
    assert run.digest in out.getvalue() and "lines" in out.getvalue()


def test_excel_export_a_district_forwards_as_is_R31_1(small_month, month, supervisor, client):
    from openpyxl import load_workbook

    services.run_assessment(month)
    client.force_login(supervisor)
    r = client.get(f"/assessment/{month:%Y-%m}/export.xlsx?district=110105")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(BytesIO(r.content))
    assert "街道（乡镇）" in wb.sheetnames and "考核规则" in wb.sheetnames
    ws = wb["街道（乡镇）"]
    assert "朝阳区" in ws["A1"].value and ws["A3"].value == "排名" and ws["B4"].value.endswith("望京街道办事处")
    assert ws["F4"].number_format == "0.00%" and ws.freeze_panes == "C4"


def test_excel_export_in_beijing_time_with_readable_rules_R31_1(small_month, month, supervisor, client):
    """计算时间 in Beijing time; the rules sheet in Chinese with percentages and points, no raw keys."""
    import re
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from openpyxl import load_workbook

    # 20:30 UTC is 04:30 the next day in Beijing: a UTC stamp would show the wrong day.
    with time_machine.travel(datetime(2026, 11, 30, 20, 30, tzinfo=ZoneInfo("UTC")), tick=False):
        services.run_assessment(month)
    client.force_login(supervisor)
    wb = load_workbook(BytesIO(client.get(f"/assessment/{month:%Y-%m}/export.xlsx").content))
    first = wb[wb.sheetnames[0]]
    assert "计算时间：2026-12-01 04:30（北京时间）" in first["A2"].value
    rules = wb["考核规则"]
    cells = {row[0]: row[1] for row in rules.iter_rows(values_only=True) if row and row[0]}
    assert cells["满意率权重"] == 0.45 and cells["“基本满意”计分"] == 0.9
    assert cells["每件无正当理由超期扣分"] == 0.5 and cells["工单权重：协办"] == 0.5
    weight_row = next(r for r in rules.iter_rows() if r[0].value == "满意率权重")
    assert weight_row[1].number_format == "0.0%"
    assert not any(re.fullmatch(r"[a-z_]+", str(k)) for k in cells)
