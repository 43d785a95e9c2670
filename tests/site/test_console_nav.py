"""The console's main navigation (issue 13): a few links and dropdown groups by area instead of
fifteen links in a row; each role sees only the links it may open; no inline script (the CSP
allows none), and the groups are <details> menus, reachable by keyboard without any script."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from jiesu.core import roles


class Nav(HTMLParser):
    """Top-level items and grouped links of <nav class="main-nav">, and any inline script."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside the nav: nesting of details
        self.in_nav = False
        self.top: list[str] = []  # "link:/path/" or "group:<name>"
        self.grouped: list[str] = []
        self.inline_scripts = 0
        self._summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.inline_scripts += 1
        if tag == "nav" and "main-nav" in (attrs.get("class") or ""):
            self.in_nav = True
        if not self.in_nav:
            return
        if tag == "details":
            self.depth += 1
            self.top.append(f"group:{attrs.get('data-menu')}")
        elif tag == "summary":
            self._summary = True
        elif tag == "a":
            (self.grouped if self.depth else self.top).append(attrs["href"])
            if not self.depth:
                self.top[-1] = "link:" + self.top[-1]

    def handle_endtag(self, tag):
        if tag == "details" and self.in_nav:
            self.depth -= 1
        elif tag == "summary":
            self._summary = False
        elif tag == "nav":
            self.in_nav = False


def read_nav(html: str) -> Nav:
    nav = Nav()
    nav.feed(html)
    return nav


ROLE_UNITS = {
    roles.UNIT_HANDLER: "wangjing",
    roles.UNIT_ADMIN: "wangjing",
    roles.DISTRICT_OVERSIGHT: "chaoyang",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r, _ in roles.ROLE_CHOICES])
def test_each_role_sees_a_short_grouped_nav_of_pages_it_may_open(role, make_user, wangjing_office, client):
    from jiesu.directory.models import Unit

    unit = {
        "wangjing": wangjing_office,
        "chaoyang": Unit.objects.filter(kind="district_gov", district__name="朝阳区").first(),
    }.get(ROLE_UNITS.get(role), "centre")
    client.force_login(make_user(role, unit))
    home = client.get("/", follow=True)
    assert home.status_code == 200
    nav = read_nav(home.content.decode())
    assert nav.inline_scripts == 0
    assert "{#" not in home.content.decode() and "{%" not in home.content.decode()  # no template text leaks
    # A row that fits a laptop: at most eight items at the top, every group with a link in it.
    assert 2 <= len(nav.top) <= 8, nav.top
    assert len(set(nav.grouped)) == len(nav.grouped)
    groups = re.findall(
        r'<details class="menu" data-menu="(\w+)"><summary>[^<]+</summary><ul>\s*(.*?)</ul></details>',
        home.content.decode(),
        re.S,
    )
    assert all("<a href=" in links for _, links in groups), groups
    # Every link the role is shown answers it (a redirect to its own version of the page is fine).
    for href in [t.removeprefix("link:") for t in nav.top if t.startswith("link:")] + nav.grouped:
        response = client.get(href, follow=True)
        assert response.status_code == 200, (role, href, response.status_code)


@pytest.mark.django_db
def test_groups_follow_the_role(make_user, wangjing_office, client):
    client.force_login(make_user(roles.CALL_TAKER))
    call_taker = read_nav(client.get("/", follow=True).content.decode())
    assert "group:mine" in call_taker.top and "group:dispatch" not in call_taker.top
    assert "/centre/training/" in call_taker.grouped and "/public/cases/manage/" not in call_taker.grouped
    client.force_login(make_user(roles.SUPERVISOR))
    supervisor = read_nav(client.get("/", follow=True).content.decode())
    assert {"group:dispatch", "group:handling", "group:analysis", "group:oversight"} <= set(supervisor.top)
    assert "/public/cases/manage/" in supervisor.grouped and "/followup/" in "".join(supervisor.grouped)
    client.force_login(make_user(roles.UNIT_HANDLER, wangjing_office))
    handler = read_nav(client.get("/", follow=True).content.decode())
    assert "group:dispatch" not in handler.top and "group:oversight" not in handler.top
    assert any("/handling/" in h for h in handler.grouped)
