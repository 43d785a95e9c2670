"""One engine over the Beijing defaults, shared by the engine tests (no Django, no database)."""

import pytest

from jiesu.engine import Engine


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.from_defaults()


@pytest.fixture
def decide(engine):
    def run(text, **kw):
        kw.setdefault("received_at", "2025-12-01T10:00:00+08:00")
        return engine.decide({"id": kw.pop("id", "t"), "text": text, "channel": "phone", **kw})

    return run


@pytest.fixture(scope="session")
def rules_engine() -> Engine:
    """The engine without the reader: the rounds' rule tests judge the rules alone."""
    return Engine.from_defaults(reader=None)


@pytest.fixture
def decide_by_rules(rules_engine):
    def run(text):
        return rules_engine.decide({"id": "t", "text": text, "received_at": "2025-12-01T10:00:00+08:00"})

    return run


@pytest.fixture(autouse=True)
def _media_in_tmp():
    """Engine tests touch no files or settings: shadow the Django suite's autouse fixture so that
    they also run with `-p no:django`."""
    yield
