"""JSON and XML renderings of one document, following GeoReport v2's JSON/XML conversion.

Documents are built once as plain Python (dicts, lists, strings, numbers, booleans, None) in
the shape of the XML; JSON is the mechanical mapping: a container of repeated children is a
JSON array even with one element, and list resources are top-level arrays. Codes and ids are
already strings when they get here, so `"service_code":"001"` never turns into a number.
"""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

from jiesu.core import validation

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element name of one child inside each repeated container (spec examples).
CHILD = {
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "notes": "note",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # ElementTree escapes markup but writes control characters as they are, and one vertical
    # tab in one order's text made the whole list unreadable to every XML parser.
    return validation.xml_text(str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for name, child in value.items():
            _fill(ET.SubElement(element, name), child)
    elif isinstance(value, list):
        child_name = CHILD[element.tag]
        for item in value:
            _fill(ET.SubElement(element, child_name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, document) -> bytes:
    element = ET.Element(root)
    _fill(element, document)
    # ElementTree escapes text and writes the declaration with encoding="UTF-8" (spec §General).
    return ET.tostring(element, encoding="UTF-8", xml_declaration=True)


def to_json(document) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render(fmt: str, root: str, document, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    body = to_json(document) if fmt == "json" else to_xml(root, document)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def render_error(fmt: str, error) -> HttpResponse:
    document = [{"code": error.code, "description": error.description}]
    return render(fmt, "errors", document, status=error.status, headers=error.headers)
