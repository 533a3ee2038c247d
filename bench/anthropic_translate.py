"""Benchmark: what translating between OpenAI chat and Anthropic Messages costs per request.

    .venv/bin/python bench/anthropic_translate.py [--rounds N] [--chunks C]

Times api/gateway/translate.py, the work POST /v1/messages and a `kind: anthropic`
provider add on top of the chat path: a 6-turn request with a system prompt each way
(`messages_to_chat`, `chat_to_messages`), an answer each way, and a stream of C text
chunks each way (`ChunksToEvents`, `EventsToChunks`). Prints microseconds per call (the
median of N rounds) on this machine. Figures go to docs/gateway.md ("Anthropic Messages").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from api.gateway.translate import (
    ChunksToEvents,
    EventsToChunks,
    chat_to_messages,
    completion_to_message,
    message_to_completion,
    messages_to_chat,
)

TURN = "Summarize the attached quarterly report in three bullet points for the board. " * 4


def request() -> dict[str, Any]:
    turns = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"{TURN} ({i})"}
        for i in range(6)
    ]
    return {
        "model": "auto",
        "max_tokens": 512,
        "system": [{"type": "text", "text": "You are Northwind's analyst assistant."}],
        "messages": turns,
        "stop_sequences": ["END"],
        "stream": True,
    }


def chunks(count: int) -> list[dict[str, Any]]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return {"id": "chatcmpl-1", "model": "m", "choices": [choice]}

    usage = {"prompt_tokens": 100, "completion_tokens": count, "total_tokens": 100 + count}
    return [
        chunk({"role": "assistant", "content": ""}),
        *(chunk({"content": f"word{i} "}) for i in range(count)),
        chunk({}, "stop"),
        {"id": "chatcmpl-1", "model": "m", "choices": [], "usage": usage},
    ]


def median_us(step: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        step()
        times.append((time.perf_counter() - began) * 1e6)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2_000)
    parser.add_argument("--chunks", type=int, default=200)
    args = parser.parse_args()

    anthropic_request = request()
    chat_request = messages_to_chat(anthropic_request)
    stream = chunks(args.chunks)
    events = ChunksToEvents(model="m")
    anthropic_events = [data for c in stream for _, data in events.on_chunk(c)]
    anthropic_events += [data for _, data in events.finish()]
    completion = {
        "id": "chatcmpl-1",
        "model": "m",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": TURN * 4},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 80, "total_tokens": 180},
    }
    message = completion_to_message(completion)

    def to_events() -> None:
        out = ChunksToEvents(model="m")
        for c in stream:
            out.on_chunk(c)
        out.finish()

    def to_chunks() -> None:
        out = EventsToChunks()
        for e in anthropic_events:
            out.on_event(e)

    rows = [
        (
            "request, Anthropic -> OpenAI (6 turns + system)",
            lambda: messages_to_chat(anthropic_request),
        ),
        ("request, OpenAI -> Anthropic", lambda: chat_to_messages(chat_request)),
        ("answer, OpenAI -> Anthropic", lambda: completion_to_message(completion)),
        ("answer, Anthropic -> OpenAI", lambda: message_to_completion(message)),
        (f"stream of {args.chunks} chunks, OpenAI -> Anthropic events", to_events),
        (f"stream of {len(anthropic_events)} events, Anthropic -> OpenAI chunks", to_chunks),
    ]
    print(f"median of {args.rounds} rounds, microseconds per call")
    for label, step in rows:
        print(f"  {median_us(step, args.rounds):9.1f}  {label}")


if __name__ == "__main__":
    main()
