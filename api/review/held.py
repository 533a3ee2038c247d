"""The "held for review" answers: HTTP 202 bodies a caller (and an OpenAI client) can read.

POST /v1/decide answers `queue.held_answer` as it is. POST /v1/chat/completions answers
a chat.completion (or, for `stream: true`, one chat.completion.chunk and [DONE]) whose
only choice says, in words, that the request is held, with `finish_reason`
"content_filter" so an application that only reads the text does not take the notice
for the model's answer, and the same fields under `govroute` (decision id, poll URL,
expiry, reasons). The openai client accepts any 2xx, so unchanged code gets a readable
completion; code that knows govroute checks `govroute.status` or the 202 status.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping
from typing import Any

HELD_MODEL = "govroute-review"
POLL_AFTER_S = 5


def notice(held: Mapping[str, Any]) -> str:
    return (
        f"This request is held for human review (decision {held['decision_id']}). "
        f"Poll GET {held['poll_url']} for the verdict and, once approved, the answer; "
        f"it expires at {held['expires_at']} if nobody decides."
    )


def held_completion(held: Mapping[str, Any], created: int) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{held['decision_id']}",
        "object": "chat.completion",
        "created": created,
        "model": HELD_MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": notice(held)},
                "finish_reason": "content_filter",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "govroute": dict(held),
    }


async def held_chunks(
    held: Mapping[str, Any], created: int
) -> AsyncGenerator[dict[str, Any], None]:
    """The held notice as the one chunk of a stream (the route renders it as SSE)."""
    yield {
        "id": f"chatcmpl-{held['decision_id']}",
        "object": "chat.completion.chunk",
        "created": created,
        "model": HELD_MODEL,
        "choices": [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": notice(held)},
                "finish_reason": "content_filter",
            }
        ],
        "govroute": dict(held),
    }


def held_headers(held: Mapping[str, Any]) -> dict[str, str]:
    return {"Location": str(held["poll_url"]), "Retry-After": str(POLL_AFTER_S)}
