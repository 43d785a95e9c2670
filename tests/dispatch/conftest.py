"""Fixtures for the dispatch tests: requests taken through intake, the engine fresh for each test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_engine():
    from jiesu.dispatch.runtime import reset_engine_cache

    # Each test's rule edits roll back with its transaction; the cached engine must not outlive them.
    reset_engine_cache()
    yield
    reset_engine_cache()


@pytest.fixture
def take(call_taker):
    """A request taken at intake (the engine decides at once), with the caller's phone as a parameter."""
    from jiesu.intake.services import take_request
    from jiesu.orders.services import IntakeData

    def take(content, phone="13800138000", **fields):
        data = {"channel": "phone", "kind": "complaint", "content": content, "requester_phone": phone, **fields}
        return take_request(IntakeData(**data), actor=call_taker)

    return take
