"""To Tianjin and back between two live servers (R21.1).

Both sides are real gunicorns on their own databases, each configured with the other's
endpoint and key by `jiesu linkage-endpoint`; everything else goes over HTTP: Beijing files
and transfers an order, Tianjin finds it is not its matter and returns it, Beijing receives
it marked as Tianjin's and learns by `jiesu follow-transfers` that its transfer was closed.
"""

from __future__ import annotations

import pytest

from tests.live_server import live_jiesu

from .conftest import Remote, api_token, jiesu, open311_key


@pytest.fixture(scope="module")
def beijing():
    with live_jiesu() as (url, _passwords, env):
        remote = Remote(url, env, open311_key(env, "tianjin"))
        remote.tokens = {"dispatcher": api_token(env, "dispatcher")}
        yield remote


def _events(server: Remote, number: str) -> list[dict]:
    with server.rest("dispatcher") as rest:
        answer = rest.get(f"/api/v1/orders/{number}/")
    assert answer.status_code == 200, answer.text
    return answer.json()["events"]


def test_transfer_to_tianjin_and_back_between_two_live_servers_R21_1(beijing, tianjin):
    """R21.1: Beijing -> Tianjin over Open311, Tianjin returns it, Beijing follows its transfer to the close."""
    # Each side knows the other's endpoint, the key the other issued, and which client the other uses.
    jiesu(
        beijing.env,
        "linkage-endpoint",
        "hotline-tianjin",
        "--url",
        tianjin.open311,
        "--key-stdin",
        "--client",
        "tianjin",
        stdin=tianjin.key + "\n",
    )
    # The stand-in carries Beijing's directory: its "Tianjin hotline" unit plays Beijing from its side.
    jiesu(
        tianjin.env,
        "linkage-endpoint",
        "hotline-tianjin",
        "--url",
        beijing.open311,
        "--key-stdin",
        "--client",
        "beijing",
        stdin=beijing.key + "\n",
    )
    tianjin.tokens.setdefault("dispatcher", api_token(tianjin.env, "dispatcher"))

    with beijing.rest("dispatcher") as rest:
        filed = rest.post(
            "/api/v1/orders/",
            json={
                "channel": "phone",
                "kind": "complaint",
                "requester_phone": "13900001111",
                "requester_name": "李四",
                "content": "天津市武清区某小区门口的路灯坏了两个星期，晚上很黑，希望天津方面尽快修好",
                "location_text": "天津市武清区",
            },
        )
        assert filed.status_code == 201, filed.text
        number = filed.json()["number"]
        sent = rest.post(
            f"/linkage/api/orders/{number}/transfer/",
            data={"hotline_unit": "hotline-tianjin", "reason": "诉求地点位于天津市武清区，属天津市办理"},
        )
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "transferred"
    theirs = sent.json()["transfer"]["remote_id"]

    received = [e for e in _events(tianjin, theirs) if e["action"] == "neighbour_received"]
    assert received and received[0]["data"]["remote_id"] == number

    with tianjin.rest("dispatcher") as rest:
        returned = rest.post(
            f"/linkage/api/orders/{theirs}/return/", data={"reason": "经核实路灯位于北京市通州区，不属本市办理"}
        )
    assert returned.status_code == 200, returned.text
    back = returned.json()["transfer"]["remote_id"]

    # Beijing has a new order marked as Tianjin's, linked to the one it sent.
    [arrived] = [e for e in _events(beijing, back) if e["action"] == "neighbour_received"]
    assert arrived["data"]["returns_order"] == number and arrived["data"]["from_code"] == "hotline-tianjin"
    assert "通州" in arrived["data"]["note"]
    original = _events(beijing, number)
    assert [e["data"]["new_order"] for e in original if e["action"] == "neighbour_sent_back"] == [back]

    # Beijing's follow-up job sees its transfer closed at Tianjin (transferred there counts as closed).
    out = jiesu(beijing.env, "follow-transfers")
    assert '"closed": 1' in out and '"failed": 0' in out
    [closed] = [e for e in _events(beijing, number) if e["action"] == "neighbour_closed"]
    assert closed["data"]["remote_id"] == theirs
