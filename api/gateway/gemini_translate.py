"""OpenAI chat completions -> Google Gemini generateContent, and Gemini's answers back.

Pure: no I/O, no clock. The provider kind ``vertex`` (api/gateway/vertex_upstream.py)
sends what `chat_to_gemini` builds and turns what comes back into OpenAI shapes with
`gemini_to_completion` and `GeminiChunks`, so the rest of the gateway sees one shape.

- System and developer messages, wherever they are, become ``systemInstruction``
  (Gemini has no system turn); ``assistant`` is Gemini's ``model`` role; consecutive
  turns of one role are one turn. Content parts other than text are refused
  (`Untranslatable`).
- Tools: definitions are ``tools[0].functionDeclarations`` (name, description,
  ``parameters``), the choice ``toolConfig.functionCallingConfig`` (auto -> AUTO,
  required -> ANY, none -> NONE, a named function -> ANY with ``allowedFunctionNames``);
  an assistant message's calls are ``functionCall`` parts of its model turn (``args`` an
  object), a ``role: tool`` message a ``functionResponse`` part of the next user turn,
  named after the tool its call called (Gemini keys results by name), its ``response``
  the result's JSON object, else ``{"result": <text>}``. Answers: ``functionCall``
  parts are ``tool_calls`` (Gemini finishes them with STOP: the finish becomes
  tool_calls), streamed whole in one response; a call without an ``id`` gets one made
  from the response id. ``parallel_tool_calls`` has no counterpart (dropped).
- ``generationConfig``: ``maxOutputTokens`` (``max_completion_tokens``, else
  ``max_tokens``), ``temperature``, ``topP``, ``stopSequences``, ``candidateCount``
  (``n``), ``seed``, ``presencePenalty``, ``frequencyPenalty``; ``response_format``
  ``json_object`` is ``responseMimeType: application/json``. A ``json_schema``
  format and ``logit_bias`` have no faithful counterpart and are refused.
- Finish reasons: STOP -> stop, MAX_TOKENS -> length, the safety family (SAFETY,
  RECITATION, BLOCKLIST, PROHIBITED_CONTENT, SPII, IMAGE_SAFETY) -> content_filter.
  A prompt Gemini blocks (``promptFeedback.blockReason``, no candidates) is one empty
  choice finished by content_filter, as OpenAI reports a filtered answer.
- Usage: promptTokenCount -> prompt_tokens, candidatesTokenCount (+ thoughtsTokenCount)
  -> completion_tokens, totalTokenCount -> total_tokens.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api.gateway.tool_translate import arguments_object, chat_call, result_text, tool_names
from api.gateway.translate import SYSTEM_ROLES, Untranslatable, append_turn

GEMINI_ROLES = {"user": "user", "assistant": "model"}
FINISH_REASONS = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "IMAGE_SAFETY": "content_filter",
    "MALFORMED_FUNCTION_CALL": "stop",
}
# google.rpc status names (the `error.status` of Gemini's error body, and of an error
# in a stream) as the HTTP status each stands for, so retries read them the same way.
STATUS_HTTP = {
    "INVALID_ARGUMENT": 400,
    "FAILED_PRECONDITION": 400,
    "OUT_OF_RANGE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "ABORTED": 409,
    "RESOURCE_EXHAUSTED": 429,
    "CANCELLED": 499,
    "INTERNAL": 500,
    "UNKNOWN": 500,
    "UNIMPLEMENTED": 501,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}
HTTP_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}
_CONFIG = (
    ("temperature", "temperature"),
    ("top_p", "topP"),
    ("seed", "seed"),
    ("presence_penalty", "presencePenalty"),
    ("frequency_penalty", "frequencyPenalty"),
)


def _text_parts(content: Any, where: str) -> list[dict[str, str]]:
    if content is None:
        return []
    if isinstance(content, str):
        return [{"text": content}]
    parts = []
    for part in content:
        if part.get("type") != "text":
            raise Untranslatable(f"{where}: content of type '{part.get('type')}' is not sent")
        parts.append({"text": str(part.get("text", ""))})
    return parts


def chat_to_gemini(request: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAI chat request as a Gemini ``GenerateContentRequest`` (the model goes in
    the URL). Raises `Untranslatable` for what Gemini cannot do faithfully."""
    if request.get("logit_bias"):
        raise Untranslatable("'logit_bias' has no counterpart in Gemini's generateContent")
    system: list[dict[str, str]] = []
    contents: list[dict[str, Any]] = []
    names = tool_names(request["messages"])
    for index, message in enumerate(request["messages"]):
        role = message["role"]
        where = f"messages[{index}]"
        if role in SYSTEM_ROLES:
            system.extend(_text_parts(message.get("content"), where))
            continue
        if role == "tool":
            append_turn(contents, "user", [_function_response(message, names, where)], "parts")
            continue
        if role not in GEMINI_ROLES:
            raise Untranslatable(f"{where}: role '{role}' has no Gemini counterpart")
        parts = _text_parts(message.get("content"), where) + _function_calls(message)
        append_turn(contents, GEMINI_ROLES[role], parts or [{"text": ""}], "parts")
    if not contents:
        raise Untranslatable("Gemini needs at least one user or assistant message")
    body: dict[str, Any] = {"contents": contents}
    if system:
        body["systemInstruction"] = {"parts": system}
    body |= _tools(request)
    config = _generation_config(request)
    if config:
        body["generationConfig"] = config
    return body


def _function_calls(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "functionCall": {
                "id": call["id"],
                "name": call["function"]["name"],
                "args": arguments_object(call["function"].get("arguments")),
            }
        }
        for call in message.get("tool_calls") or []
    ]


def _function_response(
    message: Mapping[str, Any], names: Mapping[str, str], where: str
) -> dict[str, Any]:
    call_id = message["tool_call_id"]
    name = names.get(call_id)
    if name is None:
        raise Untranslatable(f"{where}: a tool result Gemini cannot name (no earlier call)")
    text = result_text(message.get("content"))
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    response = value if isinstance(value, dict) else {"result": text}
    return {"functionResponse": {"id": call_id, "name": name, "response": response}}


def _tools(request: Mapping[str, Any]) -> dict[str, Any]:
    tools = request.get("tools") or []
    if not tools:
        return {}
    declarations = [
        {
            "name": t["function"]["name"],
            **(
                {"description": t["function"]["description"]}
                if t["function"].get("description")
                else {}
            ),
            **(
                {"parameters": t["function"]["parameters"]}
                if t["function"].get("parameters")
                else {}
            ),
        }
        for t in tools
    ]
    out: dict[str, Any] = {"tools": [{"functionDeclarations": declarations}]}
    choice = request.get("tool_choice")
    if isinstance(choice, Mapping):
        config = {"mode": "ANY", "allowedFunctionNames": [choice["function"]["name"]]}
    elif choice is not None:
        config = {"mode": {"auto": "AUTO", "required": "ANY", "none": "NONE"}[choice]}
    else:
        return out
    out["toolConfig"] = {"functionCallingConfig": config}
    return out


def _generation_config(request: Mapping[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    limit = request.get("max_completion_tokens") or request.get("max_tokens")
    if limit:
        config["maxOutputTokens"] = limit
    for ours, theirs in _CONFIG:
        if request.get(ours) is not None:
            config[theirs] = request[ours]
    stop = request.get("stop")
    if stop:
        config["stopSequences"] = [stop] if isinstance(stop, str) else list(stop)
    if (request.get("n") or 1) > 1:
        config["candidateCount"] = request["n"]
    response_format = request.get("response_format") or {}
    kind = response_format.get("type") if isinstance(response_format, Mapping) else None
    if kind == "json_object":
        config["responseMimeType"] = "application/json"
    elif kind not in (None, "text"):
        raise Untranslatable(f"response_format '{kind}' is not translated to Gemini")
    return config


# ---------------------------------------------------------------- answers


def usage_to_openai(metadata: Any) -> dict[str, int] | None:
    if not isinstance(metadata, Mapping):
        return None
    prompt = metadata.get("promptTokenCount")
    completion = metadata.get("candidatesTokenCount")
    thoughts = metadata.get("thoughtsTokenCount")
    if isinstance(thoughts, int):  # billed as output: counted as the answer's
        completion = (completion if isinstance(completion, int) else 0) + thoughts
    total = metadata.get("totalTokenCount")
    out: dict[str, int] = {}
    if isinstance(prompt, int):
        out["prompt_tokens"] = prompt
    if isinstance(completion, int):
        out["completion_tokens"] = completion
    if isinstance(total, int):
        out["total_tokens"] = total
    elif isinstance(prompt, int) and isinstance(completion, int):
        out["total_tokens"] = prompt + completion
    return out or None


def candidate_text(candidate: Mapping[str, Any]) -> str:
    """The answer's text: text parts, without the model's thought summaries."""
    content = candidate.get("content")
    parts = content.get("parts") if isinstance(content, Mapping) else None
    return "".join(
        str(part.get("text", ""))
        for part in (parts if isinstance(parts, list) else [])
        if isinstance(part, Mapping) and not part.get("thought")
    )


def candidate_calls(candidate: Mapping[str, Any], make_id: str) -> list[dict[str, Any]]:
    """The candidate's functionCall parts as OpenAI tool calls; a call without an id gets
    `make_id` numbered."""
    content = candidate.get("content")
    parts = content.get("parts") if isinstance(content, Mapping) else None
    calls: list[dict[str, Any]] = []
    for part in parts if isinstance(parts, list) else []:
        call = part.get("functionCall") if isinstance(part, Mapping) else None
        if not isinstance(call, Mapping):
            continue
        call_id = call.get("id")
        if not isinstance(call_id, str) or not call_id:
            call_id = f"{make_id}_{len(calls)}"
        calls.append(chat_call(call_id, str(call.get("name", "")), call.get("args") or {}))
    return calls


def _answer_finish(value: Any, calls: list[dict[str, Any]]) -> str | None:
    reason = finish_reason(value)
    return "tool_calls" if calls and reason == "stop" else reason


def finish_reason(value: Any) -> str | None:
    if value in (None, "", "FINISH_REASON_UNSPECIFIED"):
        return None
    return FINISH_REASONS.get(str(value), "stop")


def _blocked(data: Mapping[str, Any]) -> bool:
    feedback = data.get("promptFeedback")
    return isinstance(feedback, Mapping) and bool(feedback.get("blockReason"))


def gemini_to_completion(
    data: Mapping[str, Any], *, model: str, fallback_id: str
) -> dict[str, Any]:
    """A ``GenerateContentResponse`` as an OpenAI ``chat.completion``."""
    candidates = data.get("candidates")
    choices = []
    for position, candidate in enumerate(candidates if isinstance(candidates, list) else []):
        if not isinstance(candidate, Mapping):
            continue
        index = candidate.get("index", position)
        calls = candidate_calls(candidate, f"call_{data.get('responseId') or fallback_id}_{index}")
        text = candidate_text(candidate)
        message: dict[str, Any] = {"role": "assistant", "content": text or (None if calls else "")}
        if calls:
            message["tool_calls"] = calls
        choices.append(
            {
                "index": index,
                "message": message,
                "finish_reason": _answer_finish(candidate.get("finishReason"), calls) or "stop",
            }
        )
    if not choices and _blocked(data):
        choices.append(
            {
                "index": 0,
                "message": {"role": "assistant", "content": ""},
                "finish_reason": "content_filter",
            }
        )
    completion: dict[str, Any] = {
        "id": str(data.get("responseId") or fallback_id),
        "object": "chat.completion",
        "model": str(data.get("modelVersion") or model),
        "choices": choices,
    }
    usage = usage_to_openai(data.get("usageMetadata"))
    if usage is not None:
        completion["usage"] = usage
    return completion


@dataclass
class GeminiChunks:
    """streamGenerateContent's responses as OpenAI ``chat.completion.chunk``s: a role
    chunk first, a content chunk per candidate's text, a tool call chunk per response
    with functionCall parts (Gemini sends each call whole), a finish chunk per
    candidate that finishes (tool_calls when it called any), and (`finish`) one usage
    chunk with the last counts Gemini sent (each response carries the running totals)."""

    id: str
    model: str
    started: bool = False
    usage: dict[str, int] | None = None
    finished: set[int] = field(default_factory=set)
    calls: dict[int, int] = field(default_factory=dict)  # candidate -> tool calls so far

    def on_response(self, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        self.id = str(data.get("responseId") or self.id)
        self.model = str(data.get("modelVersion") or self.model)
        out = []
        if not self.started:
            self.started = True
            out.append(self._chunk(0, {"role": "assistant", "content": ""}))
        usage = usage_to_openai(data.get("usageMetadata"))
        if usage is not None:
            self.usage = usage
        candidates = data.get("candidates")
        for position, candidate in enumerate(candidates if isinstance(candidates, list) else []):
            if not isinstance(candidate, Mapping):
                continue
            index = int(candidate.get("index", position))
            text = candidate_text(candidate)
            if text:
                out.append(self._chunk(index, {"content": text}))
            made = self.calls.get(index, 0)
            calls = candidate_calls(candidate, f"call_{self.id}_{index}_{made}")
            if calls:
                self.calls[index] = made + len(calls)
                numbered = [{"index": made + n, **call} for n, call in enumerate(calls)]
                out.append(self._chunk(index, {"tool_calls": numbered}))
            reason = finish_reason(candidate.get("finishReason"))
            if reason == "stop" and self.calls.get(index):
                reason = "tool_calls"
            if reason is not None and index not in self.finished:
                self.finished.add(index)
                out.append(self._chunk(index, {}, reason))
        if not candidates and _blocked(data) and 0 not in self.finished:
            self.finished.add(0)
            out.append(self._chunk(0, {}, "content_filter"))
        return out

    def finish(self) -> list[dict[str, Any]]:
        if self.usage is None:
            return []
        return [
            {
                "id": self.id,
                "object": "chat.completion.chunk",
                "model": self.model,
                "choices": [],
                "usage": self.usage,
            }
        ]

    def _chunk(
        self, index: int, delta: dict[str, Any], finish: str | None = None
    ) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "model": self.model,
            "choices": [{"index": index, "delta": delta, "finish_reason": finish}],
        }


def error_status(error: Any) -> int:
    """The HTTP status a Gemini error object (``{"code", "message", "status"}``) stands for."""
    if not isinstance(error, Mapping):
        return 500
    code = error.get("code")
    if isinstance(code, int) and 400 <= code <= 599:
        return code
    return STATUS_HTTP.get(str(error.get("status")), 500)
