"""A second Jiesu on loopback plays the Tianjin hotline (R21.1): a real gunicorn on its own database.

Setting it up goes through its own front doors: `jiesu open311-key` for the key it gives
Beijing, `jiesu api-token` for the users whose REST calls advance its orders.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field

import httpx
import pytest

from tests.live_server import BIN, REPO, live_jiesu

REMOTE_SETUP = """
from jiesu.catalog.models import Matter
from jiesu.open311.models import ServiceAttribute
# A service that asks a required question, so that a request without the answer is a 400.
ServiceAttribute.objects.get_or_create(matter=Matter.objects.get(code="city.municipal.streetlight"), code="fault",
    defaults=dict(order=1, datatype="string", required=True, description="路灯故障类型"))
"""


def jiesu(env, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [str(BIN / "jiesu"), *args],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )
    return done.stdout.strip()


def open311_key(env, name: str) -> str:
    return jiesu(env, "open311-key", "--name", name, "--rate-limit", "600").splitlines()[-1]


def api_token(env, username: str) -> str:
    return jiesu(env, "api-token", username).splitlines()[-1]


@dataclass
class Remote:
    url: str
    env: dict
    key: str  # the key this server gave its neighbour
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def open311(self) -> str:
        return f"{self.url}/open311/v2"

    def rest(self, username: str) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, headers={"Authorization": f"Token {self.tokens[username]}"})

    def shell(self, code: str) -> str:
        return jiesu(self.env, "shell", "-c", code)


@pytest.fixture(scope="module")
def tianjin():
    with live_jiesu() as (url, _passwords, env):
        remote = Remote(url, env, open311_key(env, "beijing"))
        remote.tokens = {u: api_token(env, u) for u in ("handler", "dispatcher")}
        remote.shell(REMOTE_SETUP)
        yield remote


@pytest.fixture(autouse=True)
def _short_backoff(settings):
    settings.JIESU_LINKAGE_BACKOFF_SECONDS = 0.05  # bounded retries stay bounded in time too


@pytest.fixture
def tianjin_unit(db):
    from jiesu.directory.models import Unit

    return Unit.objects.get(code="hotline-tianjin")


@pytest.fixture
def endpoint(tianjin_unit):
    """Our endpoint for a remote (or a dead address), with a key."""
    from jiesu.linkage.models import NeighbourHotline

    def make(base_url: str, key: str, **extra) -> NeighbourHotline:
        # Test orders are made without the engine, so they have no matter: they go as the
        # stand-in's own cross-region service (it carries Beijing's taxonomy).
        extra.setdefault("default_service_code", "cross.region.tianjin")
        hotline = NeighbourHotline(unit=tianjin_unit, base_url=base_url, timeout_seconds=15, max_attempts=2, **extra)
        hotline.set_api_key(key)
        hotline.full_clean()
        hotline.save()
        return hotline

    return make
