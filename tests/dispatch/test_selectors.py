"""Dispatch's read side as other apps use it: a consulted unit sees the order it is asked about
through orders' visibility, which no longer imports dispatch (R12.3, R5.1)."""

from __future__ import annotations

import pytest

from jiesu.directory.models import Unit
from jiesu.dispatch import selectors, services
from jiesu.orders.selectors import orders_visible_to


@pytest.mark.django_db
def test_consulted_unit_sees_the_order_and_an_unconsulted_one_does_not_R12_3(take, dispatcher, member):
    order = take("小区里的路灯坏了好多天了，晚上黑乎乎的")  # the engine leaves it for review
    city_dept = Unit.objects.get(code="city-urban_management")
    other = Unit.objects.get(code="city-housing")
    asked, not_asked = member(city_dept), member(other)
    assert not orders_visible_to(asked).filter(pk=order.pk).exists()

    services.open_consultation(order, actor=dispatcher, units=[city_dept], question="路灯归属不清，请城管委明确。")

    assert selectors.orders_consulted_by(city_dept.pk) == [order.pk]
    assert selectors.orders_consulted_by(other.pk) == []
    assert orders_visible_to(asked).filter(pk=order.pk).exists()
    assert not orders_visible_to(not_asked).filter(pk=order.pk).exists()


@pytest.mark.django_db
def test_objection_lists_for_other_apps(make_order, dispatched_to, wangjing_office, handler, dispatcher):
    order = dispatched_to(make_order(), wangjing_office)
    objection = services.raise_objection(order, actor=handler, grounds="duty", reason="该事项属于区住建委职责。")
    assert list(selectors.pending_objections()) == [objection] and selectors.pending_objection_count() == 1
    services.reject_objection(objection, actor=dispatcher, note="属地街道负责，请继续办理。")
    assert selectors.pending_objection_count() == 0
    assert list(selectors.rejected_objections([order.status])) == [objection]
    assert list(selectors.rejected_objections(["closed"])) == []


def test_orders_selectors_do_not_import_dispatch():
    import ast
    from pathlib import Path

    import jiesu.orders.selectors as module

    tree = ast.parse(Path(module.__file__).read_text())
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in imported if m.startswith("jiesu.dispatch")]
