"""Fixtures for the Open311 tests: an API client with its key, a service that asks questions."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def _fresh_rate_counters(fresh_cache):
    return fresh_cache


@pytest.fixture
def http():
    return Client()


@pytest.fixture
def streetlight(db):
    """The streetlight matter with two questions: a required list and an optional number."""
    from jiesu.catalog.models import Matter
    from jiesu.open311.models import ServiceAttribute, ServiceAttributeValue

    matter = Matter.objects.get(code="city.municipal.streetlight")
    kind = ServiceAttribute.objects.create(
        matter=matter, code="fault", order=1, datatype="singlevaluelist", required=True, description="路灯故障类型"
    )
    ServiceAttributeValue.objects.create(attribute=kind, key="dark", name="不亮", order=1)
    ServiceAttributeValue.objects.create(attribute=kind, key="flicker", name="闪烁", order=2)
    ServiceAttribute.objects.create(
        matter=matter,
        code="count",
        order=2,
        datatype="number",
        description="不亮的路灯数量",
        datatype_description="填写数字",
    )
    return matter
