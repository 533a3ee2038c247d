"""Provider kind ``azure``: Azure OpenAI deployments.

POST {base_url}/openai/deployments/{deployment}/chat/completions?api-version={api_version}
(and .../embeddings), where base_url is the resource's endpoint
(``https://{resource}.openai.azure.com``) and the deployment is the model's
`upstream_name`. The wire format is OpenAI's, so answers and stream chunks pass as
they are (Azure's extra ``prompt_filter_results`` and ``content_filter_results`` are
provider fields the output filter drops).

Auth: the key from `key_env`, read at call time, in the ``api-key`` header.
Errors: 429 (with Retry-After) and 5xx are retried; a prompt Azure's content filter
refuses is a 400 whose ``error.code`` is ``content_filter``: refused by the model, not
retried or sent elsewhere, its reason in the error; an answer the filter stopped ends
with finish_reason ``content_filter``, as in OpenAI's format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from api.gateway.upstream import (
    Endpoint,
    OpenAICompatibleClient,
    UpstreamHttp,
    _key,
    post_json_to,
)


class AzureOpenAIClient(OpenAICompatibleClient):
    """An Azure OpenAI deployment's chat completions, JSON or SSE: OpenAI's wire
    format at the deployment's URL, with the key in ``api-key``."""

    def url(self, endpoint: Endpoint) -> str:
        return deployment_url(endpoint, "chat/completions")

    def headers(self, key: str | None, *, stream: bool) -> dict[str, str]:
        return azure_headers(key, stream=stream)


def deployment_url(endpoint: Endpoint, operation: str) -> str:
    """The deployment's URL for `operation` ("chat/completions", "embeddings")."""
    deployment = quote(endpoint.upstream_model, safe="")
    version = quote(endpoint.api_version or "", safe="")
    return f"{endpoint.base_url}/openai/deployments/{deployment}/{operation}?api-version={version}"


def azure_headers(key: str | None, *, stream: bool) -> dict[str, str]:
    headers = {"Accept": "text/event-stream" if stream else "application/json"}
    if key:
        headers["api-key"] = key
    return headers


async def post_azure(
    http: UpstreamHttp,
    endpoint: Endpoint,
    operation: str,
    body: Mapping[str, Any],
    timeout: httpx.Timeout,
) -> Any:
    """POST `body` to the deployment's `operation`; the decoded JSON answer."""
    key = _key(endpoint)
    return await post_json_to(
        http,
        endpoint,
        deployment_url(endpoint, operation),
        body,
        headers=azure_headers(key, stream=False),
        key=key,
        timeout=timeout,
    )
