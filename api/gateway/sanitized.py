"""The upstream request's messages: the decision's sanitized turns and exposed context."""

from __future__ import annotations

from typing import Any

from api.gateway.schemas import ChatCompletionRequest
from api.gateway.tools import (
    retrieved_only,
    upstream_messages,
    upstream_tools,
    uses_tools,
)
from engine.decision import Decision

CONTEXT_HEADING = "Context:"


def sanitized_request(
    decision: Decision, body: ChatCompletionRequest
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The sanitized messages as sent (the exposed context as one system message after
    the caller's leading system messages), and the tool fields of the request; with
    tools, each tool part goes back where it was (api/gateway/tools.py)."""
    extra: dict[str, Any] = {}
    if uses_tools(body):
        messages = upstream_messages(decision, body)
        context = retrieved_only(decision, body)
        extra = upstream_tools(decision, body)
    else:
        messages = [{"role": m.role, "content": m.content} for m in decision.messages]
        context = [(c.item_id, c.text) for c in decision.context]
    if context:
        text = "\n\n".join(f"[{item_id}] {item_text}" for item_id, item_text in context)
        lead = next(
            (i for i, m in enumerate(messages) if m["role"] not in ("system", "developer")),
            len(messages),
        )
        messages.insert(lead, {"role": "system", "content": f"{CONTEXT_HEADING}\n{text}"})
    return messages, extra
