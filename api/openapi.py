"""The OpenAPI document as the API really behaves (FastAPI's default says otherwise).

FastAPI declares a 422 for every operation with parameters, but govroute answers
validation errors with 400 (api/errors.py); it knows nothing of the bearer API keys
that api/deps.py reads; and declared error answers carry no body schema. This
rewrites the generated document once: FastAPI's 422 removed (its 400 declared instead), the
bearer scheme declared and required on every /v1 operation, a 413 on every
operation with a body (the size limit applies before routing), and every 4xx/5xx
answer without a body of its own given the one error body every error has.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

BEARER = "bearerApiKey"
ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "code"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "code": {"type": "string"},
                "param": {"type": ["string", "null"]},
            },
            "additionalProperties": True,
        }
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


def truthful_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is not None:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    schemas["ErrorBody"] = ERROR_BODY
    components["securitySchemes"] = {
        BEARER: {
            "type": "http",
            "scheme": "bearer",
            "description": "A govroute API key: 'Authorization: Bearer <key>'.",
        }
    }
    for path, item in doc.get("paths", {}).items():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            # FastAPI's own 422 (request validation) is answered as 400; a 422 a route
            # declares itself (invalid policy content) stays.
            if responses.get("422", {}).get("description") == "Validation Error":
                responses.pop("422")
                responses.setdefault("400", {"description": "Malformed request"})
            if path.startswith("/v1/"):
                operation["security"] = [{BEARER: []}]
                responses.setdefault("401", {"description": "Missing or unknown API key"})
            if "requestBody" in operation:  # api/limits.py caps every body
                responses.setdefault("413", {"description": "Body over the request size limit"})
            for status, response in responses.items():
                if status[0] in "45" and "content" not in response:
                    response["content"] = {"application/json": {"schema": _ERROR_REF}}
    app.openapi_schema = doc
    return doc
