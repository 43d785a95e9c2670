"""The decision engine wired into intake, the review queue, consultation, objections (R11-R13)."""

import json
import sys
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from jiesu.catalog.models import CatalogEntry, CatalogVersion, Matter
from jiesu.core import roles
from jiesu.directory.models import Unit
from jiesu.dispatch import services
from jiesu.dispatch.models import Objection


@pytest.mark.django_db
def test_clear_request_is_dispatched_at_once_with_limits_R11_2_R12_1_R13_1(take, wangjing_office):
    order = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    assert order.status == "dispatched"
    parts = {a.unit.code: a for a in order.assignments.select_related("unit")}
    assert order.lead_unit == wangjing_office and parts[wangjing_office.code].role == "lead"
    assert parts[wangjing_office.parent.code].role == "supervise"  # R12.1: district government supervises
    assert order.district.name == "朝阳区" and order.subdistrict.name == "望京街道"
    assert order.matter_code == "urban.property.service" and order.catalog_version
    assert order.due_at > order.response_due > order.received_at
    assert [e.action for e in order.events.all()] == ["created", "decided", "dispatched"]


@pytest.mark.django_db
def test_emergency_is_transferred_never_dispatched_R2_3_R11_3(take):
    order = take("我们楼道里有人在打架，还拿着刀，就在海淀区中关村街道")
    assert order.status == "transferred" and not order.assignments.exists()
    transfer = order.events.get(action="transferred")
    assert transfer.data["emergency_line"] == "110" and transfer.data["reasons"]


@pytest.mark.django_db
def test_consultation_answered_from_knowledge_base_R11_1(take):
    order = take("请问居住证怎么办理？需要什么材料", kind="consultation")
    assert order.status == "answered"
    assert "居住证" in order.events.get(action="answered").data["answer"]["title"]


@pytest.mark.django_db
def test_repeat_with_nothing_new_is_linked_to_the_earlier_order_R11_3(take):
    first = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    again = take("还是花家地北里小区电梯坏了的事，物业不作为，朝阳区望京街道")
    assert again.status == "answered" and again.related_order == first
    assert again.events.get(action="answered").data["disposition"] == "repeat"


@pytest.mark.django_db
def test_unlocated_request_waits_for_review_with_reasons_R12_3(take, dispatcher, client):
    order = take("小区里的路灯坏了好多天了，晚上黑乎乎的")
    assert order.status == "pending_review"
    assert any("需复核" in r for r in services.latest_decision(order)["reasons"])
    client.force_login(dispatcher)
    queue = client.get("/dispatch/").content.decode()
    assert order.number in queue
    page = client.get(f"/dispatch/{order.number}/").content.decode()
    assert "需人工审核" in page and "依据" in page


@pytest.mark.django_db
def test_review_offers_the_top_three_matters_R11_2(take, dispatcher, client):
    """R11.2: below the threshold the dispatcher sees the engine's first guess in the form and
    the second and third as one-click choices; the order page names the matter."""
    order = take("小区物业乱收停车费，楼下饭馆油烟噪音也很大")
    alternatives = services.latest_decision(order)["alternatives"]
    assert order.status == "pending_review" and len(alternatives) == 2
    client.force_login(dispatcher)
    page = client.get(f"/dispatch/{order.number}/").content.decode()
    for alt in alternatives:
        assert f'data-pick-matter="{alt["code"]}"' in page and alt["name"] in page
    detail = client.get(f"/orders/{order.number}/").content.decode()
    assert 'id="order-matter"' in detail


@pytest.mark.django_db
def test_dispatcher_corrects_and_dispatches_correction_is_learned_R12_3(take, dispatcher, client, other_office):
    from jiesu.learning.models import LabelledExample

    order = take("小区里的路灯坏了好多天了，晚上黑乎乎的")
    matter = (
        Matter.objects.exclude(code=order.matter_code).filter(name__contains="路灯").first()
        or Matter.objects.exclude(code=order.matter_code).first()
    )
    client.force_login(dispatcher)
    response = client.post(
        f"/dispatch/{order.number}/",
        {
            "action": "dispatch",
            "matter_code": matter.code,
            "lead": other_office.name,
            "assist": "",
            "note": "东华门辖区",
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "dispatched" and order.lead_unit == other_office and order.matter_code == matter.code
    roles_by_unit = dict(order.assignments.filter(active=True).values_list("unit__code", "role"))
    assert roles_by_unit == {other_office.code: "lead", other_office.parent.code: "supervise"}
    event = order.events.get(action="dispatched")
    assert event.actor == dispatcher and event.data["corrected"] is True
    assert LabelledExample.objects.filter(
        order_number=order.number, matter_code=matter.code, source="correction"
    ).exists()


@pytest.mark.django_db
def test_dispatch_form_errors_name_the_field(take, dispatcher, client):
    order = take("小区里的路灯坏了好多天了，晚上黑乎乎的")
    client.force_login(dispatcher)
    html = client.post(
        f"/dispatch/{order.number}/",
        {
            "action": "dispatch",
            "matter_code": Matter.objects.first().code,
            "lead": "不存在的单位",
            "assist": "",
        },
    ).content.decode()
    assert "找不到单位：不存在的单位" in html
    order.refresh_from_db()
    assert order.status == "pending_review" and not order.assignments.exists()


@pytest.mark.django_db
def test_accept_suggestion_in_one_key_R12_3(take, dispatcher, client):
    order = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    assert order.status == "dispatched"  # confident: no review needed
    order2 = take("海淀区有个地方噪音很大")  # a district but no township: district government coordinates
    if order2.status == "pending_review" and services.latest_decision(order2)["units"]:
        client.force_login(dispatcher)
        client.post(f"/dispatch/{order2.number}/", {"action": "accept"})
        order2.refresh_from_db()
        assert order2.status == "dispatched"
    else:
        assert order2.status in {"dispatched", "pending_review"}


@pytest.mark.django_db
def test_only_dispatchers_review_R5_1(take, call_taker, make_user, wangjing_office, client):
    order = take("小区里的路灯坏了好多天了，晚上黑乎乎的")
    for user in (call_taker, make_user(roles.UNIT_HANDLER, wangjing_office)):
        client.force_login(user)
        assert client.get("/dispatch/").status_code == 403
        assert client.post(f"/dispatch/{order.number}/", {"action": "accept"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.dispatch_reviewed(
            order, actor=call_taker, matter_code="", units=[services.UnitChoice(wangjing_office, "lead")]
        )


@pytest.mark.django_db
def test_objection_accepted_redispatches_and_clears_the_unit_R12_4(
    take, dispatcher, make_user, wangjing_office, other_office, client
):
    order = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    client.force_login(handler)
    page = client.get(f"/orders/{order.number}/").content.decode()
    assert 'id="objection-form"' in page
    client.post(
        f"/dispatch/{order.number}/object/",
        {"grounds": "territory", "reason": "该小区属于东华门街道辖区，不在本街道。"},
    )
    objection = Objection.objects.get(order=order)
    assert objection.status == "pending" and objection.unit == wangjing_office

    client.force_login(dispatcher)
    assert order.number in client.get("/dispatch/").content.decode()
    client.post(
        f"/dispatch/{order.number}/",
        {
            "action": "accept_objection",
            "matter_code": order.matter_code,
            "lead": other_office.name,
            "assist": "",
            "note": "属地核实",
        },
    )
    objection.refresh_from_db()
    order.refresh_from_db()
    assert objection.status == "accepted" and objection.decided_by == dispatcher
    assert order.lead_unit == other_office
    assert not order.assignments.filter(unit=wangjing_office, active=True).exists()
    actions = [e.action for e in order.events.all()]
    assert actions[-3:] == ["objection_raised", "objection_accepted", "redispatched"]
    # The objecting unit still sees the order it acted on, but can no longer object.
    client.force_login(handler)
    assert 'id="objection-form"' not in client.get(f"/orders/{order.number}/").content.decode()


@pytest.mark.django_db
def test_objection_rejected_keeps_the_unit_R12_4(take, dispatcher, make_user, wangjing_office):
    order = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    handler = make_user(roles.UNIT_HANDLER, wangjing_office)
    with pytest.raises(ValidationError) as exc:
        services.raise_objection(order, actor=handler, grounds="duty", reason="太短")
    assert "reason" in exc.value.message_dict
    objection = services.raise_objection(
        order, actor=handler, grounds="duty", reason="物业管理应由住建部门负责，不是街道职责。"
    )
    services.reject_objection(objection, actor=dispatcher, note="物业服务纠纷属街道属地管理职责")
    order.refresh_from_db()
    assert order.lead_unit == wangjing_office and objection.status == "rejected"
    with pytest.raises(ValidationError):
        services.reject_objection(objection, actor=dispatcher, note="再审一次")


@pytest.mark.django_db
def test_units_not_on_the_order_cannot_object_R12_4(take, make_user, other_office):
    order = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    with pytest.raises(PermissionDenied):
        services.raise_objection(
            order,
            actor=make_user(roles.UNIT_HANDLER, other_office),
            grounds="duty",
            reason="这不是我们的事情，请改派其他单位。",
        )


@pytest.mark.django_db
def test_pre_dispatch_consultation_R12_3(take, dispatcher, make_user, client):
    order = take("小区里的路灯坏了好多天了，晚上黑乎乎的")
    city_dept = Unit.objects.get(code="city-urban_management")
    client.force_login(dispatcher)
    client.post(
        f"/dispatch/{order.number}/",
        {"action": "consult", "units": city_dept.name, "question": "路灯归属不清，请城管委明确。"},
    )
    consultation = order.consultations.get()
    member = make_user(roles.UNIT_HANDLER, city_dept)
    client.force_login(member)
    assert client.get(f"/orders/{order.number}/").status_code == 200  # invited units can read the order
    client.post(f"/dispatch/consultations/{consultation.pk}/comment/", {"text": "小区内路灯由物业负责，请派属地街道。"})
    client.force_login(dispatcher)
    client.post(
        f"/dispatch/{order.number}/",
        {"action": "close_consultation", "consultation": consultation.pk, "outcome": "派属地街道"},
    )
    consultation.refresh_from_db()
    assert consultation.outcome == "派属地街道" and consultation.comments.count() == 1
    assert [e.action for e in order.events.all()][-3:] == [
        "consultation_opened",
        "consultation_comment",
        "consultation_closed",
    ]


@pytest.mark.django_db
def test_rule_edit_takes_effect_without_code_change_R11_4(take):
    matter = Matter.objects.get(code="urban.property.service")
    matter.keywords = [*matter.keywords, "楼道堆物专项"]
    matter.save()
    order = take("朝阳区望京街道花家地北里有人搞楼道堆物专项")
    # The edited rule names its matter at once. Where the learned reader reads the text as
    # another matter, both are offered and a person chooses (the order waits for review).
    decision = services.latest_decision(order)
    offered = [decision["matter"]["code"], *(a["code"] for a in decision["alternatives"])]
    assert "urban.property.service" in offered
    # Or, where both matters send the order to the same lead unit and the reader is sure of that
    # unit (the lead-unit gate), it goes out to that unit with the rule's matter still offered.
    lead = next((u for u in decision["units"] if u["role"] == "lead"), None)
    assert (
        order.matter_code == "urban.property.service"
        or (order.status == "pending_review" and any("关键词规则倾向“物业服务质量”" in r for r in decision["reasons"]))
        or (order.status == "dispatched" and lead is not None and lead["name"] == "望京街道办事处")
    )


@pytest.mark.django_db
def test_catalog_versions_by_effective_date_and_kept_on_the_order_R11_4(take, other_office):
    current = CatalogVersion.objects.get(status="published")
    newer = CatalogVersion.objects.create(
        version="2026.12-test",
        effective_from=timezone.localdate() - timedelta(days=1),
        status="published",
        published_at=timezone.now(),
    )
    CatalogEntry.objects.bulk_create(
        [
            CatalogEntry(version=newer, matter_code=e.matter_code, level=e.level, lead=e.lead, assist=e.assist)
            for e in current.entries.all()
        ]
    )
    order = take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    assert order.catalog_version == "2026.12-test"
    old = take(
        "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修，上个月的事",
        received_at=timezone.make_aware(timezone.datetime(2025, 6, 2, 10, 0)),
    )
    assert old.catalog_version == current.version


@pytest.mark.django_db
def test_intake_screen_shows_live_suggestion_R11_2(call_taker, client):
    client.force_login(call_taker)
    html = client.post(
        "/intake/suggestion/", {"content": "楼下饭馆油烟太大", "location_text": "东城区东华门", "kind": "complaint"}
    ).content.decode()
    assert "东华门街道办事处" in html and "餐饮油烟" in html and "主办" in html
    assert client.post("/intake/suggestion/", {"content": "短"}).content.decode().strip() == ""


@pytest.mark.django_db
def test_intake_screen_says_which_type_of_unit_leads_where_no_place_is_given(call_taker, client):
    client.force_login(call_taker)
    text = "我家楼下那盏路灯坏了快一个月了，晚上黑乎乎的，麻烦派人修一下"
    html = client.post("/intake/suggestion/", {"content": text, "kind": "complaint"}).content.decode()
    assert 'id="pending-lead-type"' in html and "应由属地街道（乡镇）主办，请向诉求人问明地点" in html
    placed = client.post(
        "/intake/suggestion/", {"content": "楼下饭馆油烟太大", "location_text": "东城区东华门", "kind": "complaint"}
    ).content.decode()
    assert "pending-lead-type" not in placed


@pytest.mark.django_db
def test_decide_command_follows_the_format(capsys, monkeypatch):
    lines = [
        {"id": "1", "text": "朝阳区望京街道花家地北里小区物业不作为，电梯坏了", "channel": "phone"},
        {"id": "2", "text": "家里燃气泄漏了，闻到很大的煤气味", "channel": "phone", "kind": "help"},
        {"id": "3", "channel": "phone"},
    ]
    monkeypatch.setattr(sys, "stdin", StringIO("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n"))
    out = StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    call_command("decide", stderr=StringIO())
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert set(results[0]) == {
        "id",
        "disposition",
        "emergency_line",
        "kind",
        "matter",
        "district",
        "subdistrict",
        "community",
        "units",
        "lead_unit_type",
        "response_due",
        "due_at",
        "needs_review",
        "reasons",
    }
    assert results[0]["district"] == "朝阳区" and results[0]["subdistrict"] == "望京街道"
    assert {u["type"] for u in results[0]["units"]} <= {
        "subdistrict",
        "district_gov",
        "department",
        "enterprise",
        "community",
        "central",
        "neighbour_hotline",
    }
    assert results[1]["disposition"] == "emergency" and results[1]["emergency_line"] in {"119", "110"}
    assert results[2]["id"] == "3" and "text" in results[2]["error"]


@pytest.mark.django_db
def test_catalog_replay_reports_changed_leads_R11_4(take):
    take("朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修")
    current = CatalogVersion.objects.get(status="published")
    draft = CatalogVersion.objects.create(version="draft-x", effective_from=date(2027, 1, 1))
    for e in current.entries.all():
        lead = (
            {"kind": "district_department", "sector": "housing"}
            if e.matter_code == "urban.property.service"
            else e.lead
        )
        CatalogEntry.objects.create(version=draft, matter_code=e.matter_code, level=e.level, lead=lead, assist=e.assist)
    out = StringIO()
    call_command("catalog_replay", draft="draft-x", days=30, json=True, stdout=out)
    report = json.loads(out.getvalue())
    assert report["orders"] == 1 and report["changed"] == 1
    assert "住房和城乡建设委员会" in report["examples"][0]["after"][0]


@pytest.mark.django_db
def test_admin_is_warned_about_a_year_without_holiday_table_R13_1(make_user, client):
    from jiesu.catalog.checks import calendar_warnings

    warnings = calendar_warnings(today=date(2026, 11, 30))
    assert any("2027年" in w for w in warnings)
    assert calendar_warnings(today=date(2026, 6, 1)) == []
    admin = make_user(roles.BUREAU_ADMIN, "bureau", is_staff=True, is_superuser=True)
    client.force_login(admin)
    # Late in a year whose successor chinese-calendar does not know yet, the admin's page warns.
    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        page = client.get("/admin/catalog/holidayoverride/").content.decode()
    assert "chinese-calendar" in page


@pytest.mark.django_db
def test_deadlines_into_2027_do_not_fail_and_respect_admin_dates_R13_1():
    from datetime import datetime

    from jiesu.catalog.models import HolidayOverride

    text = "朝阳区望京街道花家地北里小区物业不作为，电梯坏了一周没人修"
    new_year_eve = datetime(2026, 12, 31, 10, 0)
    before = services.suggest(text=text, received_at=new_year_eve)
    assert before["disposition"] == "dispatch" and any("2027" in w for w in before["warnings"])
    HolidayOverride.objects.create(day=date(2027, 1, 4), is_workday=False, note="元旦调休（管理员录入）")
    after = services.suggest(text=text, received_at=new_year_eve)
    # The admin's extra day off pushes the working-day deadline one working day later.
    assert after["due_at"] > before["due_at"]
    assert datetime.fromisoformat(after["due_at"]).date() > date(2027, 1, 4)


@pytest.mark.django_db
def test_unit_field_takes_part_of_a_name_or_pinyin_initials_and_lists_candidates_R12_3():
    from django import forms as dj_forms

    from jiesu.dispatch.forms import resolve_units

    assert [u.name for u in resolve_units("望京", "lead")] == ["望京街道办事处"]
    assert [u.name for u in resolve_units("望京街道", "lead")] == ["望京街道办事处"]
    assert [u.name for u in resolve_units("wjjd", "lead")] == ["望京街道办事处"]
    with pytest.raises(dj_forms.ValidationError) as refused:
        resolve_units("望京西园", "lead")
    message = refused.value.messages[0]
    assert "对应" in message and "望京西园社区居民委员会" in message and "请写出更完整的名称" in message


@pytest.mark.django_db
def test_choosing_another_matter_proposes_its_catalog_unit_R11_2_R12_3(take, dispatcher, call_taker, client):
    from jiesu.dispatch.runtime import current_engine

    order = take("望京街道望京西园三区小区门口餐馆油烟太大，熏得没法开窗")
    client.force_login(call_taker)
    assert client.get(f"/dispatch/{order.number}/proposal/?matter=x").status_code == 403
    client.force_login(dispatcher)
    matter = next(m for m in current_engine().rules.matters if "油烟" in m.name)
    data = client.get(f"/dispatch/{order.number}/proposal/?matter={matter.code}").json()
    assert data["lead"] and "按派单目录" in data["message"] and matter.name in data["matter"]
    assert client.get(f"/dispatch/{order.number}/proposal/?matter=no.such.matter").status_code == 400
    # Unlocated: the page proposes from what the engine reads of the text, and offers the form.
    vague = take("小区物业乱收停车费，楼下饭馆油烟噪音也很大")
    assert vague.status == "pending_review"
    page = client.get(f"/dispatch/{vague.number}/").content.decode()
    assert f'data-unit-for-matter="/dispatch/{vague.number}/proposal/"' in page and "<optgroup" in page
    assert client.get(f"/dispatch/{vague.number}/proposal/?matter={matter.code}").status_code == 200


@pytest.mark.django_db
def test_the_chooser_s_lead_is_proposed_and_the_catalog_s_offered_back_with_one_click_R11_4_R12_3(
    take, dispatcher, client
):
    """The reader's lead-type chooser thinks a township office leads parking in the hutongs; the
    catalog names the traffic police. The township office is proposed with the catalog's lead
    assisting, the order waits, and the review page offers the catalog's lead back as one click
    into the form."""
    order = take("东城区东四街道的胡同里私家车乱停，把院门都堵了，老人进出很不方便，希望管一管")
    decision = services.latest_decision(order)
    advice = decision["lead_advice"]
    assert order.status == "pending_review"
    assert advice["catalog"] and advice["type"] != "subdistrict"
    proposed = decision["units"][0]
    assert proposed["name"] == "东四街道办事处" and proposed["role"] == "lead"
    assert advice["name"] in [u["name"] for u in decision["units"] if u["role"] == "assist"]
    client.force_login(dispatcher)
    page = client.get(f"/dispatch/{order.number}/").content.decode()
    assert 'id="lead-advice"' in page and f'data-pick-lead="{advice["name"]}"' in page
    assert "目录所定主办" in page
    # What the page's button puts in the form: the catalog's lead leads, the proposed lead assists.
    client.post(
        f"/dispatch/{order.number}/",
        {
            "action": "dispatch",
            "matter_code": decision["matter"]["code"],
            "lead": advice["name"],
            "assist": proposed["name"],
        },
    )
    order.refresh_from_db()
    assert order.status == "dispatched" and order.lead_unit.code == advice["code"]
    roles_now = dict(order.assignments.values_list("unit__code", "role"))
    assert roles_now[proposed["code"]] == "assist"
