"""What the OpenAPI schema says beyond what drf-spectacular infers (issue 12, defect 14).

Every operation can answer 400 (a field's error: {"field": ["message"]}), 401 (no or a bad
token), 403 (the role may not), 404 (not there or not yours) and 429 (throttled) with DRF's
error body; an operation's own documented answers are kept.
"""

from __future__ import annotations

ERROR = {
    "description": '错误：{"detail": "说明"}，或按字段 {"字段": ["说明"]}',
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
ERROR_SCHEMA = {
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {}},
    ],
}
CODES = {
    "400": "请求参数有误",
    "401": "未登录或令牌无效",
    "403": "无权执行",
    "404": "不存在或无权查看",
    "429": "请求过于频繁",
}


# What the server refuses in any text (jiesu.core.validation: C0 controls but tab, line feed and
# carriage return; non-characters), said in the schema so that a client, or a fuzzer, knows a
# string with them is invalid data rather than valid data refused.
_CONTROL = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff"
TEXT = f"[^{_CONTROL}]"
TEXT_PATTERN = f"^{TEXT}*$"
# DRF trims text before checking its length: a required text of minLength n needs n characters
# between its first and its last that are not white space.
_SPACE = "[\\t\\n\\r \\u3000]"
_INK = f"[^\\s{_CONTROL}]"
WEB_URL = r"^https?://(?:[a-z0-9]{1,20}\.){1,3}[a-z]{2,6}(?:/[A-Za-z0-9._~-]{0,40}){0,4}(?:\?[A-Za-z0-9=&_.-]{0,60})?$"
# Order numbers (jiesu.orders.numbering): the day and its running number.
ORDER_NUMBER = "^[0-9]{6}-[0-9]{5,}$"


# A place is given by both coordinates or by neither (orders.services refuses one alone).
COORDINATES = {
    "anyOf": [
        {
            "required": ["latitude", "longitude"],
            "properties": {"latitude": {"type": "number"}, "longitude": {"type": "number"}},
        },
        {
            "properties": {
                "latitude": {"type": "number", "nullable": True, "enum": [None]},
                "longitude": {"type": "number", "nullable": True, "enum": [None]},
            }
        },
    ],
    "description": "latitude 与 longitude 须同时填写或同时为空",
}


def _organisation() -> dict:
    """A legal person or an organisation names itself (orders.services refuses it unnamed)."""
    return {
        "anyOf": [
            {"properties": {"requester_type": {"type": "string", "enum": ["natural"]}}},
            {
                "required": ["requester_type", "requester_organisation"],
                "properties": {"requester_organisation": {"type": "string", "pattern": _trimmed(1)}},
            },
        ],
        "description": "requester_type 为 legal 或 organisation 时须填写 requester_organisation",
    }


def _phone_by_channel() -> dict:
    """An order taken by telephone or text message carries its number (orders.services)."""
    from jiesu.core import phones
    from jiesu.orders import choices

    others = [code for code, _ in choices.CHANNELS if code not in phones.REQUIRED_BY_CHANNELS]
    return {
        "anyOf": [
            {"properties": {"channel": {"type": "string", "enum": others}}},
            {
                "required": ["requester_phone"],
                "properties": {"requester_phone": {"type": "string", "pattern": phones.PATTERN}},
            },
        ],
        "description": "channel 为 phone 或 sms 时须填写 requester_phone",
    }


def _trimmed(min_length: int) -> str:
    middle = f"({TEXT}*{_INK})?" if min_length <= 1 else f"{TEXT}{{{min_length - 2},}}{_INK}"
    return f"^{_SPACE}*{_INK}{middle}{_SPACE}*$"


def resolve_ref(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref")
    return components.get(ref.rsplit("/", 1)[-1], {}) if ref else schema


def _describe_text(schema: dict, components: dict, seen: set) -> None:
    """Give every plain string of a request schema its text pattern (following $refs once)."""
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _describe_text(components.get(name, {}), components, seen)
        return
    if schema.get("type") == "string" and schema.get("format") == "uri" and "pattern" not in schema:
        # Any URI is not what the server takes (http or https, a host with a top-level domain):
        # the pattern describes a part of what it takes, so a client built from it never sends
        # one the server refuses.
        schema.pop("format")
        schema["pattern"] = WEB_URL
    if schema.get("type") == "string" and not ({"format", "enum", "pattern"} & schema.keys()):
        schema["pattern"] = _trimmed(schema["minLength"]) if schema.get("minLength") else TEXT_PATTERN
    for key in ("properties",):
        for sub in (schema.get(key) or {}).values():
            _describe_text(sub, components, seen)
    for key in ("items", "additionalProperties"):
        _describe_text(schema.get(key), components, seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(key) or []:
            _describe_text(sub, components, seen)


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    described: set = set()
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "path" and parameter.get("name") == "number":
                    schema["pattern"] = ORDER_NUMBER
                elif parameter.get("in") in {"path", "query"}:
                    _describe_text(schema, components, described)
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                _describe_text(media.get("schema"), components, described)
                body = resolve_ref(media.get("schema") or {}, components)
                if {"latitude", "longitude"} <= set(body.get("properties", {})):
                    media["schema"] = {"allOf": [media["schema"], COORDINATES]}
                if {"requester_type", "requester_organisation"} <= set(body.get("properties", {})):
                    media["schema"] = {"allOf": [*media["schema"].get("allOf", [media["schema"]]), _organisation()]}
                if {"channel", "requester_phone"} <= set(body.get("properties", {})):
                    media["schema"] = {"allOf": [*media["schema"].get("allOf", [media["schema"]]), _phone_by_channel()]}
            responses = operation.setdefault("responses", {})
            for code, text in CODES.items():
                responses.setdefault(code, {**ERROR, "description": text})
            if operation.get("requestBody"):
                # A body in a type the operation does not read (DRF's parsers).
                responses.setdefault("415", {**ERROR, "description": "不支持的请求体类型"})
            if method == "get" and "/attachments/{" in path:
                # A file erased with the order's personal data (orders.erasure).
                responses.setdefault("410", {**ERROR, "description": "附件已按规定删除"})
    return result


# Endpoints whose input is a Django form (the screens' forms, shared with the API) -----------


def form_schema(form_class) -> dict:
    """The JSON schema of what `form_class` accepts, for a request body. A file field is left
    out (it travels as multipart, as the screens send it)."""
    from django import forms

    properties, required = {}, []
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.FileField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            schema = {"type": "string", "minLength": 1}
        elif isinstance(field, forms.ChoiceField) and [v for v, _ in field.choices if v != ""]:
            schema = {"type": "string", "enum": [str(value) for value, _ in field.choices if value != ""]}
        elif isinstance(field, forms.BooleanField):
            schema = {"type": "boolean"}
        elif isinstance(field, forms.IntegerField):
            schema = {"type": "integer"}
            if field.min_value is not None:
                schema["minimum"] = field.min_value
            if field.max_value is not None:
                schema["maximum"] = field.max_value
        elif isinstance(field, forms.DateTimeField):
            schema = {"type": "string", "format": "date-time"}
        else:
            schema = {"type": "string"}
            if field.max_length:
                schema["maxLength"] = field.max_length
            # Django strips text and then requires it, or checks min_length, on what is left.
            if field.min_length or field.required:
                schema["minLength"] = field.min_length or 1
        if field.label:
            schema["description"] = str(field.label)
        properties[name] = schema
        if field.required:
            required.append(name)
    body = {"type": "object", "properties": properties}
    if required:
        body["required"] = required
    return body


def _request_body(schema: dict) -> dict:
    return {
        "content": {
            "application/json": {"schema": schema},
            "multipart/form-data": {"schema": schema},
            "application/x-www-form-urlencoded": {"schema": schema},
        }
    }


def describe_form_endpoints(result, generator, request, public):
    """drf-spectacular postprocessing hook: the handling actions (one path per action, each with
    its form) and the linkage endpoints get the request bodies their forms accept (issue 12,
    defect 14), and the linkage ones their 502 (the neighbour hotline could not be reached)."""
    import copy

    from jiesu.handling import actions
    from jiesu.linkage.forms import ReturnForm, TransferForm

    paths = result.get("paths", {})
    generic = paths.pop("/handling/api/orders/{number}/{action}/", None)
    if generic and "post" in generic:
        for name, action in actions.ACTIONS.items():
            operation = copy.deepcopy(generic["post"])
            operation["operationId"] = f"handling_api_{name.replace('-', '_')}"
            operation["parameters"] = [p for p in operation.get("parameters", []) if p.get("name") != "action"]
            operation["requestBody"] = _request_body(form_schema(action.form))
            paths[f"/handling/api/orders/{{number}}/{name}/"] = {"post": operation}
    for suffix, form in (("transfer", TransferForm), ("return", ReturnForm)):
        operation = paths.get(f"/linkage/api/orders/{{number}}/{suffix}/", {}).get("post")
        if operation is not None:
            operation["requestBody"] = _request_body(form_schema(form))
            operation.setdefault("responses", {}).setdefault(
                "502", {**ERROR, "description": "对方热线无法连接，工单未变"}
            )
    return result
