"""Benchmark: what the bedrock and vertex kinds add per request on the gateway's event loop.

    .venv/bin/python bench/provider_kinds.py [--rounds N] [--chunks C]

Times the pure translations (a 6-turn request with a system prompt to Converse and to
Gemini, an answer back from each, a stream of C text pieces from each) and the two
CPU-bound steps only Bedrock has: signing a request with SigV4 (botocore) and decoding
C+4 event-stream frames with botocore's parser (checksums included), as they arrive
and all at once. Prints
microseconds per call (the median of N rounds) on this machine. Figures go to
docs/gateway.md ("Provider kinds").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from botocore.eventstream import EventStreamBuffer

from api.gateway.bedrock_translate import ConverseChunks, chat_to_converse, converse_to_completion
from api.gateway.bedrock_upstream import signed
from api.gateway.fake_bedrock import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, stream_event
from api.gateway.gemini_translate import GeminiChunks, chat_to_gemini, gemini_to_completion
from api.gateway.upstream import Endpoint

TURN = "Summarize the attached quarterly report in three bullet points for the board. " * 4
ANSWER = TURN * 4


def request() -> dict[str, Any]:
    turns = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": f"{TURN} ({i})"}
        for i in range(6)
    ]
    system = {"role": "system", "content": "You are Northwind's analyst assistant."}
    return {"model": "m", "messages": [system, *turns], "max_tokens": 512, "stop": ["END"]}


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
    os.environ.update(
        {"AWS_ACCESS_KEY_ID": FAKE_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": FAKE_SECRET_KEY}
    )
    chat = request()
    endpoint = Endpoint(
        model_id="m",
        provider_id="p",
        kind="bedrock",
        base_url="https://bedrock-runtime.eu-central-1.amazonaws.com",
        upstream_model="anthropic.claude-3-5-haiku-20241022-v1:0",
        key_env=None,
        region="eu-central-1",
    )
    converse_answer = {
        "output": {"message": {"role": "assistant", "content": [{"text": ANSWER}]}},
        "stopReason": "end_turn",
        "usage": {"inputTokens": 100, "outputTokens": 80, "totalTokens": 180},
    }
    gemini_answer = {
        "candidates": [
            {
                "content": {"role": "model", "parts": [{"text": ANSWER}]},
                "finishReason": "STOP",
                "index": 0,
            }
        ],
        "usageMetadata": {
            "promptTokenCount": 100,
            "candidatesTokenCount": 80,
            "totalTokenCount": 180,
        },
        "responseId": "r",
    }
    pieces = [f"word{i} " for i in range(args.chunks)]
    converse_events: list[tuple[str, dict[str, Any]]] = [
        ("messageStart", {"role": "assistant"}),
        *(("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": p}}) for p in pieces),
        ("contentBlockStop", {"contentBlockIndex": 0}),
        ("messageStop", {"stopReason": "end_turn"}),
        ("metadata", {"usage": {"inputTokens": 100, "outputTokens": args.chunks}}),
    ]
    frames = [stream_event(name, payload) for name, payload in converse_events]
    wire = b"".join(frames)
    gemini_stream = [
        {"candidates": [{"content": {"parts": [{"text": p}]}}], "responseId": "r"} for p in pieces
    ]

    def converse_stream() -> None:
        out = ConverseChunks(id="b", model="m")
        for name, payload in converse_events:
            out.on_event(name, payload)

    def gemini_chunks() -> None:
        out = GeminiChunks(id="g", model="m")
        for response in gemini_stream:
            out.on_response(response)
        out.finish()

    def decode_frames() -> None:  # as the network delivers them: a frame or so per read
        buffer = EventStreamBuffer()
        for frame in frames:
            buffer.add_data(frame)
            for message in buffer:
                json.loads(message.payload)

    def decode_at_once() -> None:  # the worst case: botocore copies what is left per frame
        buffer = EventStreamBuffer()
        buffer.add_data(wire)
        for message in buffer:
            json.loads(message.payload)

    rows = [
        ("request, OpenAI -> Converse (6 turns + system)", lambda: chat_to_converse(chat)),
        ("request, OpenAI -> Gemini", lambda: chat_to_gemini(chat)),
        (
            "answer, Converse -> OpenAI",
            lambda: converse_to_completion(converse_answer, model="m", id_="b"),
        ),
        (
            "answer, Gemini -> OpenAI",
            lambda: gemini_to_completion(gemini_answer, model="m", fallback_id="g"),
        ),
        (f"stream of {len(converse_events)} Converse events -> OpenAI chunks", converse_stream),
        (f"stream of {len(gemini_stream)} Gemini responses -> OpenAI chunks", gemini_chunks),
        (
            "SigV4 signature of one Converse request (botocore)",
            lambda: signed(endpoint, "converse", chat_to_converse(chat)),
        ),
        (f"decode {len(frames)} event-stream frames + JSON, frame by frame", decode_frames),
        (f"decode the same {len(wire)} bytes handed over at once", decode_at_once),
    ]
    print(f"median of {args.rounds} rounds, microseconds per call")
    for label, step in rows:
        print(f"  {median_us(step, args.rounds):9.1f}  {label}")


if __name__ == "__main__":
    main()
