"""The OpenAI chat completions request as govroute accepts it, and how it becomes a decision.

Parameters fall in four groups (docs/gateway.md lists them):
- forwarded as they are: sampling and output controls (`FORWARDED`);
- consumed by govroute and never forwarded: `model` (a preference), `metadata`
  (context references and purpose), `user` and `store` (the provider learns
  nothing about the caller and keeps nothing on govroute's behalf), and a
  message's `name`;
- tools, tool calls and tool results (api/gateway/tool_schemas.py): checked here,
  analysed like context items and rebuilt for the provider by api/gateway/tools.py;
- refused with a 400 that says why (`UNSUPPORTED`): legacy function calls,
  logprobs, audio, predicted outputs, image parts: each would carry text past
  detection or past output filtering;
- anything else: refused as unknown, so nothing unexamined reaches a provider.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from api.gateway.tool_schemas import (
    MAX_TOOLS,
    ToolCall,
    ToolCallId,
    ToolChoice,
    ToolDefinition,
    check_tool_conversation,
)
from api.schemas import ContextIn, DecideRequest, MessageIn, describe
from engine.errors import InvalidRequest
from loaders.spec import Id

AUTO_MODELS = frozenset({"auto", "govroute"})

FORWARDED = (
    "temperature",
    "top_p",
    "n",
    "stop",
    "max_tokens",
    "max_completion_tokens",
    "presence_penalty",
    "frequency_penalty",
    "logit_bias",
    "seed",
    "response_format",
    "service_tier",
    "reasoning_effort",
    "stream_options",
    "parallel_tool_calls",
)

UNSUPPORTED = {
    "functions": "legacy function calls are not supported: send 'tools'",
    "function_call": "legacy function calls are not supported: send 'tool_choice'",
    "logprobs": "log probabilities would show the unfiltered answer's tokens",
    "top_logprobs": "log probabilities would show the unfiltered answer's tokens",
    "audio": "audio cannot be inspected",
    "modalities": "only text is supported",
    "prediction": "a predicted output would reach the provider unexamined",
    "web_search_options": "search results would reach the model unexamined",
}

MessageRole = Literal["system", "developer", "user", "assistant", "tool"]


class _Strict(BaseModel):
    # strict: no coercion on the wire ("stream": "yes" or "n": "3" is a 400 naming the
    # field, not a guess); JSON integers still count as numbers.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class TextPart(_Strict):
    type: Literal["text"]
    text: str


class ChatMessage(_Strict):
    role: MessageRole
    content: str | list[TextPart] | None = None
    name: str | None = None  # not forwarded: it would reach the provider unexamined
    # What the openai client sends back when a previous answer is reused as a message.
    refusal: str | None = None
    annotations: list[Any] | None = None
    tool_calls: list[ToolCall] | None = None  # an assistant message: the model's calls
    tool_call_id: ToolCallId | None = None  # a tool message: the call it answers
    function_call: None = None
    audio: None = None

    @model_validator(mode="before")
    @classmethod
    def _only_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("function_call", "audio"):
                if data.get(key):
                    raise ValueError(f"'{key}' is not supported: {UNSUPPORTED['functions']}")
            role = data.get("role")
            if data.get("tool_calls") and role != "assistant":
                raise ValueError("'tool_calls' belong to assistant messages")
            if (role == "tool") != (data.get("tool_call_id") is not None):
                raise ValueError("a tool message, and only a tool message, has a 'tool_call_id'")
            content = data.get("content")
            if isinstance(content, list):
                for part in content:
                    if isinstance(part, dict) and part.get("type") != "text":
                        kind = describe(part.get("type"))
                        raise ValueError(
                            f"content parts of type {kind} are not supported; "
                            "only text can be inspected"
                        )
        return data

    def text(self) -> str:
        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content)


class StreamOptions(_Strict):
    include_usage: bool | None = None
    include_obfuscation: bool | None = None


class ChatCompletionRequest(_Strict):
    model: str = Field(
        min_length=1, description="'auto' or 'govroute', or a govroute model id (a preference)."
    )
    messages: list[ChatMessage] = Field(min_length=1, max_length=1024)
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    n: int | None = Field(default=None, ge=1, le=8)
    stop: str | Annotated[list[str], Field(max_length=4)] | None = Field(
        default=None, description="A string or at most 4 strings, as OpenAI."
    )
    max_tokens: int | None = Field(default=None, ge=1)
    max_completion_tokens: int | None = Field(default=None, ge=1)
    presence_penalty: float | None = Field(default=None, ge=-2, le=2)
    frequency_penalty: float | None = Field(default=None, ge=-2, le=2)
    logit_bias: dict[str, float] | None = None
    seed: int | None = None
    response_format: dict[str, Any] | None = None
    service_tier: str | None = None
    reasoning_effort: str | None = None
    tools: Annotated[list[ToolDefinition], Field(max_length=MAX_TOOLS)] | None = None
    tool_choice: ToolChoice | None = None
    parallel_tool_calls: bool | None = None
    # consumed here, never forwarded
    metadata: dict[str, Any] | None = None
    user: str | None = None
    store: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _supported(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, why in UNSUPPORTED.items():
                if key not in data:  # the usual case: nothing to check or drop
                    continue
                value = data[key]
                if key == "modalities" and value in (["text"], None):
                    data = {k: v for k, v in data.items() if k != key}
                    continue
                if value not in (None, False, [], {}):
                    raise ValueError(f"'{key}' is not supported by the govroute gateway: {why}")
                data = {k: v for k, v in data.items() if k != key}
        return data

    @model_validator(mode="after")
    def _tools_agree(self) -> ChatCompletionRequest:
        check_tool_conversation(self.messages, self.tools, self.tool_choice)
        return self

    def forwarded(self) -> dict[str, Any]:
        """The caller's parameters that go to the provider as they are."""
        out: dict[str, Any] = {}
        for name in FORWARDED:
            value = getattr(self, name)
            if value is None:
                continue
            out[name] = (
                value.model_dump(exclude_none=True) if isinstance(value, BaseModel) else value
            )
        if not self.stream:
            out.pop("stream_options", None)
        if not self.tools:
            out.pop("parallel_tool_calls", None)  # meaningless, and some providers refuse it
        return out

    def max_output_tokens(self) -> int:
        return self.max_completion_tokens or self.max_tokens or 1024

    def preferred_model(self) -> str | None:
        return None if self.model.lower() in AUTO_MODELS else self.model


class GovrouteContext(BaseModel):
    """What the request's metadata and X-Govroute-* headers say about its data context."""

    model_config = ConfigDict(strict=True)  # a purpose of 3 is an error, not "3"

    context: list[ContextIn] = []
    purpose: str | None = None
    capabilities: list[str] = []
    user_region: str | None = None
    conversation_id: Id | None = None


def read_context(
    metadata: dict[str, Any] | None,
    header_context: str | None,
    header_purpose: str | None,
    header_conversation: str | None = None,
) -> GovrouteContext:
    """Context items, purpose, capabilities, region and conversation from metadata and
    headers."""
    meta = metadata or {}
    conversation = meta.get("govroute_conversation")
    if (
        conversation is not None
        and header_conversation is not None
        and conversation != header_conversation
    ):
        raise InvalidRequest(
            "metadata.govroute_conversation and X-Govroute-Conversation disagree",
            field="metadata.govroute_conversation",
        )
    items_value = meta.get("govroute_context")
    if items_value is not None and header_context is not None:
        raise InvalidRequest(
            "context came both in metadata.govroute_context and X-Govroute-Context; send one",
            field="metadata.govroute_context",
        )
    if items_value is not None:
        raw = _json_value(items_value, "metadata.govroute_context")
    elif header_context is not None:
        raw = _header_json(header_context)
    else:
        raw = []
    purpose = meta.get("govroute_purpose")
    if purpose is not None and header_purpose is not None and purpose != header_purpose:
        raise InvalidRequest(
            "metadata.govroute_purpose and X-Govroute-Purpose disagree",
            field="metadata.govroute_purpose",
        )
    capabilities = meta.get("govroute_capabilities", [])
    if isinstance(capabilities, str):
        capabilities = (
            _json_value(capabilities, "metadata.govroute_capabilities")
            if capabilities.lstrip().startswith("[")
            else [c.strip() for c in capabilities.split(",") if c.strip()]
        )
    try:
        return GovrouteContext(
            context=raw,
            purpose=purpose if purpose is not None else header_purpose,
            capabilities=capabilities,
            user_region=meta.get("govroute_user_region"),
            conversation_id=conversation if conversation is not None else header_conversation,
        )
    except ValidationError as exc:
        raise InvalidRequest(_problems(exc, "metadata"), field="metadata") from exc


def to_decide_request(
    body: ChatCompletionRequest,
    ctx: GovrouteContext,
    *,
    messages: list[MessageIn] | None = None,
    extra_context: list[ContextIn] | None = None,
) -> DecideRequest:
    """The decision request for a chat request (validated like POST /v1/decide's body);
    `messages` and `extra_context` come from api/gateway/tools.py for tool parts."""
    try:
        return DecideRequest(
            messages=messages
            if messages is not None
            else [MessageIn(role=m.role, content=m.text()) for m in body.messages],
            context=[*ctx.context, *(extra_context or [])],
            purpose=ctx.purpose,
            required_capabilities=ctx.capabilities,
            preferred_model=body.preferred_model(),
            user_region=ctx.user_region,
            max_output_tokens=min(body.max_output_tokens(), 1_000_000),
            conversation_id=ctx.conversation_id,
        )
    except ValidationError as exc:
        raise InvalidRequest(_problems(exc, ""), field=_first_field(exc)) from exc


def _json_value(value: Any, where: str) -> Any:
    """OpenAI limits metadata values to strings of 512 characters: accept JSON in a string."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(f"{where} is not valid JSON: {exc.msg}", field=where) from exc


def _header_json(value: str) -> Any:
    text = value.strip()
    if not text.startswith(("[", "{")):
        try:
            padded = text + "=" * (-len(text) % 4)
            text = base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise InvalidRequest(
                "X-Govroute-Context is neither JSON nor base64url-encoded JSON",
                field="X-Govroute-Context",
            ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(
            f"X-Govroute-Context is not valid JSON: {exc.msg}", field="X-Govroute-Context"
        ) from exc


def _problems(exc: ValidationError, prefix: str) -> str:
    out = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        where = f"{prefix}.{where}" if prefix and where else (prefix or where or "body")
        out.append(f"{where}: {str(error.get('msg')).removeprefix('Value error, ')}")
    return "; ".join(out)


def _first_field(exc: ValidationError) -> str | None:
    errors = exc.errors()
    return ".".join(str(p) for p in errors[0].get("loc", ())) if errors else None


# ---------------------------------------------------------------- answer (documented)
# What api/gateway/output.py builds from a provider's answer; the OpenAPI document
# describes it with these (the route returns the dict it built).

FinishReason = Literal["stop", "length", "tool_calls", "content_filter", "function_call"]


class ToolCallOut(BaseModel):
    """A tool call the model made, filtered (api/gateway/tool_output.py)."""

    id: str
    type: Literal["function"]
    function: dict[str, str] = Field(description="`name`, and `arguments` as JSON text.")


class AnswerMessageOut(BaseModel):
    role: Literal["assistant"]
    content: str | None
    refusal: str | None = None
    tool_calls: list[ToolCallOut] | None = None


class ChoiceOut(BaseModel):
    index: int = Field(ge=0)
    message: AnswerMessageOut
    finish_reason: FinishReason | None
    logprobs: None = None


class UsageOut(BaseModel):
    """Only the counts OpenAI defines; any of them may be missing."""

    prompt_tokens: int | None = Field(default=None, ge=0)
    completion_tokens: int | None = Field(default=None, ge=0)
    total_tokens: int | None = Field(default=None, ge=0)
    prompt_tokens_details: dict[str, int] | None = None
    completion_tokens_details: dict[str, int] | None = None


class GovrouteAnswerOut(BaseModel):
    decision_id: str
    outcome: Literal["allow", "allow_with_redactions", "deny"]
    model: str
    output_redactions: int = Field(ge=0)
    blocked_by: str | None


class ChatCompletionOut(BaseModel):
    """A `chat.completion` as the caller receives it: every field filtered or govroute's."""

    id: str
    object: Literal["chat.completion"]
    created: int = Field(ge=0)
    model: str
    choices: list[ChoiceOut]
    usage: UsageOut | None = None
    system_fingerprint: str | None = None
    service_tier: Literal["auto", "default", "flex", "scale", "priority"] | None = None
    govroute: GovrouteAnswerOut
