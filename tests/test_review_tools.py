"""A request with tools held for review keeps them: the real `openai` client's tool round
trip is held twice (board reporting needs a second person), a reviewer approves each, and
the provider receives the sanitized tools, the call and its result in their places. The
app, fake provider and review content are tests/test_review.py's (`env`, `rv`).
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest

from tests.test_review import ANALYST, PURPOSE, Env, env, govroute, rv

pytestmark = pytest.mark.neo4j

__all__ = ["env", "rv"]  # the fixtures, shared with tests/test_review.py

ASK = "Please use lookup_report to find the board report for the third quarter."
LOOKUP = {
    "type": "function",
    "function": {
        "name": "lookup_report",
        "description": "Find a report by its title.",
        "parameters": {"type": "object", "properties": {"request": {"type": "string"}}},
    },
}
RESULT = json.dumps({"title": "Board report Q3", "status": "final"})


def _served(rv: Env, held: Any) -> dict[str, Any]:
    """Approve a held request; the answer the poller gets once the worker served it."""
    review_id = govroute(held)["review_id"]
    approved = rv.verdict(review_id, "approve")
    assert approved.status_code == 200, approved.text
    served = rv.until(review_id, lambda r: r["served"] is not None)
    assert served["served"]["status"] == "served", served
    answer: dict[str, Any] = served["answer"]
    return answer


def test_when_a_held_tool_request_is_approved_then_it_is_served_with_its_tools(rv: Env) -> None:
    client = openai.OpenAI(base_url=f"{rv.url}/v1", api_key=ANALYST, max_retries=0)
    held = client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": ASK}],
        tools=[LOOKUP],  # type: ignore[list-item]
        tool_choice="required",
        extra_headers=PURPOSE,
    )
    assert govroute(held)["status"] == "held_for_review"
    assert rv.upstream_received() == []  # nothing is sent before the verdict

    answer = _served(rv, held)
    choice = answer["choices"][0]
    assert choice["finish_reason"] == "tool_calls"
    (call,) = choice["message"]["tool_calls"]
    assert call["function"]["name"] == "lookup_report"
    assert json.loads(call["function"]["arguments"]) == {"request": ASK}
    [sent] = rv.upstream_received()
    assert sent["params"]["tools"] == [LOOKUP]
    assert sent["params"]["tool_choice"] == "required"

    # The second turn (the call and the tool's result) is held too, and keeps its parts.
    second = client.chat.completions.create(
        model="auto",
        messages=[
            {"role": "user", "content": ASK},
            {"role": "assistant", "content": None, "tool_calls": [call]},
            {"role": "tool", "tool_call_id": call["id"], "content": RESULT},
        ],
        tools=[LOOKUP],  # type: ignore[list-item]
        extra_headers=PURPOSE,
    )
    final = _served(rv, second)
    assert final["choices"][0]["message"]["content"] == f"Tool result: {RESULT}"
    sent = rv.upstream_received()[-1]
    assert sent["params"]["tools"] == [LOOKUP]
    *_, asked, called, result = sent["messages"]
    assert asked == {"role": "user", "content": ASK}
    assert called["tool_calls"][0]["id"] == call["id"]
    assert json.loads(called["tool_calls"][0]["function"]["arguments"]) == {"request": ASK}
    assert result == {"role": "tool", "tool_call_id": call["id"], "content": RESULT}
