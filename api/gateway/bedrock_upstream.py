"""Provider kind ``bedrock``: AWS Bedrock's Converse and ConverseStream, signed with SigV4.

POST {base_url}/model/{modelId}/converse (JSON) and .../converse-stream (binary AWS
event stream, ``application/vnd.amazon.eventstream``), base_url
``https://bedrock-runtime.{region}.amazonaws.com``, the model id (or inference profile
or ARN) being the model's `upstream_name`.

Signing: every request is signed with Signature Version 4 for service ``bedrock`` and
the provider's `region`, by botocore's signer, with the credentials of the standard
environment variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and (temporary
credentials) AWS_SESSION_TOKEN, read at call time; the body is sent as the exact bytes
that were signed. Missing credentials are a ``config`` failure: nothing is sent.
botocore is imported on the first Bedrock call (the ``bedrock`` extra), so a gateway
without Bedrock providers does not need it.

The stream is decoded with botocore's event-stream parser (prelude and message CRCs
checked); each message's ``:event-type`` and JSON payload become OpenAI chunks
(`bedrock_translate.ConverseChunks`). Errors: the exception's name (``x-amzn-ErrorType``
or a stream's ``:exception-type``) picks the status (`bedrock_translate.error_status`):
ThrottlingException and ModelNotReadyException 429 and ServiceUnavailableException 503
are retried, ValidationException 400 is refused, AccessDenied 403 falls back. An
exception event before any text is retried or falls back like that status; after it,
it ends the stream.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncGenerator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from api.gateway.bedrock_translate import (
    ConverseChunks,
    chat_to_converse,
    converse_to_completion,
    error_status,
)
from api.gateway.retry import parse_retry_after
from api.gateway.translate import Untranslatable
from api.gateway.upstream import (
    Endpoint,
    UpstreamCallError,
    UpstreamHttp,
    _clip,
    _network,
    _timeout,
)

SERVICE = "bedrock"
EVENT_STREAM = "application/vnd.amazon.eventstream"
CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


class BedrockClient:
    """Converse and ConverseStream, SigV4-signed, in OpenAI's shapes."""

    def __init__(self, http: UpstreamHttp) -> None:
        self._http = http

    async def complete(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> dict[str, Any]:
        url, body, headers = signed(endpoint, "converse", _translated(endpoint, request))
        try:
            response = await self._http.post(url, content=body, headers=headers, timeout=timeout)
        except httpx.TimeoutException as exc:
            raise _timeout(endpoint, exc) from exc
        except httpx.TransportError as exc:
            raise _network(endpoint, exc) from exc
        if response.status_code >= 400:
            raise status_error(endpoint, response, response.content)
        try:
            data = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered with something other than JSON", kind="protocol"
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("output"), dict):
            raise UpstreamCallError(
                f"{endpoint.provider_id} answered without an 'output'", kind="protocol"
            )
        return converse_to_completion(data, model=endpoint.upstream_model, id_=_answer_id(response))

    async def stream(
        self, request: Mapping[str, Any], *, endpoint: Endpoint, timeout: httpx.Timeout
    ) -> AsyncGenerator[dict[str, Any], None]:
        url, body, headers = signed(endpoint, "converse-stream", _translated(endpoint, request))
        try:
            async with self._http.stream(
                "POST", url, content=body, headers=headers, timeout=timeout
            ) as response:
                if response.status_code >= 400:
                    raise status_error(endpoint, response, await response.aread())
                media = response.headers.get("content-type", "")
                if not media.startswith(EVENT_STREAM):
                    raise UpstreamCallError(
                        f"{endpoint.provider_id} did not stream an event stream "
                        f"(content-type {media or 'none'})",
                        kind="protocol",
                    )
                chunks = ConverseChunks(id=_answer_id(response), model=endpoint.upstream_model)
                async for event_type, payload in events(endpoint, response):
                    for chunk in chunks.on_event(event_type, payload):
                        yield chunk
                if not chunks.stopped:
                    raise UpstreamCallError(
                        f"{endpoint.provider_id} ended the stream before messageStop",
                        kind="network",
                    )
        except httpx.TimeoutException as exc:
            raise _timeout(endpoint, exc) from exc
        except httpx.TransportError as exc:
            raise _network(endpoint, exc) from exc


async def events(
    endpoint: Endpoint, response: httpx.Response
) -> AsyncGenerator[tuple[str, dict[str, Any]], None]:
    """The stream's events as (``:event-type``, JSON payload); an exception message is
    raised as the failure its type stands for."""
    from botocore.eventstream import EventStreamBuffer, ParserError

    buffer = EventStreamBuffer()
    async for data in response.aiter_bytes():
        buffer.add_data(data)
        try:
            messages = list(buffer)
        except ParserError as exc:
            raise UpstreamCallError(
                f"{endpoint.provider_id} streamed a malformed event ({type(exc).__name__})",
                kind="protocol",
            ) from exc
        for message in messages:
            headers = message.headers
            try:
                payload = json.loads(message.payload or b"{}")
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise UpstreamCallError(
                    f"{endpoint.provider_id} streamed an event that is not JSON", kind="protocol"
                ) from exc
            payload = payload if isinstance(payload, dict) else {}
            kind = headers.get(":message-type")
            if kind in ("exception", "error"):
                name = str(headers.get(":exception-type") or headers.get(":error-code") or "")
                message_text = payload.get("message") or payload.get("Message") or name
                raise UpstreamCallError(
                    f"{endpoint.provider_id} failed mid-stream ({name or 'error'}): "
                    f"{_clip(str(message_text))}",
                    kind="http",
                    status=error_status(name),
                )
            yield str(headers.get(":event-type") or ""), payload


def signed(
    endpoint: Endpoint, operation: str, body: Mapping[str, Any]
) -> tuple[str, bytes, dict[str, str]]:
    """The URL, the body's bytes and the headers, Authorization included, for one call."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    access, secret = (os.environ.get(name, "").strip() for name in CREDENTIAL_VARIABLES)
    if not (access and secret):
        raise UpstreamCallError(
            f"provider {endpoint.provider_id}: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            "(its AWS credentials) are not both set",
            kind="config",
        )
    token = os.environ.get("AWS_SESSION_TOKEN", "").strip() or None
    model = quote(endpoint.upstream_model, safe="")
    url = f"{endpoint.base_url}/model/{model}/{operation}"
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    accept = EVENT_STREAM if operation == "converse-stream" else "application/json"
    request = AWSRequest(
        method="POST",
        url=url,
        data=content,
        headers={"Content-Type": "application/json", "Accept": accept},
    )
    SigV4Auth(Credentials(access, secret, token), SERVICE, endpoint.region or "").add_auth(request)
    return url, content, {name: str(value) for name, value in request.headers.items()}


def status_error(endpoint: Endpoint, response: httpx.Response, content: bytes) -> UpstreamCallError:
    """A failed call as the status its exception stands for, with Bedrock's message
    (none for credential failures: their words stay out of our errors)."""
    name = response.headers.get("x-amzn-errortype", "").split(":", 1)[0]
    status = error_status(name, response.status_code) if name else response.status_code
    detail = ""
    if status not in (401, 403):
        try:
            data = json.loads(content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            data = None
        if isinstance(data, dict):
            detail = str(data.get("message") or data.get("Message") or "")
    what = f" {name}" if name else ""
    message = f"{endpoint.provider_id} answered HTTP {response.status_code}{what}"
    return UpstreamCallError(
        message + (f": {_clip(detail)}" if detail else ""),
        kind="http",
        status=status,
        retry_after=parse_retry_after(dict(response.headers.items()), datetime.now(UTC)),
    )


def _answer_id(response: httpx.Response) -> str:
    request_id = response.headers.get("x-amzn-requestid")
    return f"bedrock-{request_id or uuid.uuid4().hex[:16]}"


def _translated(endpoint: Endpoint, request: Mapping[str, Any]) -> dict[str, Any]:
    try:
        return chat_to_converse(request)
    except Untranslatable as exc:
        raise UpstreamCallError(
            f"{endpoint.provider_id} (kind bedrock) cannot serve this request: {exc}",
            kind="config",
        ) from exc
