"""The model's answer on its way back: OpenAI shapes in, filtered OpenAI shapes out.

The filtering itself is pure and lives in engine/output_filter.py; this module
only walks the response objects. What the caller gets:
- ``model`` is the govroute model id that answered, not the provider's name;
- each choice's ``content`` (and a non-streamed ``refusal``) is filtered and
  has its pseudonyms restored; a blocked choice gets the block notice as its
  content and ``finish_reason: "content_filter"``;
- tool calls to the tools the provider was offered are filtered like content
  (api/gateway/tool_output.py): arguments through the output filter, pseudonyms
  restored; calls to any other tool are dropped;
- anything else a provider adds to a message (audio, logprobs) is dropped: it was
  not asked for, and it would escape the filter;
- the other provider-controlled fields (id, created, usage, system_fingerprint,
  index, finish_reason, role, service_tier) pass the allow-list of
  api/gateway/answer_fields.py; unknown keys are dropped.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api.gateway import answer_fields as fields
from api.gateway.tool_output import FilteredCalls, ToolCallBuffer, filter_tool_calls
from engine.analyze import EngineState
from engine.decision import Decision
from engine.output_filter import (
    Blocked,
    Filtered,
    OutputFilter,
    OutputRules,
    StreamFilter,
)
from engine.threats.prompt_leak import guarded

CONTENT_FILTER = "content_filter"
SYSTEM_ROLES = ("system", "developer")


def completion_id(upstream: Any, output: OutputFilter, decision: Decision) -> str:
    """The provider's completion id if it is a clean identifier, else one of govroute's."""
    return fields.identifier(upstream, output) or f"chatcmpl-{decision.id.removeprefix('dec_')}"


def output_filter_for(
    decision: Decision,
    state: EngineState,
    secret: bytes,
    pseudonyms: Mapping[str, str] | None = None,
) -> OutputFilter:
    """The answer's filter; `pseudonyms` (default: the decision's own) are restored in it.

    It detects with the caller's tenant, so that tenant's deny and allow lists apply
    to the answer as they did to the request, and with the request's own system
    prompt as a reference (engine.threats.prompt_leak): an answer that repeats it, or
    a secret in it, is found whatever the question said."""
    system = [m.content for m in decision.messages if m.role in SYSTEM_ROLES]
    said = [m.content for m in decision.messages if m.role not in SYSTEM_ROLES]
    return OutputFilter(
        guarded(state.detector, state.snapshot, system, said),
        OutputRules.for_decision(decision, state.snapshot),
        key=secret,
        caller_id=decision.pseudonym_scope or decision.principal_id,
        pseudonyms=decision.pseudonyms if pseudonyms is None else pseudonyms,
        tenant=decision.tenant_id,
    )


@dataclass(frozen=True, slots=True)
class FilteredCompletion:
    body: dict[str, Any]
    redactions: int
    blocked: Blocked | None


def filter_completion(
    upstream: dict[str, Any],
    output: OutputFilter,
    *,
    model_id: str,
    decision: Decision,
    tools: frozenset[str] = frozenset(),
) -> FilteredCompletion:
    """A non-streamed ``chat.completion`` for the caller; `tools`: those it may call."""
    choices: list[dict[str, Any]] = []
    redactions = 0
    blocked: Blocked | None = None
    for position, choice in enumerate(upstream.get("choices") or []):
        if not isinstance(choice, dict):
            continue
        message = _dict(choice.get("message"))
        finish = fields.finish_reason(choice.get("finish_reason"))
        out: dict[str, Any] = {"role": "assistant", "content": None}
        for part in ("content", "refusal"):
            text = _text(message.get(part))
            if text is None:
                continue
            result = output.filter(text)
            redactions += len(result.replacements)
            out[part] = result.text
            if result.blocked:
                blocked = blocked or result.blocked
                finish = CONTENT_FILTER
                out = {"role": "assistant", "content": result.text}
                break
        if finish != CONTENT_FILTER and message.get("tool_calls"):
            calls = filter_tool_calls(message["tool_calls"], output, tools)
            redactions += calls.redactions
            if calls.blocked:
                blocked = blocked or calls.blocked
                finish = CONTENT_FILTER
                out = {"role": "assistant", "content": calls.blocked.notice()}
            elif calls.calls:
                out["tool_calls"] = calls.calls
            elif finish == "tool_calls":
                finish = "stop"  # every call named a tool it was not offered: none is left
        choices.append(
            {
                "index": fields.choice_index(choice.get("index"), position),
                "message": out,
                "finish_reason": finish,
                "logprobs": None,
            }
        )
    body: dict[str, Any] = {
        "id": completion_id(upstream.get("id"), output, decision),
        "object": "chat.completion",
        "created": fields.created_at(upstream.get("created")),
        "model": model_id,
        "choices": choices,
    }
    usage = fields.usage(upstream.get("usage"))
    if usage is not None:
        body["usage"] = usage
    fingerprint = fields.identifier(upstream.get("system_fingerprint"), output)
    if fingerprint is not None:
        body["system_fingerprint"] = fingerprint
    tier = fields.service_tier(upstream.get("service_tier"))
    if tier is not None:
        body["service_tier"] = tier
    body["govroute"] = {
        "decision_id": decision.id,
        "outcome": decision.outcome.value,
        "model": model_id,
        "output_redactions": redactions,
        "blocked_by": blocked.policy_id if blocked else None,
    }
    return FilteredCompletion(body, redactions, blocked)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content parts, as a few servers answer
        texts = [
            p.get("text", "") for p in value if isinstance(p, dict) and p.get("type") == "text"
        ]
        return "".join(texts) if texts else None
    return None


@dataclass
class ChunkFilter:
    """Filters a stream of ``chat.completion.chunk`` objects, one `StreamFilter` per choice."""

    output: OutputFilter
    model_id: str
    completion_id: str
    choices_expected: int = 1
    hold: int = 256
    tools: frozenset[str] = frozenset()  # the tools the model may call
    redactions: int = 0
    blocked: Blocked | None = None
    usage: dict[str, Any] | None = None
    created: int = field(default_factory=lambda: int(time.time()))
    _streams: dict[int, StreamFilter] = field(default_factory=dict)
    _finished: set[int] = field(default_factory=set)
    _blocked_choices: set[int] = field(default_factory=set)
    _spoke: set[int] = field(default_factory=set)  # choices that already showed text
    _calls: dict[int, ToolCallBuffer] = field(default_factory=dict)  # held until the finish

    @property
    def done(self) -> bool:
        """Every choice was blocked: nothing more from upstream can be shown."""
        return len(self._blocked_choices) >= self.choices_expected

    def on_chunk(self, chunk: dict[str, Any]) -> list[dict[str, Any]]:
        if "created" in chunk:
            self.created = fields.created_at(chunk["created"])
        out: list[dict[str, Any]] = []
        choices = chunk.get("choices")
        for choice in choices if isinstance(choices, list) else []:
            if not isinstance(choice, dict):
                continue
            # A stream has no position to fall back on: a garbled index is the first choice.
            index = fields.choice_index(choice.get("index", 0), 0)
            if index in self._finished:
                continue
            stream = self._stream(index)
            delta = _dict(choice.get("delta"))
            text = ""
            content = delta.get("content")
            if isinstance(content, str) and content:
                result = stream.feed(content)
                if result.blocked:
                    out.append(self._blocked_chunk(index, result))
                    continue
                text = self._take(result)
            if delta.get("tool_calls"):
                self._calls.setdefault(index, ToolCallBuffer()).feed(delta["tool_calls"])
            finish = fields.finish_reason(choice.get("finish_reason"))
            calls: list[dict[str, Any]] = []
            if finish:
                tail = stream.flush()
                if tail.blocked:
                    out.append(self._blocked_chunk(index, tail))
                    continue
                text += self._take(tail)
                filtered = self._tool_calls(index)
                if filtered.blocked:
                    out.append(self._blocked_chunk(index, Filtered("", blocked=filtered.blocked)))
                    continue
                calls = filtered.calls
                if finish == "tool_calls" and not calls:
                    finish = "stop"
                self._finished.add(index)
            role = fields.role(delta.get("role"))
            if calls:  # the text first, then the whole calls, then the finish
                if text or role:
                    out.append(self._chunk(index, text, role=role))
                out.append(self._chunk(index, "", calls=calls))
                out.append(self._chunk(index, "", finish=finish))
            elif text or role or finish:
                out.append(self._chunk(index, text, role=role, finish=finish))
        usage = fields.usage(chunk.get("usage"))
        if usage is not None:
            self.usage = usage
            out.append({**self._envelope(), "choices": [], "usage": usage})
        return out

    def finish(self) -> list[dict[str, Any]]:
        """The stream ended: flush choices the provider left open."""
        out: list[dict[str, Any]] = []
        for index, stream in sorted(self._streams.items()):
            if index in self._finished:
                continue
            tail = stream.flush()
            self._finished.add(index)
            if tail.blocked:
                out.append(self._blocked_chunk(index, tail))
                continue
            calls = self._tool_calls(index)
            if calls.blocked:
                out.append(self._blocked_chunk(index, Filtered("", blocked=calls.blocked)))
                continue
            text = self._take(tail)
            if calls.calls:
                if text:
                    out.append(self._chunk(index, text))
                out.append(self._chunk(index, "", calls=calls.calls))
                out.append(self._chunk(index, "", finish="tool_calls"))
            else:
                out.append(self._chunk(index, text, finish="stop"))
        return out

    def _tool_calls(self, index: int) -> FilteredCalls:
        buffer = self._calls.pop(index, None)
        if buffer is None:
            return FilteredCalls([])
        filtered = filter_tool_calls(buffer.whole(), self.output, self.tools)
        self.redactions += filtered.redactions
        return filtered

    def _stream(self, index: int) -> StreamFilter:
        stream = self._streams.get(index)
        if stream is None:
            stream = self._streams[index] = StreamFilter(self.output, hold=self.hold)
        return stream

    def _take(self, result: Filtered) -> str:
        self.redactions += len(result.replacements)
        return result.text

    def _blocked_chunk(self, index: int, result: Filtered) -> dict[str, Any]:
        assert result.blocked is not None
        self.blocked = self.blocked or result.blocked
        self._finished.add(index)
        self._blocked_choices.add(index)
        notice = result.blocked.notice()
        return self._chunk(
            index, "\n" + notice if index in self._spoke else notice, finish=CONTENT_FILTER
        )

    def _envelope(self) -> dict[str, Any]:
        return {
            "id": self.completion_id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model_id,
        }

    def _chunk(
        self,
        index: int,
        text: str,
        *,
        role: str | None = None,
        finish: str | None = None,
        calls: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        delta: dict[str, Any] = {}
        if role is not None:
            delta["role"] = role
        if text:
            delta["content"] = text
            self._spoke.add(index)
        if calls:
            delta["tool_calls"] = calls
        return {
            **self._envelope(),
            "choices": [
                {"index": index, "delta": delta, "finish_reason": finish, "logprobs": None}
            ],
        }
