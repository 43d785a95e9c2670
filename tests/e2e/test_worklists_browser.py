"""Issue 13's last work lists in a real browser on one demo centre: the dispatcher's review queue,
the 京津冀 linkage list and the appeals list each page past their first page, search narrows them,
and the count each shows is the true count of the database (R11.2, R21.1, R31.3).

The rows past the demo's own are made once for the module through the services real actions use:
orders queued for review as the engine queues them, transfers sent over real HTTP to an Open311
server (the live server itself stands in for the Tianjin hotline, as a second Jiesu does in
tests/linkage), appeals filed by the unit on its deductions.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.live_server import BIN, REPO, live_jiesu

from .test_intake_browser import login

pytestmark = pytest.mark.browser

PER_PAGE = 30  # jiesu.core.worklists.PER_PAGE
NUMBER = re.compile(r"\d{6}-\d{5}")


@pytest.fixture(scope="module")
def centre():
    with live_jiesu(demo_orders=1200) as (url, passwords, env):
        yield url, passwords, env


def _shell(env: dict, script: str) -> dict[str, int]:
    """Run `script` in `jiesu shell` on the centre's database; its last line, `name=count ...`."""
    done = subprocess.run(
        [str(BIN / "jiesu"), "shell", "-c", script], env=env, cwd=REPO, capture_output=True, text=True, check=True
    )
    last = done.stdout.strip().splitlines()[-1]
    return {k: int(v) for k, v in (pair.split("=") for pair in last.split())}


REVIEW_SCRIPT = """
from jiesu.directory.models import User
from jiesu.orders import choices, services
from jiesu.orders.models import WorkOrder
taker = User.objects.get(username="calltaker")
for i in range(31):
    order = services.create_order(services.IntakeData(
        channel="phone", kind="complaint", requester_phone="13811112222", location_text="",
        content=f"槐花飘落堵住了下水口第{i + 1}处，不知道该找哪个部门"), actor=taker)
    # What the engine records when it is not sure (jiesu.dispatch.services.plan_decision).
    services.change_status(order, choices.PENDING_REVIEW, actor=None, action="queued_for_review",
        data={"reasons": ["需复核：事项不明确"]})
print("queue=%d ours=%d" % (WorkOrder.objects.filter(status=choices.PENDING_REVIEW).count(),
    WorkOrder.objects.filter(status=choices.PENDING_REVIEW, content__contains="槐花飘落").count()))
"""

LINKAGE_SCRIPT = """
from jiesu.directory.models import Unit, User
from jiesu.linkage import services as linkage
from jiesu.linkage.models import NeighbourHotline, Transfer
from jiesu.orders import services
taker, dispatcher = User.objects.get(username="calltaker"), User.objects.get(username="dispatcher")
tianjin = Unit.objects.get(code="hotline-tianjin")
# The demo configured Tianjin already (without a key): this test points it at the live server.
hotline = NeighbourHotline.objects.filter(unit=tianjin).first() or NeighbourHotline(unit=tianjin)
hotline.base_url, hotline.timeout_seconds, hotline.max_attempts = "{url}/open311/v2", 30, 2
hotline.default_service_code = "cross.region.tianjin"
hotline.set_api_key("{key}")
hotline.full_clean()
hotline.save()
before = Transfer.objects.filter(hotline=hotline).count()
for i in range(32):
    order = services.create_order(services.IntakeData(
        channel="phone", kind="complaint", requester_phone="13833334444", location_text="天津市武清区",
        content=f"天津市武清区京津公路旁第{{i + 1}}个路口的红绿灯不亮，我每天从北京通勤经过"), actor=taker)
    linkage.transfer_to_neighbour(order, actor=dispatcher, hotline_unit=tianjin,
        reason="事发地在天津市武清区，属天津热线办理", judged_cross_region=True)
print("transfers=%d tianjin=%d" % (Transfer.objects.count(), Transfer.objects.filter(hotline=hotline).count() - before))
"""

APPEALS_SCRIPT = """
from jiesu.assessment import services
from jiesu.assessment.models import Appeal, Deduction
from jiesu.core import roles
from jiesu.directory.models import User
handler = User.objects.get(username="handler")
filed = set(Appeal.objects.values_list("order_id", "month"))
# The demo's unit first, then other units, each through a handler account of its own (as the
# bureau's admin would add one), until the list has a second page.
deductions = Deduction.objects.filter(run__current=True).select_related("order", "run", "unit")
for d in sorted(deductions, key=lambda d: (d.unit_id != handler.unit_id, d.unit_id, d.id)):
    if (d.order_id, d.run.month) in filed:
        continue
    if d.unit_id != handler.unit_id and Appeal.objects.count() > 40:
        break
    actor = User.objects.filter(unit=d.unit, role=roles.UNIT_HANDLER).order_by("id").first()
    if actor is None:
        actor = User.objects.create_user(f"handler-{d.unit_id}", password=None, role=roles.UNIT_HANDLER, unit=d.unit)
    services.file_appeal(d.order, actor=actor, month=d.run.month,
        reason="诉求人反映的问题属于物业合同纠纷，已依法告知诉讼渠道，不应计为未解决。")
    filed.add((d.order_id, d.run.month))
pending = Appeal.objects.filter(status=Appeal.PENDING)
print("pending=%d wangjing=%d" % (pending.count(), pending.filter(unit_id=handler.unit_id).count()))
"""


def _walk(page, url: str, table: str, pager: str) -> list[str]:
    """Every order number of a list, page after page by its 下一页 link; the pager's count."""
    page.goto(url)
    numbers: list[str] = []
    while True:
        numbers += [n for row in page.locator(f"{table} tr").all_inner_texts() for n in NUMBER.findall(row)[:1]]
        nxt = page.locator(f"{pager} a[rel=next]")
        if not nxt.count():
            return numbers
        nxt.click()
        page.wait_for_load_state()


def _count(page, pager: str) -> int:
    return int(re.search(r"\d+", page.inner_text(f"{pager} .count")).group())


def test_review_queue_pages_and_searches_with_a_true_count_R11_2(page, centre):
    url, passwords, env = centre
    counts = _shell(env, REVIEW_SCRIPT)
    assert counts["ours"] == 31 and counts["queue"] > PER_PAGE
    login(page, url, "dispatcher", passwords["dispatcher"])
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/dispatch/")
    assert _count(page, "#review-queue-pager") == counts["queue"]
    assert len(page.locator("#review-queue tr[data-number]").all()) == PER_PAGE
    numbers = _walk(page, f"{url}/dispatch/", "#review-queue", "#review-queue-pager")
    assert len(numbers) == len(set(numbers)) == counts["queue"]
    # Search by content through the filter bar: the true count and a second page that keeps it.
    page.goto(f"{url}/dispatch/")
    page.fill("#f-q", "槐花飘落")
    page.click("#review-queue-filters button[type=submit]")
    page.wait_for_url(re.compile(r"q="))
    assert _count(page, "#review-queue-pager") == 31
    assert "第 1 / 2 页" in page.inner_text("#review-queue-pager")
    page.click("#review-queue-pager a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    rows = page.locator("#review-queue tr[data-number]").all_inner_texts()
    assert len(rows) == 1 and "槐花飘落" in rows[0]
    assert page.input_value("#f-q") == "槐花飘落"
    # By order number prefix: one of ours, found by its number.
    page.goto(f"{url}/dispatch/?q={numbers[-1]}")
    assert _count(page, "#review-queue-pager") == 1


def test_linkage_list_pages_and_searches_transfers_to_tianjin_R21_1(page, centre):
    url, passwords, env = centre
    key = (
        subprocess.run(
            [str(BIN / "jiesu"), "open311-key", "--name", "天津12345热线（联动测试）", "--rate-limit", "600"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    counts = _shell(env, LINKAGE_SCRIPT.replace("{url}", url).replace("{key}", key))
    assert counts["tianjin"] == 32 and counts["transfers"] > PER_PAGE
    login(page, url, "supervisor", passwords["supervisor"])
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/linkage/")
    assert _count(page, "#transfers-pager") == counts["transfers"]
    assert "天津" in page.inner_text("#transfers")
    numbers = _walk(page, f"{url}/linkage/", "#transfers", "#transfers-pager")
    assert len(numbers) == len(set(numbers)) == counts["transfers"]
    page.goto(f"{url}/linkage/")
    page.fill("#f-q", "京津公路")
    page.fill("#f-unit", "天津")
    page.click("#linkage-filters button[type=submit]")
    page.wait_for_url(re.compile(r"q="))
    assert _count(page, "#transfers-pager") == 32
    page.click("#transfers-pager a[rel=next]")
    page.wait_for_url(re.compile(r"transfers_page=2"))
    assert len(page.locator("#transfers tr").all()) == 1 + 2  # the header and the last two
    assert page.input_value("#f-unit") == "天津"
    page.goto(f"{url}/linkage/?q=京津公路&unit=河北")
    assert _count(page, "#transfers-pager") == 0
    assert "无" in page.inner_text("#transfers")


def test_appeals_list_pages_and_searches_with_a_true_count_R31_3(page, centre):
    url, passwords, env = centre
    counts = _shell(env, APPEALS_SCRIPT)
    assert counts["pending"] > PER_PAGE and 0 < counts["wangjing"] < counts["pending"]
    login(page, url, "supervisor", passwords["supervisor"])
    page.wait_for_url(f"{url}/")
    page.goto(f"{url}/assessment/appeals/")
    assert _count(page, "#pending-appeals-pager") == counts["pending"]
    numbers = _walk(page, f"{url}/assessment/appeals/", "#pending-appeals", "#pending-appeals-pager")
    assert len(numbers) == counts["pending"]
    # A unit's name narrows the list to that unit's; a neighbour hotline has none.
    page.goto(f"{url}/assessment/appeals/")
    page.fill("#f-unit", "望京")
    page.click("#appeals-filters button[type=submit]")
    page.wait_for_url(re.compile(r"unit="))
    assert _count(page, "#pending-appeals-pager") == counts["wangjing"]
    assert set(page.locator("#pending-appeals tr td:nth-child(3)").all_inner_texts()) == {"望京街道办事处"}
    page.goto(f"{url}/assessment/appeals/?unit=天津")
    assert _count(page, "#pending-appeals-pager") == 0
    page.goto(f"{url}/assessment/appeals/?q={numbers[0]}")
    assert _count(page, "#pending-appeals-pager") >= 1
    assert numbers[0] in page.inner_text("#pending-appeals")
