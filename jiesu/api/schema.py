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


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, text in CODES.items():
                responses.setdefault(code, {**ERROR, "description": text})
    return result
