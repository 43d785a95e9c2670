"""What the OpenAPI schema documents (issue 12, defect 14): on main, nullable fields were
declared non-null, the handling and linkage endpoints had no request schema, and no operation
documented 400, 401 or 404. Schemathesis (tests/test_schema_fuzz.py) checks the answers against
it; this file checks that it says those things at all."""

from __future__ import annotations

import re

import pytest

from jiesu.core import roles
from jiesu.handling import actions

pytestmark = pytest.mark.django_db
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def schema(client, make_user):
    client.force_login(make_user(roles.SUPERVISOR))
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema):
    return [
        (path, method, op) for path, item in schema["paths"].items() for method, op in item.items() if method in METHODS
    ]


def resolve(schema, node):
    if "allOf" in node:  # the order's body: its component and the both-or-neither coordinates
        return resolve(schema, node["allOf"][0])
    ref = node.get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node


def test_every_operation_documents_its_error_answers_defect14(schema):
    found = operations(schema)
    assert len(found) >= 11 + len(actions.ACTIONS) - 1  # the handling actions one path each
    for path, method, op in found:
        for code in ("400", "401", "403", "404", "429"):
            answer = op["responses"].get(code)
            assert answer and "application/json" in answer["content"], (method, path, code)


def test_handling_actions_and_linkage_have_request_bodies_from_their_forms_defect14(schema, make_order):
    paths = schema["paths"]
    assert "/handling/api/orders/{number}/{action}/" not in paths
    for name, action in actions.ACTIONS.items():
        op = paths[f"/handling/api/orders/{{number}}/{name}/"]["post"]
        body = op["requestBody"]["content"]["application/json"]["schema"]
        wanted = {n for n, f in action.form.base_fields.items() if f.required and n != "photos"}
        assert set(body.get("required", [])) == wanted, name
        assert [p["name"] for p in op["parameters"] if p["in"] == "path"] == ["number"], name
    reply = paths["/handling/api/orders/{number}/reply/"]["post"]["requestBody"]["content"]["application/json"]
    assert reply["schema"]["properties"]["result"]["enum"] == ["resolved", "partly", "unresolved"]
    extension = paths["/handling/api/orders/{number}/extension/"]["post"]["requestBody"]["content"]
    assert extension["application/json"]["schema"]["properties"]["extra_days"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 30,
        "description": "延长工作日",
    }
    for suffix in ("transfer", "return"):
        op = paths[f"/linkage/api/orders/{{number}}/{suffix}/"]["post"]
        reason = op["requestBody"]["content"]["application/json"]["schema"]["properties"]["reason"]
        assert reason["minLength"] == 5 and reason["maxLength"] == 1000
        assert "502" in op["responses"]
    # The order number in every path has its shape: a real one matches, a hostile one does not.
    number = make_order().number
    for path, method, op in operations(schema):
        for p in op.get("parameters", []):
            if p["in"] == "path" and p["name"] == "number":
                assert re.fullmatch(p["schema"]["pattern"].strip("^$"), number), (method, path)
                assert not re.search(p["schema"]["pattern"], "2612\x0001-00001"), (method, path)


def test_fields_that_can_be_empty_are_nullable_defect14(schema):
    order = schema["components"]["schemas"]["Order"]["properties"]
    for name in ("lead_unit", "due_at", "response_due", "district", "latitude"):
        assert order[name].get("nullable") is True, name
    assert order["number"].get("nullable") is not True
    created = schema["components"]["schemas"]["OrderCreate"]["properties"]
    assert created["received_at"].get("nullable") is True


def test_text_in_requests_says_what_the_server_refuses(schema):
    """Control characters are refused with a 400 (defects 5, 6): the schema says so, and a
    required text says that blank is not text (DRF and Django forms trim it first)."""
    create = resolve(
        schema, schema["paths"]["/api/v1/orders/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    )
    content = create["properties"]["content"]
    assert re.search(content["pattern"], "楼下烧烤店油烟很大")
    for refused in ("  a b  ", "     ", "路灯\x0b坏了很久了", "路灯坏了很久了\x1f"):
        assert not re.search(content["pattern"], refused), refused
    name = create["properties"]["requester_name"]
    assert re.search(name["pattern"], "") and not re.search(name["pattern"], "张\x00三")


def test_coordinates_are_both_or_neither_and_within_range(schema):
    body = schema["paths"]["/api/v1/orders/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    both, neither = body["allOf"][1]["anyOf"]
    assert both["required"] == ["latitude", "longitude"] and neither["properties"]["latitude"]["enum"] == [None]
    latitude = resolve(schema, body)["properties"]["latitude"]
    assert (latitude["minimum"], latitude["maximum"]) == (-90, 90)
