"""Start pages and the order page on a small demo centre (issue 13 items 3, 4 and 8).

Requirements served: R5.1 (what each role sees), R8.3 (identities masked by role), R15.1 (the
reply and the contact on record), R23.1 (return visits and satisfaction), R31.1 (the monthly
assessment shows last month's ranking).
"""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from jiesu.core import cockpit
from jiesu.demo.live import bring_to_life
from jiesu.demo.orders import generate_orders
from jiesu.demo.users import create_demo_users
from jiesu.directory.models import User
from jiesu.followup.models import ReturnVisit
from jiesu.orders import choices
from jiesu.orders.models import OrderUnit, WorkOrder

ROLES = ("calltaker", "dispatcher", "supervisor", "analyst", "bureau", "handler", "unitadmin")
# Mid-month, so both this month's and last month's rates have visits behind them.
NOW = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
RAW = re.compile(
    r"\b(in_progress|return_visit|pending_review|limit_reached|resolved|satisfied|unit_handler|"
    r"contact_recorded|R\d+\.\d+)\b"
)


@pytest.fixture
def centre(db):
    with time_machine.travel(NOW, tick=False):
        create_demo_users()
        generate_orders(500, seed=2026, stdout=io.StringIO())
        bring_to_life(io.StringIO())
        yield {u.username: u for u in User.objects.filter(username__in=ROLES)}


def _page(client, user, url="/"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _text(html: str) -> str:
    body = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def _tiles(html: str) -> dict[str, int]:
    return {
        label: int(value)
        for value, label in re.findall(r'tile-value">(\d+)</span><span class="tile-label">([^<]+)<', html)
    }


@pytest.mark.django_db
def test_R5_1_every_role_has_a_start_page_with_data_and_no_raw_codes(centre, client):
    with time_machine.travel(NOW, tick=False):
        for username, user in centre.items():
            html = _page(client, user)
            tiles = _tiles(html)
            assert len(tiles) >= 3 and any(tiles.values()), (username, tiles)
            assert 'id="cockpit-data"' in html and "js/echarts.min.js" in html
            text = _text(html)
            assert "%" in text and not RAW.search(text), (username, RAW.search(text))


@pytest.mark.django_db
def test_R5_1_start_page_counts_are_true_and_cheap(centre, client, django_assert_max_num_queries):
    handler = centre["handler"]
    with time_machine.travel(NOW, tick=False):
        now = timezone.now()
        end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59)
        mine = OrderUnit.objects.filter(
            unit_id=handler.unit_id,
            active=True,
            finished_at=None,
            role__in=cockpit.WORKING_ROLES,
            order__status__in=[choices.DISPATCHED, choices.IN_PROGRESS],
        )
        tiles = _tiles(_page(client, handler))
        assert tiles["本单位待办"] == mine.count() > 0
        assert tiles["已超期"] == mine.filter(due_at__lt=now).count()
        assert tiles["今日到期"] == mine.filter(due_at__gte=now, due_at__lte=end_of_day).count()

        supervisor_tiles = _tiles(_page(client, centre["supervisor"]))
        assert supervisor_tiles["待回访"] == ReturnVisit.objects.filter(state="pending").count() > 0
        month = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        visits = ReturnVisit.objects.filter(state="done", visited_at__gte=month, visited_at__lt=now)
        rates = cockpit.rates(month, now)
        assert rates["visits"] == visits.count() > 0
        assert rates["resolution"] == round(100 * visits.filter(resolution="resolved").count() / visits.count(), 1)
        # A fixed handful of aggregate queries, not one per order.
        for user in centre.values():
            client.force_login(user)
            with django_assert_max_num_queries(25):
                client.get("/")


@pytest.mark.django_db
def test_R31_1_assessment_shows_last_months_ranking_on_the_demo(centre, client):
    with time_machine.travel(NOW, tick=False):
        html = _page(client, centre["analyst"], reverse("assessment:dashboard") + "?month=2026-10")
        assert 'id="ranking"' in html and "尚无考核结果" not in html
        assert html.count("<tr>") > 5
        unit_html = _page(client, centre["unitadmin"])
        assert "考核得分" in unit_html and "组内第" in unit_html


@pytest.mark.django_db
def test_R11_2_review_queue_has_engine_suggestions_and_the_unit_has_live_work(centre, client):
    """The demo's morning went through the services: decisions, extension, whistle, escalation, visits."""
    from jiesu.handling.models import ExtensionRequest, Whistle

    with time_machine.travel(NOW, tick=False):
        waiting = WorkOrder.objects.filter(status=choices.PENDING_REVIEW)
        for order in waiting:
            assert order.events.filter(action="decided").exists(), order.number
        handler = centre["handler"]
        assert ExtensionRequest.objects.filter(unit_id=handler.unit_id, status="pending").exists()
        # A small demo has few of the unit's orders in progress; each that is gets one step of the morning.
        busy = WorkOrder.objects.filter(lead_unit_id=handler.unit_id, status=choices.IN_PROGRESS).count()
        assert busy < 2 or Whistle.objects.filter(office_id=handler.unit_id).exists()
        assert WorkOrder.objects.filter(
            events__action="return_visit_recorded",
            events__actor=centre["supervisor"],
            events__at__gte=timezone.now() - timedelta(minutes=5),
        ).exists()


def test_R16_1_supervision_sub_lists_and_due_today_are_alive_on_the_demo(centre, client):
    """Issue 13: a second extension, a refused objection and helpers due tonight, all made through
    the services, so 多次申请延期, 异议被驳回 and 今日到期 show work on first login."""
    from jiesu.dispatch.models import Objection
    from jiesu.handling import selectors

    with time_machine.travel(NOW, tick=False):
        handler = centre["handler"]
        assert selectors.repeated_extensions().filter(lead_unit_id=handler.unit_id).exists()
        assert Objection.objects.filter(unit_id=handler.unit_id, status=Objection.REJECTED).exists()
        assert selectors.rejected_objections().exists()
        helpers = OrderUnit.objects.filter(role="assist", order__lead_unit_id=handler.unit_id, finished_at=None)
        # Up to three, as many as the small demo's unit has orders in progress.
        tonight = helpers.filter(due_at__date=timezone.localdate(), due_at__gt=timezone.now()).count()
        assert 1 <= tonight <= 3
        for username in ("supervisor", "dispatcher"):
            assert _tiles(_page(client, centre[username]))["今日到期"] >= tonight, username
        board = _text(_page(client, centre["supervisor"], "/handling/supervision/"))
        assert "多次申请延期（" in board and "异议被驳回（" in board
        assert "多次申请延期（0）" not in board and "异议被驳回（0）" not in board


@pytest.mark.django_db
def test_R23_1_order_page_holds_reply_visit_and_satisfaction_masked_by_role(centre, client):
    with time_machine.travel(NOW, tick=False):
        order = (
            WorkOrder.objects.filter(status=choices.CLOSED, lead_unit_id=centre["handler"].unit_id)
            .exclude(Q(requester_phone_enc="") | Q(requester_confidential=True))
            .first()
        )
        visit = order.return_visits.get()
        reply = order.replies.get()
        phone = order.requester_phone
        url = reverse("orders:detail", args=[order.number])
        for username, sees_phone in (("supervisor", True), ("handler", True), ("analyst", False)):
            html = _page(client, centre[username], url)
            text = _text(html)
            assert reply.public_text in text and "办理情况（内部，不公开）" in text
            assert visit.get_satisfaction_display() in text and visit.get_resolution_display() in text
            assert "联系诉求人" in text and "答复办理结果" in text and "回访结果" in text
            assert (phone in html) is sees_phone, username
            assert not RAW.search(text), (username, RAW.search(text))


def test_event_contents_are_labelled_in_chinese_without_codes_or_requirement_ids():
    from jiesu.orders import event_text

    lines = dict(
        event_text.lines(
            {
                "method": "phone",
                "outcome": "reached",
                "contacted_at": "2026-11-18T02:30:00+00:00",
                "note": "约定上门",
                "visit_id": 7,
                "matter_code": "env.air.cooking_fume",
                "result": "partly",
                "on_time": False,
                "units": [{"code": "so-1", "name": "望京街道办事处", "role": "lead"}],
                "reasons": ["依据派单目录（R11.2）派给属地街道"],
                "unknown_key": "raw",
            }
        )
    )
    assert lines["方式"] == "电话" and lines["结果"] == "已联系上" and lines["联系时间"] == "2026-11-18 10:30"
    assert lines["办理结果"] == "部分解决" and lines["按时答复"] == "否" and lines["说明"] == "约定上门"
    assert lines["承办单位"] == "主办：望京街道办事处" and lines["依据"] == "依据派单目录派给属地街道"
    shown = " ".join(f"{k} {v}" for k, v in lines.items())
    assert "env.air" not in shown and "raw" not in shown and "7" not in shown.replace("2026-11-18 10:30", "")


@pytest.mark.django_db
def test_R5_1_who_sees_no_order_gets_no_figures(make_user, make_order, client):
    make_order()
    for user in (make_user("unit_handler", unit=None), make_user("", unit=None)):
        html = _page(client, user)
        assert _tiles(html) == {}, user.role
