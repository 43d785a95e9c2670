"""Call quality: a weekly sample of each call-taker's orders scored against the bureau's
checklist, with feedback the call-taker reads (R29.1)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from jiesu.centre import services
from jiesu.centre.models import QualityItem, QualityReview
from jiesu.core import roles
from jiesu.orders import services as order_services

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 16)


@pytest.fixture
def week_of_orders(make_user):
    takers = [make_user(roles.CALL_TAKER, display_name=f"话务员{i}") for i in range(2)]
    with time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=TZ), tick=True):
        for i in range(7):
            order_services.create_order(
                order_services.IntakeData(
                    channel="phone",
                    kind="help",
                    content=f"小区第{i}号楼路灯坏了，晚上很黑请修理",
                    requester_phone="13800001111",
                ),
                actor=takers[0],
            )
        order_services.create_order(
            order_services.IntakeData(
                channel="phone", kind="help", content="咨询居住证办理需要哪些材料", requester_phone="13800002222"
            ),
            actor=takers[1],
        )
    return takers


@pytest.mark.django_db
def test_weekly_sample_is_repeatable_and_capped_R29_1(week_of_orders, make_user):
    supervisor = make_user(roles.SUPERVISOR)
    with time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=TZ), tick=True):
        assert services.sample_week(date(2026, 11, 19), actor=supervisor) == 6  # 5 of 7, and the 1 of 1
        assert services.sample_week(MONDAY, actor=supervisor) == 0  # already drawn
        assert QualityReview.objects.filter(week=MONDAY, call_taker=week_of_orders[0]).count() == 5
        with pytest.raises(ValidationError) as err:
            services.sample_week(date(2026, 12, 7), actor=supervisor)
        assert "week" in err.value.message_dict
        with pytest.raises(PermissionDenied):
            services.sample_week(MONDAY, actor=make_user(roles.ANALYST))


@pytest.mark.django_db
def test_scoring_and_feedback_reach_the_call_taker_R29_1(week_of_orders, make_user, client):
    supervisor = make_user(roles.SUPERVISOR)
    taker = week_of_orders[1]
    with time_machine.travel(datetime(2026, 11, 25, 9, 0, tzinfo=TZ), tick=True):
        services.sample_week(MONDAY, actor=supervisor)
        review = QualityReview.objects.get(call_taker=taker)
        client.force_login(supervisor)
        # A failed item without feedback is refused and nothing is written.
        client.post(f"/centre/quality/{review.pk}/", {"passed": ["complete_fields", "kind_and_matter", "courtesy"]})
        review.refresh_from_db()
        assert review.status == "pending"
        client.post(
            f"/centre/quality/{review.pk}/",
            {"passed": ["complete_fields", "kind_and_matter", "courtesy"], "feedback": "请按来电人原话记录，不要概括"},
        )
        review.refresh_from_db()
        assert review.status == "scored" and str(review.score) == "75.0"
        assert review.order.events.filter(action="quality_reviewed").exists()
        # The bureau's later edit of the checklist does not rewrite a scored review.
        QualityItem.objects.filter(code="courtesy").update(label="改过的检查项")
        assert [c["label"] for c in review.checks if c["code"] == "courtesy"] != ["改过的检查项"]

        client.force_login(taker)
        mine = client.get("/centre/quality/mine/").content.decode()
        assert "请按来电人原话记录" in mine and "75.0" in mine and "如实记录诉求人原意" in mine
        client.post("/centre/quality/mine/", {"review": review.pk})
        review.refresh_from_db()
        assert review.read_at is not None
        assert client.get("/centre/quality/").status_code == 403

        client.force_login(week_of_orders[0])
        assert "请按来电人原话记录" not in client.get("/centre/quality/mine/").content.decode()
        assert client.post("/centre/quality/mine/", {"review": review.pk}).status_code == 404

        client.force_login(supervisor)
        listing = client.get("/centre/quality/", {"status": "scored"}).content.decode()
        assert "共 1 条" in listing and review.order.number in listing


@pytest.mark.django_db
def test_typical_cases_with_knowledge_for_training_masked_R29_1(week_of_orders, make_user, client):
    from jiesu.knowledge.models import Article
    from jiesu.orders.models import WorkOrder

    Article.objects.create(slug="residence-permit", title="居住证办理材料", body="身份证、居住登记凭证、照片。")
    order = WorkOrder.objects.filter(created_by=week_of_orders[1]).get()
    supervisor = make_user(roles.SUPERVISOR)
    client.force_login(supervisor)
    client.post("/centre/training/", {"order": order.number, "title": "", "lesson": ""})
    assert not client.get("/centre/training/").content.decode().count("居住证办理材料</span>")
    client.post(
        "/centre/training/",
        {
            "order": order.number,
            "title": "居住证咨询一次答清",
            "lesson": "先问清来京时间，再按知识库口径一次告知材料。",
            "articles": ["residence-permit"],
        },
    )
    client.force_login(week_of_orders[0])
    page = client.get("/centre/training/").content.decode()
    assert "居住证咨询一次答清" in page and "居住证办理材料" in page and "身份证、居住登记凭证" in page
    assert "13800002222" not in page and "共 1 条" in page
    assert "共 0 条" in client.get("/centre/training/", {"q": "噪音"}).content.decode()
    # Call-takers read; they do not mark.
    assert (
        client.post("/centre/training/", {"order": order.number, "title": "x" * 5, "lesson": "要点要点"}).status_code
        == 403
    )
    client.force_login(make_user(roles.UNIT_HANDLER, "centre"))
    assert client.get("/centre/training/").status_code == 403
