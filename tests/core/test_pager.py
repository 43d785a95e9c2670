"""The one pager of every list (core/_pager.html): a work list's with its count and the filters
its view keeps; a reading list's (brief) hidden on a single page and carrying the request's own
query, less the page."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template import loader
from django.test import RequestFactory


def render(page, path="/", **context):
    request = RequestFactory().get(path)
    return loader.render_to_string("core/_pager.html", {"page": page, **context}, request=request)


def links(html: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)]


def test_a_work_list_pager_shows_its_count_and_keeps_the_views_filters():
    page = Paginator(range(45), 20).page(2)
    html = render(page, "/dispatch/?pending_page=3&page=2", keep="q=%E6%B2%B9%E7%83%9F", list_id="review-queue")
    assert 'id="review-queue-pager"' in html and 'id="review-queue-count"' in html
    assert "第 2 / 3 页" in html and "共 45 件" in html
    # The view's `keep` names what the links carry: not another list's page on the same screen.
    assert links(html) == ["?page=1&q=%E6%B2%B9%E7%83%9F", "?page=3&q=%E6%B2%B9%E7%83%9F"]


def test_a_work_list_pager_shows_on_a_single_page_and_names_its_page_parameter():
    html = render(Paginator(range(3), 20).page(1), keep="", page_param="objections_page", list_id="objections")
    assert "共 3 件" in html and links(html) == []
    html = render(Paginator(range(30), 20).page(1), keep="", page_param="objections_page", list_id="objections")
    assert links(html) == ["?objections_page=2"]


def test_a_brief_pager_carries_the_requests_query_and_hides_on_a_single_page():
    page = Paginator(range(45), 20).page(2)
    html = render(page, "/public/cases/?q=%E5%99%AA%E9%9F%B3&state=open&page=2", brief=True)
    assert "共" not in html and "第 2 / 3 页" in html
    assert links(html) == [
        "?page=1&q=%E5%99%AA%E9%9F%B3&state=open",
        "?page=3&q=%E5%99%AA%E9%9F%B3&state=open",
    ]
    assert render(Paginator(range(5), 20).page(1), "/public/cases/", brief=True).strip() == ""
