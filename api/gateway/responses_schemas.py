"""The Responses API request (POST /v1/responses), checked before anything is decided.

Messages of text parts, function tools with their calls and outputs
(api/gateway/responses_tools.py), and the options that have a chat counterpart; a 400
names whatever else would pass detection or output filtering by (files, images,
provider-side tools, stored prompts, logprobs), and ``previous_response_id``, since
govroute keeps no responses. api/gateway/responses_api.py serves it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from api.gateway import responses_tools
from api.gateway.responses_tools import (
    FunctionCallItem,
    FunctionCallOutputItem,
    FunctionTool,
    ResponsesToolChoice,
)
from api.gateway.schemas import _Strict
from api.gateway.tool_schemas import MAX_TOOLS
from api.schemas import describe, surrogate_in
from engine.errors import InvalidRequest

NO_STORE = (
    "govroute keeps no responses, so previous_response_id cannot be resolved; "
    "send the earlier turns as input items instead"
)
REFUSED = {
    "include": "extra output (reasoning, search results, logprobs) would escape filtering",
    "top_logprobs": "log probabilities would show the unfiltered answer's tokens",
    "background": "govroute keeps no responses to poll for later",
    "conversation": "govroute keeps no conversations on the provider's side",
    "prompt": "a stored prompt template would reach the provider unexamined",
}


TEXT_FIELDS = ("instructions", "input", "tools", "tool_choice")
"""The fields whose texts reach the decision (checked for lone surrogates up front)."""


class InputText(_Strict):
    type: Literal["input_text"]
    text: str


class OutputText(_Strict):
    """An earlier answer's text, as the openai client sends it back."""

    type: Literal["output_text"]
    text: str
    annotations: list[Any] | None = None
    logprobs: list[Any] | None = None


class InputMessage(_Strict):
    type: Literal["message"] | None = None
    role: Literal["user", "system", "developer", "assistant"]
    content: str | list[InputText | OutputText]
    id: str | None = None  # an earlier output item sent back
    status: str | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "\n".join(part.text for part in self.content)


def _item_kind(item: Any) -> str:
    kind = item.get("type", "message") if isinstance(item, dict) else getattr(item, "type", None)
    if kind is None:
        return "message"
    # Not str(kind): before validation it may be a container too deep to print.
    return kind if isinstance(kind, str) else "not-a-string"


InputItem = Annotated[
    Annotated[InputMessage, Tag("message")]
    | Annotated[FunctionCallItem, Tag("function_call")]
    | Annotated[FunctionCallOutputItem, Tag("function_call_output")],
    Discriminator(_item_kind),
]
ITEM_KINDS = ("message", "function_call", "function_call_output")


class TextFormat(_Strict):
    type: Literal["text", "json_object", "json_schema"]
    name: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    description: str | None = None
    strict: bool | None = None

    @model_validator(mode="after")
    def _schema_named(self) -> TextFormat:
        if self.type == "json_schema" and (self.name is None or self.schema_ is None):
            raise ValueError("a json_schema format needs a 'name' and a 'schema'")
        return self

    def response_format(self) -> dict[str, Any] | None:
        if self.type == "text":
            return None
        if self.type == "json_object":
            return {"type": "json_object"}
        spec: dict[str, Any] = {"name": self.name, "schema": self.schema_}
        if self.description is not None:
            spec["description"] = self.description
        if self.strict is not None:
            spec["strict"] = self.strict
        return {"type": "json_schema", "json_schema": spec}

    def echoed(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


class TextOptions(_Strict):
    format: TextFormat | None = None
    verbosity: Literal["low", "medium", "high"] | None = None


class Reasoning(_Strict):
    effort: Literal["minimal", "low", "medium", "high"] | None = None
    summary: None = None  # a reasoning summary is model text the filter never sees


class StreamOptions(_Strict):
    include_obfuscation: bool | None = None


class ResponsesRequest(_Strict):
    model: str = Field(min_length=1)
    input: str | list[InputItem] = Field(min_length=1)
    instructions: str | None = None
    max_output_tokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    text: TextOptions | None = None
    reasoning: Reasoning | None = None
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    service_tier: str | None = None
    truncation: Literal["disabled"] | None = None
    tools: Annotated[list[FunctionTool], Field(max_length=MAX_TOOLS)] | None = None
    tool_choice: ResponsesToolChoice | None = None
    parallel_tool_calls: bool | None = None
    # At most this many function_call items in the response; the surplus is dropped
    # (api/gateway/responses_api.py `limited`).
    max_tool_calls: int | None = Field(default=None, ge=1)
    previous_response_id: None = None
    # consumed here, never forwarded
    metadata: dict[str, Any] | None = None
    user: str | None = None
    store: bool | None = None
    safety_identifier: str | None = None
    prompt_cache_key: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _supported(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if data.get("previous_response_id") is not None:
            # Raised as it is (not a ValueError), so the 400's param names the field.
            raise InvalidRequest(f"previous_response_id: {NO_STORE}", field="previous_response_id")
        for name in TEXT_FIELDS:
            found = surrogate_in(data.get(name), name)
            if found is not None:  # checked after translation, it would name a chat field
                raise InvalidRequest(found[1], field=found[0])
        items = data.get("input")
        for index, item in enumerate(items if isinstance(items, list) else []):
            _check_item(item, f"input[{index}]")
        responses_tools.check_tools(data)
        for key, why in REFUSED.items():
            if key in data:
                if data[key] not in (None, False, [], {}, "none", "auto"):
                    raise InvalidRequest(
                        f"{key}: not supported by the govroute gateway: {why}", field=key
                    )
                data = {k: v for k, v in data.items() if k != key}
        return data

    @model_validator(mode="after")
    def _calls_answered(self) -> ResponsesRequest:
        if isinstance(self.input, list):
            responses_tools.check_pairs(self.input)
        return self

    def messages(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if self.instructions:
            out.append({"role": "system", "content": self.instructions})
        if isinstance(self.input, str):
            return [*out, {"role": "user", "content": self.input}]
        for item in self.input:
            if isinstance(item, InputMessage):
                out.append({"role": item.role, "content": item.text()})
            else:
                responses_tools.add_item(out, item)
        return out


def _check_item(item: Any, where: str) -> None:
    """Only messages of text parts and function calls with their outputs: anything else
    would pass detection or filtering by."""
    if not isinstance(item, dict):
        return  # the schema says what is wrong with it
    kind = item.get("type", "message")
    if kind not in ITEM_KINDS:
        raise InvalidRequest(
            f"{where}: input items of type {describe(kind)} are not supported, only messages, "
            "function_call and function_call_output (anything else would pass unexamined)",
            field=where,
        )
    if kind != "message":
        return
    content = item.get("content")
    for index, part in enumerate(content if isinstance(content, list) else []):
        if isinstance(part, dict) and part.get("type") not in ("input_text", "output_text"):
            raise InvalidRequest(
                f"{where}.content[{index}]: content parts of type {describe(part.get('type'))} are "
                "not supported; only text can be inspected",
                field=f"{where}.content[{index}]",
            )
