"""Benchmark: what the gateway's handling of tool parts costs per request, outside the engine.

    .venv/bin/python bench/tool_parts.py [--rounds N] [--tools T] [--turns K]

A chat request offering T tools with K tool round trips (an assistant call and its
result each) is timed through the steps api/gateway/tools.py and tool_translate.py
add: validating the request (tool_schemas.check_tool_conversation included), making
its decision request (`tool_decide_request`), rebuilding the provider's request from
a decision (`upstream_messages`, `upstream_tools`), translating it for an
Anthropic-kind (`chat_to_messages`), Bedrock-kind (`chat_to_converse`) and Vertex-kind
(`chat_to_gemini`) provider, and reading the same request in the Responses API's
spelling (function tools, function_call and function_call_output items) into a chat
request (`to_chat_request`). The decision itself comes from the pure core with an
empty analysis, so detection and the embedding, which dominate a real decision
(bench/decide.py), are not in these figures. Prints microseconds per call: the
median wall time of N rounds, and the mean CPU time of this process over them (the
steadier figure when the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.gateway.bedrock_translate import chat_to_converse
from api.gateway.gemini_translate import chat_to_gemini
from api.gateway.responses_api import ResponsesRequest, to_chat_request
from api.gateway.schemas import ChatCompletionRequest, GovrouteContext
from api.gateway.tools import tool_decide_request, upstream_messages, upstream_tools
from api.gateway.translate import chat_to_messages
from engine.decide import Analysis, decide
from engine.decision import Decision, IntentMatch
from engine.model import (
    ChatMessage,
    ContextItem,
    DecisionRequest,
    Effect,
    IntentCategory,
    ItemKind,
    ModelSpec,
    PolicySpec,
    Principal,
    ProviderSpec,
    Snapshot,
)


def raw_request(tools: int, turns: int) -> dict[str, Any]:
    definitions = [
        {
            "type": "function",
            "function": {
                "name": f"lookup_{i}",
                "description": f"Look up record kind {i} in the CRM by customer name.",
                "parameters": {"type": "object", "properties": {"name": {"type": "string"}}},
            },
        }
        for i in range(tools)
    ]
    messages: list[dict[str, Any]] = [{"role": "user", "content": "Find Maria's tickets."}]
    for k in range(turns):
        call = {
            "id": f"call_{k}",
            "type": "function",
            "function": {"name": f"lookup_{k % tools}", "arguments": json.dumps({"name": "M"})},
        }
        messages.append({"role": "assistant", "content": None, "tool_calls": [call]})
        result = json.dumps({"document_id": f"doc-{k}", "status": "open", "notes": "x" * 200})
        messages.append({"role": "tool", "tool_call_id": f"call_{k}", "content": result})
    return {"model": "auto", "messages": messages, "tools": definitions, "tool_choice": "auto"}


def responses_request(raw: dict[str, Any]) -> dict[str, Any]:
    """`raw_request`'s conversation as a Responses API request."""
    items: list[dict[str, Any]] = []
    for message in raw["messages"]:
        if message["role"] == "tool":
            items.append(
                {
                    "type": "function_call_output",
                    "call_id": message["tool_call_id"],
                    "output": message["content"],
                }
            )
        elif message.get("tool_calls"):
            items += [
                {"type": "function_call", "call_id": c["id"], **c["function"]}
                for c in message["tool_calls"]
            ]
        else:
            items.append({"role": message["role"], "content": message["content"]})
    tools = [{"type": "function", **t["function"]} for t in raw["tools"]]
    return {"model": "auto", "input": items, "tools": tools, "tool_choice": "auto"}


def decision_for(body: ChatCompletionRequest) -> Decision:
    """The pure core's decision, every item readable, nothing detected."""
    wire = tool_decide_request(body, GovrouteContext())
    request = DecisionRequest(
        principal=Principal(id="alice", tenant="t", roles=frozenset({"r"})),
        messages=tuple(ChatMessage(m.role, m.content) for m in wire.as_messages()),
        context=tuple(
            ContextItem(c.id, c.text, ItemKind(c.kind), None, c.tool) for c in wire.context
        ),
    )
    snapshot = Snapshot(
        version="bench",
        content_hash="",
        labels={},
        entity_types={},
        intents={},
        providers={"p": ProviderSpec("p", "p", frozenset(), frozenset(), frozenset(), False, 0)},
        models={"m": ModelSpec("m", "m", "p", "m", frozenset({"chat"}), 100_000, 1.0, 1.0, 500)},
        policies=(PolicySpec(id="allow", description="Everyone.", effect=Effect.ALLOW),),
    )
    analysis = Analysis(intent=IntentMatch("unknown", IntentCategory.BUSINESS, 0.0), texts={})
    return decide(
        request, snapshot, {}, analysis, decision_id="dec_b", now=datetime.now(UTC), secret=b"s"
    )


def timed_us(step: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(median wall time, mean CPU time) per call, in microseconds."""
    times = []
    cpu_began = time.process_time()
    for _ in range(rounds):
        began = time.perf_counter()
        step()
        times.append((time.perf_counter() - began) * 1e6)
    cpu = (time.process_time() - cpu_began) * 1e6 / rounds
    return statistics.median(times), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2_000)
    parser.add_argument("--tools", type=int, default=8)
    parser.add_argument("--turns", type=int, default=3)
    args = parser.parse_args()

    raw = raw_request(args.tools, args.turns)
    body = ChatCompletionRequest.model_validate(raw)
    decision = decision_for(body)
    assert decision.allowed
    assert len(upstream_tools(decision, body)["tools"]) == args.tools
    upstream = {
        "model": "m",
        "messages": upstream_messages(decision, body),
        **upstream_tools(decision, body),
    }
    responses = responses_request(raw)
    assert to_chat_request(ResponsesRequest.model_validate(responses)).messages == body.messages
    rows = [
        ("validate the request", lambda: ChatCompletionRequest.model_validate(raw)),
        (
            "decision request (tool parts as items)",
            lambda: tool_decide_request(body, GovrouteContext()),
        ),
        ("provider messages from the decision", lambda: upstream_messages(decision, body)),
        ("provider tools from the decision", lambda: upstream_tools(decision, body)),
        ("translate for an Anthropic-kind provider", lambda: chat_to_messages(upstream)),
        ("translate for a Bedrock-kind provider (Converse)", lambda: chat_to_converse(upstream)),
        ("translate for a Vertex-kind provider (Gemini)", lambda: chat_to_gemini(upstream)),
        (
            "a Responses request with tools to a chat request",
            lambda: to_chat_request(ResponsesRequest.model_validate(responses)),
        ),
    ]
    print(
        f"{args.tools} tools, {args.turns} tool round trips; "
        f"{args.rounds} rounds, microseconds per call (median wall, mean CPU)"
    )
    for label, step in rows:
        wall, cpu = timed_us(step, args.rounds)
        print(f"  {wall:9.1f} {cpu:9.1f}  {label}")


if __name__ == "__main__":
    main()
