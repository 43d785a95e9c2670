"""Return visits (R23.1): the queue, the visitor's script, valid and invalid visits, reopening."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiesu.followup import models as m
from jiesu.followup import services
from jiesu.orders import choices

pytestmark = pytest.mark.django_db


def actions_of(order):
    return list(order.events.order_by("at", "id").values_list("action", flat=True))


def test_replied_order_enters_queue_and_satisfied_visit_closes_it_R23_1(replied_order, supervisor):
    order = replied_order()
    assert services.sweep() == 1
    assert services.sweep() == 0  # idempotent
    order.refresh_from_db()
    assert order.status == choices.RETURN_VISIT
    visit = order.return_visits.get()
    assert (visit.reason, visit.round, visit.reply_result, visit.unit_id) == (
        m.REPLIED,
        1,
        "resolved",
        order.lead_unit_id,
    )
    services.record_visit(
        visit, actor=supervisor, contacted=True, resolution=m.RESOLVED, satisfaction=m.BASIC, comments="处理得还行"
    )
    order.refresh_from_db()
    visit.refresh_from_db()
    assert order.status == choices.CLOSED and visit.state == m.DONE and visit.outcome == "closed"
    assert actions_of(order)[-3:] == ["return_visit_queued", "return_visit_recorded", "closed"]


def test_order_whose_limit_passed_enters_queue_unreplied_R23_1(make_order, dispatched_to, wangjing_office):
    order = dispatched_to(make_order(), wangjing_office)
    from jiesu.orders.models import WorkOrder

    WorkOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert services.sweep() == 1
    visit = order.return_visits.get()
    assert visit.reason == m.LIMIT_REACHED and visit.reply_result == ""


def test_no_answer_after_n_tries_makes_visit_invalid_and_closes_R23_1(replied_order, supervisor, settings):
    settings.JIESU_VISIT_MAX_TRIES = 2
    order = replied_order()
    services.sweep()
    visit = order.return_visits.get()
    services.record_attempt(visit, actor=supervisor, outcome="no_answer")
    visit.refresh_from_db()
    assert visit.state == m.PENDING and visit.attempts == 1
    services.record_attempt(visit, actor=supervisor, outcome="busy")
    visit.refresh_from_db()
    assert visit.state == m.INVALID and visit.invalid_reason == m.NO_ANSWER
    order.refresh_from_db()
    assert order.status == choices.CLOSED
    with pytest.raises(ValidationError):
        services.record_visit(visit, actor=supervisor, contacted=True, resolution=m.RESOLVED, satisfaction=m.SATISFIED)


@pytest.mark.parametrize("outcome", [m.WRONG_NUMBER, m.REFUSED])
def test_wrong_number_or_refusal_is_invalid_at_once_R23_1(replied_order, supervisor, outcome):
    order = replied_order()
    services.sweep()
    visit = services.record_attempt(order.return_visits.get(), actor=supervisor, outcome=outcome)
    assert visit.state == m.INVALID and visit.invalid_reason == outcome


def test_not_solved_reopens_to_same_unit_with_new_limit_and_next_round_R23_1(
    replied_order, supervisor, handler, wangjing_office
):
    from jiesu.handling import services as handling

    order = replied_order()
    services.sweep()
    visit = order.return_visits.get()
    services.record_visit(
        visit,
        actor=supervisor,
        contacted=True,
        resolution=m.UNRESOLVED,
        satisfaction=m.UNSATISFIED,
        attitude_complaint=True,
    )
    order.refresh_from_db()
    assert order.status == choices.RETURN_VISIT  # waits for the centre
    ev = order.events.filter(action="return_visit_recorded").get()
    assert ev.data["false_resolved"] is True and ev.data["attitude_complaint"] is True
    with pytest.raises(ValidationError):
        services.decide_after_visit(visit, actor=supervisor, reopen=True, note="")
    before = timezone.now()
    services.decide_after_visit(visit, actor=supervisor, reopen=True, note="油烟问题仍未解决，请重新处理。", days=5)
    order.refresh_from_db()
    lead = order.assignments.get(active=True, role="lead")
    assert order.status == choices.IN_PROGRESS and lead.unit == wangjing_office and lead.finished_at is None
    assert order.due_at >= before + timedelta(days=5) - timedelta(seconds=5)
    assert "reopened" in actions_of(order)
    # The unit replies again; the next visit is round 2.
    handling.reply(order, actor=handler, result="resolved", public_text="已更换油烟净化设备并复查，问题已解决。")
    services.sweep()
    assert order.return_visits.order_by("round").last().round == 2


def test_only_visitors_may_visit_R23_1(replied_order, handler):
    order = replied_order()
    services.sweep()
    with pytest.raises(PermissionDenied):
        services.record_visit(
            order.return_visits.get(), actor=handler, contacted=True, resolution=m.RESOLVED, satisfaction=m.SATISFIED
        )


def test_visit_screens_R23_1(client, replied_order, supervisor, handler):
    order = replied_order()
    client.force_login(supervisor)
    assert client.post("/followup/sweep/").status_code == 302
    visit = order.return_visits.get()
    page = client.get("/followup/")
    assert order.number in page.content.decode()
    screen = client.get(f"/followup/visits/{visit.pk}/").content.decode()
    assert "回访话术" in screen and "13812345678" in screen  # the visitor dials the real number
    bad = client.post(f"/followup/visits/{visit.pk}/visit/", {"contacted": "yes"})
    assert bad.status_code == 400 and "visit-form" in bad.content.decode()
    ok = client.post(
        f"/followup/visits/{visit.pk}/visit/",
        {"contacted": "yes", "resolution": "resolved", "satisfaction": "satisfied"},
    )
    assert ok.status_code == 302
    visit.refresh_from_db()
    assert visit.state == m.DONE and visit.method == m.PHONE
    client.force_login(handler)
    assert client.get("/followup/").status_code == 403


def test_overdue_unaccepted_order_stays_with_unit_after_sweep_R23_1_R33_1(
    make_order, dispatched_to, wangjing_office, handler, supervisor, client
):
    """The visit at the limit is its own case; the order stays on the workbench and the board."""
    from jiesu.handling import selectors as handling_selectors
    from jiesu.orders.models import OrderUnit, WorkOrder

    order = dispatched_to(make_order(), wangjing_office)
    past = timezone.now() - timedelta(hours=1)
    WorkOrder.objects.filter(pk=order.pk).update(due_at=past)
    OrderUnit.objects.filter(order=order).update(due_at=past)
    assert services.sweep() == 1
    assert services.sweep() == 0  # one visit per limit
    order.refresh_from_db()
    assert order.status == choices.DISPATCHED
    visit = order.return_visits.get()
    assert visit.reason == m.LIMIT_REACHED and visit.state == m.PENDING
    assert order.number in [i.order.number for i in handling_selectors.workbench(handler)]
    assert order.pk in [p.order_id for p in handling_selectors.overdue_parts()]
    # The visitor's queue shows it as its own case, labelled.
    client.force_login(supervisor)
    page = client.get("/followup/").content.decode()
    assert order.number in page and "时限已到，单位未答复" in page
    client.force_login(handler)
    page = client.get("/handling/").content.decode()
    assert order.number in page
    page = client.get(f"/handling/orders/{order.number}/").content.decode()
    assert 'name="action"' in page or "/act/accept/" in page or "签收" in page
    # The visit is recorded; the order still waits for its unit, and nothing is left to decide.
    services.record_visit(visit, actor=supervisor, contacted=False, resolution=m.UNRESOLVED, satisfaction=m.UNSATISFIED)
    visit.refresh_from_db()
    order.refresh_from_db()
    assert visit.outcome == m.WITH_UNIT and order.status == choices.DISPATCHED
    # The unit then replies: the reply brings the normal visit round.
    from jiesu.handling import services as handling

    handling.accept(order, actor=handler)
    handling.record_contact(order, actor=handler, method="phone", outcome="reached")
    handling.reply(order, actor=handler, result="resolved", public_text="已联系物业，油烟净化器已清洗，夜间停止营业。")
    assert services.sweep() == 1
    order.refresh_from_db()
    assert order.status == choices.RETURN_VISIT
    assert list(order.return_visits.order_by("round").values_list("reason", flat=True)) == [m.LIMIT_REACHED, m.REPLIED]
