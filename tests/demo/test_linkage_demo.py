"""The demo centre's Beijing-Tianjin-Hebei linkage: transfers both ways, their states and the
neighbours' news, all written by jiesu.linkage's services (issue 13, item 8; R21.1)."""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from jiesu.demo.linkage import add_linkage_demo
from jiesu.directory.models import User
from jiesu.linkage.models import Transfer
from jiesu.orders import choices
from jiesu.orders.models import OrderEvent

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def linked(db):
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=io.StringIO())  # directory, rules, users
        out = io.StringIO()
        done = add_linkage_demo(out)
        yield done, out.getvalue()


@pytest.mark.django_db
def test_R21_1_demo_linkage_goes_through_the_services(linked):
    done, out = linked
    assert out == "", out  # no step was refused
    assert done["transferred"] >= 5 and done["received"] >= 4 and done["returned"] == 1 and done["sent_back"] == 1
    out_ = Transfer.objects.filter(direction=Transfer.OUT)
    assert {t.hotline.unit.code for t in out_} == {"hotline-tianjin", "hotline-hebei"}
    assert out_.filter(remote_status=Transfer.CLOSED).count() >= 2
    assert out_.filter(remote_status=Transfer.OPEN).exclude(remote_status_notes="").exists()
    assert out_.filter(returned_order__isnull=False).count() == 1
    # Every transfer has its order moved and its event; every received order its mark.
    for transfer in Transfer.objects.select_related("order"):
        assert transfer.order.status == choices.TRANSFERRED
        action = "neighbour_transferred" if transfer.direction == Transfer.OUT else "neighbour_returned"
        assert transfer.order.events.filter(action=action, data__transfer_id=transfer.pk).exists()
    assert OrderEvent.objects.filter(action="neighbour_received").count() == done["received"] + 1
    assert OrderEvent.objects.filter(action="neighbour_closed").count() == done["closed"]
    assert OrderEvent.objects.filter(action="neighbour_sent_back").count() == 1
    # A second run adds nothing.
    with time_machine.travel(NOW, tick=False):
        assert add_linkage_demo(io.StringIO()) == {}


@pytest.mark.django_db
def test_R21_1_demo_linkage_page_lists_them_in_chinese(linked, client):
    client.force_login(User.objects.get(username="dispatcher"))
    with time_machine.travel(NOW, tick=False):
        html = client.get("/linkage/").content.decode()
    total = int(re.search(r'id="transfers-total">(\d+)<', html).group(1))
    assert total == Transfer.objects.count() >= 6
    for words in (
        "天津市12345政务服务便民热线",
        "河北省12345政务服务便民热线",
        "已办结",
        "办理中",
        "退回来件",
        "已被退回",
    ):
        assert words in html, words
    visible = re.sub(r"<[^>]+>", " ", html)
    assert "cross.region" not in visible and "closed" not in visible
