"""The dispatch tests take requests through intake (tests/conftest.py: take), the engine fresh for each test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_engine(fresh_engine):
    return fresh_engine
