"""The gateway's outcomes that are errors, with the decision they belong to.

Each subclasses an error of the one tree, so its HTTP status comes from the one
mapping in api/errors.py (`status_of`): a denied request is `Forbidden` (403),
a request the model itself refused is `InvalidRequest` (400), candidates that
all failed are an `UpstreamError` (502). The handler here only
adds what the generic one cannot know: the decision id (body and
``X-Govroute-Decision-Id``), the reasons, the attempts, and
``x-should-retry: false`` so that the openai client does not repeat a request
the gateway already retried and fell back on.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from api.errors import error_body, shaped, speaks_anthropic, status_of
from engine.decision import Decision
from engine.errors import Forbidden, InvalidRequest, UpstreamError

DECISION_HEADER = "X-Govroute-Decision-Id"


class RequestDenied(Forbidden):
    """The engine denied the request; nothing was sent to a model.

    A 403 (the openai and anthropic clients raise PermissionDeniedError) whose body
    says content policy in each SDK's terms: OpenAI's ``invalid_request_error`` /
    ``content_policy_violation``, which litellm maps to ContentPolicyViolationError,
    and on /v1/messages Anthropic's ``permission_error`` with ``details.error_code``
    ``request_denied``; always with the decision id. The message ends with the words
    litellm looks for in both formats."""

    code = "request_denied"
    openai_type = "invalid_request_error"
    openai_code = "content_policy_violation"

    def __init__(self, decision: Decision) -> None:
        sentences = "; ".join(r.sentence for r in decision.reasons[:3])
        # The last sentence is what litellm reads to raise ContentPolicyViolationError
        # (its OpenAI and Anthropic mappings match these words in the message).
        super().__init__(
            f"govroute denied this request ({decision.id}): {sentences} The request was "
            "rejected as a result of the safety system (content filtering policy)."
        )
        self.decision_id = decision.id
        self.reasons = [
            {
                "policy_id": r.policy_id,
                "effect": r.effect.value if r.effect else None,
                "sentence": r.sentence,
            }
            for r in decision.reasons
        ]


class UpstreamsExhausted(UpstreamError):
    """Every compliant candidate was skipped or failed."""

    code = "upstreams_exhausted"

    def __init__(self, decision_id: str, attempts: list[dict[str, Any]], last: str) -> None:
        tried = ", ".join(dict.fromkeys(a["model_id"] for a in attempts)) or "none"
        super().__init__(
            f"no compliant model could answer ({decision_id}); tried {tried}. Last error: {last}",
            status=None,
            retryable=False,
        )
        self.decision_id = decision_id
        self.attempts = attempts


class UpstreamRejected(InvalidRequest):
    """The model refused the request itself (HTTP 400/413/422): another model would too."""

    code = "upstream_rejected_request"

    def __init__(self, decision_id: str, attempts: list[dict[str, Any]], message: str) -> None:
        super().__init__(f"the model rejected the request ({decision_id}): {message}")
        self.decision_id = decision_id
        self.attempts = attempts


GatewayError = RequestDenied | UpstreamsExhausted | UpstreamRejected


async def _gateway_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GatewayError)
    status, type_ = status_of(exc)
    extra: dict[str, Any] = {"decision_id": exc.decision_id}
    code = exc.code
    if isinstance(exc, RequestDenied):
        extra["reasons"] = exc.reasons
        extra["govroute_code"] = exc.code
        if not speaks_anthropic(request):
            type_, code = exc.openai_type, exc.openai_code
    else:
        extra["attempts"] = exc.attempts
    body = error_body(exc.message, type_=type_, code=code, **extra)
    # request-id: what the anthropic client shows as the error's request_id
    headers = {
        DECISION_HEADER: exc.decision_id,
        "x-should-retry": "false",
        "request-id": exc.decision_id,
    }
    return JSONResponse(shaped(request, body, status), status_code=status, headers=headers)


def install_gateway_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestDenied, _gateway_error)
    app.add_exception_handler(UpstreamsExhausted, _gateway_error)
    app.add_exception_handler(UpstreamRejected, _gateway_error)
