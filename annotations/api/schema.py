"""The OpenAPI schema's one error shape: every operation documents the 4xx answers any call can get, all with the
`Error` body the exception handler writes, so clients (and the schema fuzzing in CI) can rely on them."""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer", "description": "The HTTP status, repeated."},
                "code": {"type": "string", "description": "Stable machine-readable reason, e.g. `not_found`."},
                "message": {"type": "string", "description": "What went wrong, for people."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    "description": "Per-field messages for invalid input; empty otherwise.",
                },
            },
        }
    },
}
ANSWERS = {
    "400": "The input is invalid (see `fields`).",
    "401": "No valid credentials: log in, or send `Authorization: Bearer <token>`.",
    "403": "Not allowed for this caller (role, ownership or the token's scopes).",
    "404": "No such object, or not one this caller may see.",
    "409": "The object's state does not allow this now (a stale version, a closed project, …).",
    "413": "The request body is too large.",
    "415": "The body is not JSON.",
    "429": "Too many requests: wait for `Retry-After` seconds.",
    "503": "The database or file storage is unavailable for a moment; nothing changed. Retry after `Retry-After`.",
}
_METHODS = ("get", "put", "post", "patch", "delete")


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: the `Error` component and the answers above on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ANSWERS.items():
                responses.setdefault(code, {"description": description, "content": ref})
            for code, answer in responses.items():  # a 4xx an operation names itself (e.g. 416) has the shape too
                if str(code).startswith("4") and not answer.get("content"):
                    answer["content"] = ref
    return result
