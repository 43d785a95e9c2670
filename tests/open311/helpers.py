"""Reading Open311 answers in either format the same way, so each test runs on both."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

# Containers whose children repeat (GeoReport v2 JSON/XML conversion).
REPEATED = {
    "services",
    "service_requests",
    "service_request_updates",
    "attributes",
    "values",
    "endpoints",
    "formats",
    "errors",
    "notes",
}


def _element(e: ET.Element):
    if e.tag in REPEATED:
        return [_element(c) for c in e]
    if len(e):
        return {c.tag: _element(c) for c in e}
    return e.text


def parse(fmt: str, body: bytes, content_type: str):
    """The document as Python; XML leaves are strings (or None when empty), as XML has no types."""
    if fmt == "json":
        assert content_type == "application/json; charset=utf-8"
        return json.loads(body.decode("utf-8"))
    assert content_type == "text/xml; charset=utf-8"
    assert body.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = ET.fromstring(body)
    return root.tag, _element(root)


def doc(fmt: str, response):
    """JSON document or XML (root tag dropped) from a Django or httpx response."""
    parsed = parse(fmt, response.content, response.headers["Content-Type"])
    return parsed if fmt == "json" else parsed[1]


def root(response) -> str:
    return ET.fromstring(response.content).tag
