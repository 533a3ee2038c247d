"""The Anthropic Messages request as govroute accepts it (POST /v1/messages).

Strict like the chat completions request (api/gateway/schemas.py): text only,
nothing unexamined reaches a provider, unknown fields are refused. It becomes a
`ChatCompletionRequest` (api/gateway/translate.py `messages_to_chat`), so the
decision, redaction, routing, output filter and provenance are the same ones.

Tools (custom ones), tool_choice, tool_use and tool_result blocks are accepted and
become the chat request's tool parts (api/gateway/tool_translate.py), so the firewall
treats them as it treats OpenAI's (api/gateway/tools.py).

Refused with a 400 that says why: image and document blocks (the detectors read
text only), server tools, thinking, top_k (no other provider kind could honour it)
and anything else not listed here.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from api.gateway.schemas import (
    ChatCompletionRequest,
    GovrouteAnswerOut,
    _first_field,
    _problems,
)
from api.gateway.tool_schemas import MAX_TOOLS, ToolCallId, ToolName
from api.gateway.translate import messages_to_chat
from api.schemas import surrogate_in
from engine.errors import InvalidRequest

ANTHROPIC_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")

UNSUPPORTED = {
    "thinking": "thinking blocks would carry text past output filtering",
    "top_k": "no other provider kind could honour it, and routing may choose one",
    "container": "a container would run code unexamined",
    "mcp_servers": "tool calls would carry text past output filtering",
}
BLOCK_REFUSALS = {
    "image": "images cannot be inspected by govroute's detectors",
    "document": "documents cannot be inspected here; send their text as context",
    "thinking": "thinking blocks would carry text past output filtering",
    "redacted_thinking": "thinking blocks would carry text past output filtering",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class TextBlock(_Strict):
    type: Literal["text"]
    text: str
    cache_control: dict[str, Any] | None = None  # a provider-side cache hint: dropped
    citations: list[Any] | None = None  # what the SDK sends back with an earlier answer


def _refuse_blocks(content: Any, where: str) -> None:
    if not isinstance(content, list):
        return
    for index, block in enumerate(content):
        kind = block.get("type") if isinstance(block, dict) else None
        # Before validation a block's type may be any JSON value (an object is not
        # hashable); the schema says what is wrong with one that is not a string.
        if isinstance(kind, str) and kind in BLOCK_REFUSALS:
            raise ValueError(
                f"{where}[{index}]: '{kind}' blocks are not supported: {BLOCK_REFUSALS[kind]}"
            )


class ToolUseBlock(_Strict):
    """A call the model made, sent back in an assistant turn."""

    type: Literal["tool_use"]
    id: ToolCallId
    name: ToolName
    input: dict[str, Any]
    cache_control: dict[str, Any] | None = None


class ToolResultBlock(_Strict):
    """The caller's answer to a tool_use block, in a user turn."""

    type: Literal["tool_result"]
    tool_use_id: ToolCallId
    content: str | list[TextBlock] | None = None
    is_error: bool | None = None
    cache_control: dict[str, Any] | None = None


Block = Annotated[TextBlock | ToolUseBlock | ToolResultBlock, Field(discriminator="type")]


class AnthropicTool(_Strict):
    """A custom tool; server tools (web search, code execution) run where govroute cannot
    see, and are refused as unknown fields."""

    name: ToolName
    description: str | None = None
    input_schema: dict[str, Any]
    type: Literal["custom"] | None = None
    cache_control: dict[str, Any] | None = None


class AnthropicToolChoice(_Strict):
    type: Literal["auto", "any", "tool", "none"]
    name: ToolName | None = None
    disable_parallel_tool_use: bool | None = None

    @model_validator(mode="after")
    def _named(self) -> AnthropicToolChoice:
        if (self.type == "tool") != (self.name is not None):
            raise ValueError("tool_choice of type 'tool', and only that type, names a tool")
        return self


class AnthropicMessage(_Strict):
    role: Literal["user", "assistant"]
    content: str | list[Block]

    @model_validator(mode="before")
    @classmethod
    def _only_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _refuse_blocks(data.get("content"), "content")
        return data

    @model_validator(mode="after")
    def _blocks_in_their_turn(self) -> AnthropicMessage:
        wrong = "tool_result" if self.role == "assistant" else "tool_use"
        for index, block in enumerate(self.content if isinstance(self.content, list) else []):
            if block.type == wrong:
                raise ValueError(
                    f"content[{index}]: '{wrong}' blocks belong to "
                    f"{'user' if wrong == 'tool_result' else 'assistant'} messages"
                )
        return self


class MessagesMetadata(_Strict):
    """Anthropic's `user_id` (consumed, never forwarded) and govroute's own keys."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    user_id: str | None = None


class MessagesRequest(_Strict):
    model: str = Field(
        min_length=1, description="'auto' or 'govroute', or a govroute model id (a preference)."
    )
    messages: list[AnthropicMessage] = Field(min_length=1, max_length=1024)
    max_tokens: int = Field(ge=1)
    system: str | list[TextBlock] | None = None
    stop_sequences: Annotated[list[str], Field(max_length=4)] | None = Field(
        default=None, description="At most 4: every provider kind must be able to honour them."
    )
    temperature: float | None = Field(default=None, ge=0, le=1)
    top_p: float | None = Field(default=None, ge=0, le=1)
    metadata: MessagesMetadata | None = None
    stream: bool | None = False
    service_tier: str | None = None  # a scheduling hint for Anthropic's own API: dropped
    tools: Annotated[list[AnthropicTool], Field(max_length=MAX_TOOLS)] | None = None
    tool_choice: AnthropicToolChoice | None = None

    @model_validator(mode="before")
    @classmethod
    def _supported(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, why in UNSUPPORTED.items():
                if data.get(key) not in (None, [], {}):
                    raise ValueError(f"'{key}' is not supported by the govroute gateway: {why}")
                data = {k: v for k, v in data.items() if k != key}
            _refuse_blocks(data.get("system"), "system")
            for name in ("system", "messages", "tools", "tool_choice"):
                # Checked after translation, the error would name the chat message (a
                # tool_result block becomes a message of its own): name the block here.
                found = surrogate_in(data.get(name), name)
                if found is not None:
                    raise ValueError(found[1])
        return data

    @model_validator(mode="after")
    def _results_answer_calls(self) -> MessagesRequest:
        """Every tool_result answers a tool_use of an earlier assistant turn, once."""
        calls: set[str] = set()
        answered: set[str] = set()
        for i, message in enumerate(self.messages):
            for j, block in enumerate(message.content if isinstance(message.content, list) else []):
                where = f"messages[{i}].content[{j}]"
                if isinstance(block, ToolUseBlock):
                    if block.id in calls:
                        raise ValueError(f"{where}.id: tool_use id '{block.id}' is used twice")
                    calls.add(block.id)
                elif isinstance(block, ToolResultBlock):
                    if block.tool_use_id not in calls:
                        raise ValueError(
                            f"{where}.tool_use_id: '{block.tool_use_id}' answers no tool_use "
                            "block of an earlier assistant message"
                        )
                    if block.tool_use_id in answered:
                        raise ValueError(
                            f"{where}.tool_use_id: '{block.tool_use_id}' is answered twice"
                        )
                    answered.add(block.tool_use_id)
        names = [t.name for t in self.tools or []]
        choice = self.tool_choice
        if choice is not None and choice.name is not None and choice.name not in names:
            raise ValueError(f"tool_choice names '{choice.name}', which is not among the tools")
        return self

    def govroute_metadata(self) -> dict[str, Any] | None:
        """The govroute_* keys of `metadata`, for `read_context`."""
        if self.metadata is None:
            return None
        return dict(self.metadata.model_extra or {})

    def to_chat(self) -> ChatCompletionRequest:
        """The same request as the gateway's chat completions request."""
        raw = self.model_dump(exclude_none=True, exclude={"metadata", "service_tier"})
        meta = self.govroute_metadata()
        if meta:
            raw["metadata"] = meta
        try:
            return ChatCompletionRequest.model_validate(messages_to_chat(raw), strict=False)
        except ValidationError as exc:
            raise InvalidRequest(_problems(exc, ""), field=_first_field(exc)) from exc


def check_version(value: str | None) -> None:
    """`anthropic-version` as the SDK sends it (a date, e.g. 2023-06-01), or absent."""
    if value is not None and not ANTHROPIC_VERSION.match(value.strip()):
        raise InvalidRequest(
            f"anthropic-version must be a date such as 2023-06-01, not {value!r}",
            field="anthropic-version",
        )


# ---------------------------------------------------------------- answer (documented)
# What api/gateway/translate.py `completion_to_message` builds; the OpenAPI document
# describes it with these (the route returns the dict it built).

StopReason = Literal["end_turn", "max_tokens", "stop_sequence", "tool_use", "refusal"]


class TextBlockOut(BaseModel):
    type: Literal["text"]
    text: str


class ToolUseBlockOut(BaseModel):
    type: Literal["tool_use"]
    id: str
    name: str
    input: dict[str, Any]


class MessageUsageOut(BaseModel):
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)


class MessageOut(BaseModel):
    """An Anthropic `message` as the caller receives it: filtered, with govroute's record."""

    id: str
    type: Literal["message"]
    role: Literal["assistant"]
    model: str
    content: list[Annotated[TextBlockOut | ToolUseBlockOut, Field(discriminator="type")]]
    stop_reason: StopReason | None
    stop_sequence: str | None = None
    usage: MessageUsageOut
    govroute: GovrouteAnswerOut
