"""Shared fixtures: a test database with Beijing's directory loaded once, users per role."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from jiesu.core import roles

# The flow tests (intake, dispatch, handling, Open311, the browser) run as a centre whose
# administrator set the auto-dispatch target to 0.90: their sample requests are ordinary ones the
# calibrated gate sends out at that target (about half of others' requests, held out), not at
# the shipped 0.97, which sends out under a tenth. The gate at the shipped target is tested on the
# engine itself (tests/engine/test_lead_gate.py); tests that need review build it explicitly.
# Set before Django reads its settings, and inherited by the servers tests start as subprocesses.
FLOW_TEST_AUTO_DISPATCH_TARGET = "0.90"
os.environ.setdefault("JIESU_AUTO_DISPATCH_TARGET", FLOW_TEST_AUTO_DISPATCH_TARGET)


def pytest_configure(config):
    # One folder of prepared live-server centres for the whole run (tests/live_server.py): named
    # here by the controller, before pytest-xdist starts the workers that inherit it.
    if not os.environ.get("PYTEST_XDIST_WORKER") and not os.environ.get("JIESU_LIVE_TEMPLATES"):
        import tempfile

        config._jiesu_live_templates = tempfile.mkdtemp(prefix="jiesu-live-templates-")
        os.environ["JIESU_LIVE_TEMPLATES"] = config._jiesu_live_templates

    from django.conf import settings

    if settings.configured and getattr(settings, "JIESU_AUTO_DISPATCH_TARGET", None) is None:
        settings.JIESU_AUTO_DISPATCH_TARGET = float(os.environ["JIESU_AUTO_DISPATCH_TARGET"])
    if settings.configured:
        # In-process tests hash each user's password with a fast hasher (Django's advice for
        # test suites): PBKDF2 at Django's cost takes 0.3 s a password, paid by every test that
        # makes a user or logs one in. The production hashers stay behind it, so passwords
        # stored by `jiesu demo` still check, and the servers tests start keep the real ones.
        from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
        get_hashers.cache_clear()
        get_hashers_by_algorithm.cache_clear()


def pytest_unconfigure(config):
    folder = getattr(config, "_jiesu_live_templates", None)
    if folder:
        from tests.live_server import drop_templates

        drop_templates(folder)
        os.environ.pop("JIESU_LIVE_TEMPLATES", None)


def pytest_collection_modifyitems(config, items):
    # CI sets JIESU_REQUIRE_POSTGRES so that a run meant for PostgreSQL cannot quietly use SQLite.
    if os.environ.get("JIESU_REQUIRE_POSTGRES") and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        from django.db import connection

        assert connection.vendor == "postgresql", "DATABASE_URL asks for PostgreSQL but Django is not using it"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the directory once per test database; each test's own writes roll back."""
    from jiesu.catalog.rules import load_default_rules
    from jiesu.directory.services import load_directory

    with django_db_blocker.unblock():
        load_directory()
        load_default_rules()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests edit rules and decide at once: no grace second before the engine sees the edit.
    settings.JIESU_RULES_RECHECK_SECONDS = 0


@pytest.fixture
def make_user(db):
    from jiesu.directory.models import Unit, User

    counter = {"n": 0}

    def make(role: str, unit: Unit | str | None = "centre", **extra) -> User:
        counter["n"] += 1
        if isinstance(unit, str):
            unit = Unit.objects.get(code=unit)
        user = User(username=f"{role}-{counter['n']}", role=role, unit=unit, **extra)
        user.set_password("correct horse battery staple")
        user.save()
        return user

    return make


@pytest.fixture
def call_taker(make_user):
    return make_user(roles.CALL_TAKER)


@pytest.fixture
def dispatcher(make_user):
    return make_user(roles.DISPATCHER)


@pytest.fixture
def wangjing_office(db):
    from jiesu.directory.models import Unit

    return Unit.objects.get(kind="subdistrict_office", territory__name="望京街道", district__name="朝阳区")


@pytest.fixture
def other_office(db):
    from jiesu.directory.models import Unit

    return Unit.objects.get(kind="subdistrict_office", territory__name="东华门街道")


@pytest.fixture
def make_order(call_taker):
    from jiesu.orders import services

    def make(**fields):
        data = {
            "channel": "phone",
            "kind": "complaint",
            "content": "小区楼下餐馆油烟太大，晚上十点以后还很吵，希望有关部门管一管。",
            "requester_phone": "13812345678",
            "requester_name": "张三",
            "location_text": "朝阳区望京街道花家地北里",
        }
        data.update(fields)
        return services.create_order(services.IntakeData(**data), actor=call_taker)

    return make


@pytest.fixture
def fresh_engine():
    """The engine built anew for the test: its rule edits roll back with its transaction, and the
    cached engine must not outlive them. Folders whose every test decides use it through an
    autouse fixture of their own."""
    from jiesu.dispatch.runtime import reset_engine_cache

    reset_engine_cache()
    yield
    reset_engine_cache()


@pytest.fixture
def fresh_cache():
    """The per-process cache emptied before and after the test: rate and throttle counters live
    there and would leak from one test to the next (it outlives each test's database)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def take(call_taker):
    """A request taken at intake (the engine decides at once), with the caller's phone as a parameter."""
    from jiesu.intake.services import take_request
    from jiesu.orders.services import IntakeData

    def take(content, phone="13800138000", **fields):
        data = {"channel": "phone", "kind": "complaint", "content": content, "requester_phone": phone, **fields}
        return take_request(IntakeData(**data), actor=call_taker)

    return take


@pytest.fixture
def dispatched_to(dispatcher):
    """Dispatch an order to one unit as lead (the engine does this in production)."""
    from jiesu.orders import services

    def dispatch(order, unit):
        return services.dispatch_order(
            order, actor=dispatcher, assignments=[services.Assignment(unit=unit, role="lead")]
        )

    return dispatch


@pytest.fixture
def supervisor(make_user):
    return make_user(roles.SUPERVISOR)


@pytest.fixture
def member(make_user):
    """A user of a unit, one per unit and role in a test (a unit handler unless said otherwise)."""
    made = {}

    def member(unit, role: str = roles.UNIT_HANDLER):
        if (unit.pk, role) not in made:
            made[unit.pk, role] = make_user(role, unit)
        return made[unit.pk, role]

    return member


@pytest.fixture
def handler(member, wangjing_office):
    """望京街道's unit handler: the same person as member(wangjing_office)."""
    return member(wangjing_office)


@pytest.fixture
def dept(db):
    """A Chaoyang district department by sector key."""
    from jiesu.directory.models import Unit

    return lambda sector: Unit.objects.get(kind="district_department", district__name="朝阳区", sector=sector)


@pytest.fixture
def mid_november():
    """A clock running from Wednesday 18 November 2026, 10:00 in Beijing, for tests whose figures
    go by month (early or late in a month, a year's turn and holidays would move them). Folders
    whose every test needs it use it through an autouse fixture of their own."""
    import time_machine

    with time_machine.travel(datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def sms_outbox(settings):
    """Texts go to the in-memory backend: its outbox, emptied for this test. Folders whose every
    test sends texts use it through an autouse fixture of their own."""
    from jiesu.notifications.sms import MemorySmsBackend

    settings.JIESU_SMS_BACKEND = "jiesu.notifications.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    return MemorySmsBackend.outbox


@pytest.fixture
def api_key(db):
    """(ApiClient, raw key) for a partner app on Open311."""
    from jiesu.open311 import services
    from jiesu.open311.models import ApiClient

    client = ApiClient(name="北京通App", rate_limit_per_minute=100)
    raw = services.create_client(client)
    return client, raw
