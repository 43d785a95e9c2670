"""The order page offers the transfer to dispatchers only (R21.1)."""

import pytest

from jiesu.core import roles


@pytest.mark.django_db
def test_transfer_link_for_dispatchers_only_R21_1(make_order, dispatcher, make_user, client):
    order = make_order()
    client.force_login(dispatcher)
    assert f"/linkage/orders/{order.number}/transfer/" in client.get(f"/orders/{order.number}/").content.decode()
    supervisor = make_user(roles.SUPERVISOR)
    client.force_login(supervisor)
    assert "linkage-actions" in client.get(f"/orders/{order.number}/").content.decode()
    analyst = make_user(roles.ANALYST)
    client.force_login(analyst)
    assert "linkage-actions" not in client.get(f"/orders/{order.number}/").content.decode()
