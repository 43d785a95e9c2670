"""No raw code on a screen: every console page a demo role reaches from the navigation and its
lists, and an order page of each kind, shows Chinese labels, never a status, event or result
code, a matter code, or a requirement id (R5.1: each role sees its part, in its language).

The database is prepared the way `make run` prepares it (the demo command at a small size),
then each role crawls its own console as a person would: the navigation, the lists, one
detail page of each kind linked from them.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from jiesu.core import roles
from jiesu.directory.models import User
from jiesu.followup import models as visit_models
from jiesu.handling.models import RESULTS
from jiesu.orders import choices

pytestmark = pytest.mark.django_db(transaction=False)

# Codes people must never read. Ordinary English words that are also codes are included:
# a Chinese console has no English words in its visible text.
RAW_CODES = (
    {code for code, _ in choices.STATUSES}
    | set(choices.EVENT_LABELS)
    | {code for code, _ in RESULTS}
    | {code for code, _ in visit_models.REASONS}
    | {code for code, _ in visit_models.SATISFACTIONS}
    | {code for code, _ in getattr(visit_models, "OUTCOMES", ())}
    | {code for code, _ in choices.KINDS}
    | {code for code, _ in choices.UNIT_ROLES}
    | {"limit_reached", "return_visit"}
)
CODE_WORD = re.compile(
    r"(?<![A-Za-z0-9_.@/-])("
    + "|".join(sorted(map(re.escape, RAW_CODES), key=len, reverse=True))
    + r")(?![A-Za-z0-9_-])"
)
MATTER_CODE = re.compile(r"(?<![\w./-])[a-z]{2,}(?:\.[a-z][a-z_]*){2,}(?![\w/])")
REQUIREMENT_ID = re.compile(r"(?<![A-Za-z0-9])R\d+\.\d+")

# Pages that are not the console's: Django's admin, downloads, the API, signing out.
SKIP = re.compile(
    r"^/(admin|api|static|media|open311|accounts/logout|logout)|/(export|download)|\.(xlsx|csv|json|pdf)$"
)
# One page of each kind of detail is enough: an order's number or a visit's id varies, the template does not.
DETAIL_KINDS = (
    re.compile(r"^/orders/[^/]+/$"),
    re.compile(r"^/handling/orders/[^/]+/$"),
    re.compile(r"^/dispatch/\d{6}-\d+/$"),
    re.compile(r"^/followup/visits/\d+/$"),
    re.compile(r"^/linkage/orders/[^/]+/(transfer|return)/$"),
    re.compile(r"^/assessment/units/"),
)


class _Visible(HTMLParser):
    """The text a person sees: text nodes outside script and style, option labels, button and
    placeholder texts, and title tooltips."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ("title", "placeholder", "aria-label"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data)


def problems_in(html: str) -> tuple[list[str], list[str]]:
    parser = _Visible()
    parser.feed(html)
    text = "\n".join(parser.parts)
    found = [f"code {m.group(1)!r}" for m in CODE_WORD.finditer(text)]
    found += [f"matter code {m.group(0)!r}" for m in MATTER_CODE.finditer(text)]
    found += [f"requirement id {m.group(0)!r}" for m in REQUIREMENT_ID.finditer(text)]
    return found, parser.links


@pytest.fixture
def demo_centre(db, django_db_blocker):
    # The demo's history ends "now": a pinned clock makes the spread of states the same every run.
    with time_machine.travel(datetime(2026, 11, 30, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        call_command("demo", orders=160, seed=7, stdout=_Null())
    # Four days on, some of the demo's open orders are past their limits and others replied:
    # every list (supervision board, visits at the limit, visits after a reply) has rows to open.
    with time_machine.travel(datetime(2026, 12, 4, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        # The visit queue as the cron job fills it: replied orders and orders at their limit.
        from jiesu.followup import services as followup

        followup.sweep()
        yield


class _Null:
    def write(self, *_args, **_kwargs):
        pass

    def flush(self):
        pass


def crawl(client, start: str = "/", budget: int = 150) -> tuple[dict[str, list[str]], set[str]]:
    """Breadth first over the console from the start page: every list, one detail of each kind."""
    seen, queue, report, kinds_done = set(), [start], {}, set()
    while queue and len(seen) < budget:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            queue.insert(0, urljoin(url, response["Location"]))
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        found, links = problems_in(response.content.decode())
        if found:
            report[url] = sorted(set(found))
        for href in links:
            parts = urlsplit(urljoin(url, href))
            if parts.netloc and parts.netloc != "testserver":
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or path in seen:
                continue
            kind = next((k for k in DETAIL_KINDS if k.search(parts.path)), None)
            if kind is not None:
                if kind.pattern in kinds_done:
                    continue
                kinds_done.add(kind.pattern)
            # Pages past the second of a list show the same template: one step of paging is enough.
            if re.search(r"page=(?!2\b)\d+", parts.query or ""):
                continue
            queue.append(path)
    return report, seen


# Pages each role must have reached: the lists of the issue and one detail page of each.
MUST_SEE = {
    "dispatcher": (r"/dispatch/$", r"/dispatch/\d{6}-\d+/$", r"/linkage/$", r"/handling/supervision/$", r"/orders/\d"),
    "supervisor": (
        r"/followup/$",
        r"/followup/visits/\d+/$",
        r"/handling/supervision/$",
        r"/handling/orders/\d",
        r"/assessment/appeals/$",
    ),
    "handler": (r"/handling/$", r"/handling/orders/\d", r"/orders/\d"),
    "calltaker": (r"/intake/", r"/orders/\d", r"/centre/quality/mine/$", r"/centre/training/$"),
    # The oversight roles land on their own board (the screenshot walk found them unscanned).
    "district": (r"/centre/oversight/$", r"/orders/\d"),
    "city": (r"/centre/oversight/$", r"/assessment/$"),
}
DEMO_ROLES = ("calltaker", "dispatcher", "supervisor", "analyst", "bureau", "handler", "unitadmin", "district", "city")


def test_no_raw_status_event_matter_code_or_requirement_id_on_any_console_page_R5_1(demo_centre, client):
    # One demo database for every role: preparing it is the slow part.
    reports = {}
    for username in DEMO_ROLES:
        user = User.objects.get(username=username)
        client.force_login(user)
        report, seen = crawl(client)
        print(username, sorted(seen))
        missing = [p for p in MUST_SEE.get(username, ()) if not any(re.match(p, url) for url in seen)]
        assert not missing, f"{username} did not reach {missing}: the crawl would prove nothing there"
        if report:
            reports[f"{username} ({user.role})"] = report
        client.logout()
    assert reports == {}, f"raw codes on screen: {reports}"


def test_the_scanner_finds_what_it_looks_for():
    # The scanner must be able to fail: each kind of leftover on a page is reported.
    html = (
        "<html><body><p>状态：replied</p><td>env.air.cooking_fume 餐饮油烟</td><h2>本月表扬（R7.1）</h2>"
        "<script>var status = 'closed';</script><p>resolved</p></body></html>"
    )
    found, _links = problems_in(html)
    assert "code 'replied'" in found and "code 'resolved'" in found
    assert "matter code 'env.air.cooking_fume'" in found and "requirement id 'R7.1'" in found
    assert "code 'closed'" not in found  # inside a script: not visible
    assert problems_in("<p>已答复 · 环境保护 &gt; 大气污染 &gt; 餐饮油烟</p>")[0] == []
    assert roles.DISPATCHER  # the roles crawled are the demo's own
