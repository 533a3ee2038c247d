"""Tools through the firewall: what the decision sees of tool parts, and what the provider
gets back from it.

A chat request's tool parts become parts of its `DecideRequest`, so that the engine
analyses them as it analyses everything else (entities, injection signals, threat
scores) and policies govern them:

- each tool definition is a context item of kind ``tool_definition``, id
  ``tool:<name>``, its text the definition's JSON: an instruction hidden in a
  description is withheld like one in a retrieved document, and tool rules
  (engine/tools.py) drop or deny the tools a principal may not offer;
- each tool result (a ``role: tool`` message) is a context item of kind
  ``tool_result``, id ``result:<tool_call_id>``: withheld when it tries to instruct
  the model (or the request denied, as the detection settings say), redacted like
  any item, and when its JSON names a document (`DOCUMENT_FIELDS`) that document's
  labels, access rules and lineage apply and provenance records the exposure;
- each tool call an assistant message carries (the model's earlier calls, sent back
  with the caller's real values) is one more assistant message of the decision, right
  after its own, its text the arguments' JSON: redacted or pseudonymized like the
  caller's words, so the provider sees the same placeholders it wrote.

A request held for review keeps the shape of its tool parts (`tool_skeleton`: roles,
call ids and names, tool names, the choice; not a word of their text), and approval
rebuilds it around the held decision's sanitized texts (`released_request`).

The upstream request is then rebuilt from the decision (`upstream_messages`,
`upstream_tools`): sanitized texts in the places they came from, a withheld result
replaced by a notice (the provider needs an answer for every call), dropped tools
left out. The model's new tool calls are filtered on the way back
(api/gateway/output.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from pydantic import ValidationError

from api.gateway.schemas import ChatCompletionRequest, GovrouteContext, to_decide_request
from api.gateway.tool_schemas import NamedToolChoice, ToolDefinition
from api.schemas import ContextIn, DecideRequest, MessageIn
from engine.decision import Decision, Withholding
from engine.errors import InvalidRequest

T = TypeVar("T")

TOOL_PREFIX = "tool:"
RESULT_PREFIX = "result:"
DOCUMENT_FIELDS = ("document_id", "doc_id")
"""Keys of a tool result's JSON object that name a graph document (the first one set);
a request may declare more in `metadata.govroute_document_fields` (`document_fields`)."""
DOCUMENT_FIELDS_KEY = "govroute_document_fields"
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]{0,63}$")
TOOLS_HEADER = "X-Govroute-Tools"
TOOL_PARTS = "tool_parts"
"""The key of a held request's parameters that keeps its `tool_skeleton`."""
_GRAPH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")


def tool_item_id(name: str) -> str:
    return f"{TOOL_PREFIX}{name}"


def result_item_id(call_id: str) -> str:
    return f"{RESULT_PREFIX}{call_id}"


def uses_tools(body: ChatCompletionRequest) -> bool:
    return bool(body.tools) or any(m.tool_calls or m.role == "tool" for m in body.messages)


@dataclass(frozen=True, slots=True)
class ToolPlan:
    """Where each wire message's parts are among the decision's messages."""

    message_index: tuple[int | None, ...]  # wire message -> decision message (None: a result)
    arguments_index: dict[str, int]  # tool call id -> decision message of its arguments
    call_names: dict[str, str]  # tool call id -> the tool it called
    item_ids: frozenset[str]  # the context items that are tool parts


def plan_tools(body: ChatCompletionRequest) -> ToolPlan:
    index: list[int | None] = []
    arguments: dict[str, int] = {}
    names: dict[str, str] = {}
    position = 0
    for message in body.messages:
        if message.role == "tool":
            index.append(None)
            continue
        index.append(position)
        position += 1
        for call in message.tool_calls or []:
            arguments[call.id] = position
            names[call.id] = call.function.name
            position += 1
    items = {tool_item_id(t.function.name) for t in body.tools or []}
    items |= {result_item_id(m.tool_call_id) for m in body.messages if m.tool_call_id}
    return ToolPlan(tuple(index), arguments, names, frozenset(items))


def tool_decide_request(body: ChatCompletionRequest, ctx: GovrouteContext) -> DecideRequest:
    """The decision request of a chat request with tool parts (module docstring)."""
    messages, items = _decide_parts(body)
    return to_decide_request(body, ctx, messages=messages, extra_context=items)


def _checked(where: str, make: Callable[[], T]) -> T:
    """A part of the decision request, or a 400 that says which wire part is at fault
    (e.g. an unpaired surrogate in a tool's text)."""
    try:
        return make()
    except ValidationError as exc:
        problems = "; ".join(str(e.get("msg")).removeprefix("Value error, ") for e in exc.errors())
        raise InvalidRequest(f"{where}: {problems}", field=where) from exc


def _decide_parts(body: ChatCompletionRequest) -> tuple[list[MessageIn], list[ContextIn]]:
    messages: list[MessageIn] = []
    items: list[ContextIn] = []
    plan = plan_tools(body)
    fields = document_fields(body)
    for index, message in enumerate(body.messages):
        where = f"messages[{index}]"
        call_id = message.tool_call_id
        if call_id is not None:  # a tool message (ChatMessage checks it)
            text = message.text()
            item = partial(
                ContextIn,
                id=result_item_id(call_id),
                text=text,
                kind="tool_result",
                document=named_document(text, fields),
                tool=plan.call_names.get(call_id),
            )
            items.append(_checked(f"{where}.content", item))
            continue
        text = message.text()
        messages.append(
            _checked(f"{where}.content", partial(MessageIn, role=message.role, content=text))
        )
        for number, call in enumerate(message.tool_calls or []):
            arguments = _canonical(call.function.arguments)
            made = partial(MessageIn, role="assistant", content=arguments)
            messages.append(_checked(f"{where}.tool_calls[{number}].function.arguments", made))
    for number, tool in enumerate(body.tools or []):
        definition = partial(
            ContextIn,
            id=tool_item_id(tool.function.name),
            text=definition_text(tool),
            kind="tool_definition",
            tool=tool.function.name,
        )
        items.append(_checked(f"tools[{number}]", definition))
    return messages, items


def document_fields(body: ChatCompletionRequest) -> tuple[str, ...]:
    """`DOCUMENT_FIELDS`, then the fields the request declares (a list, or a string of
    comma-separated names, as OpenAI's string-only metadata allows)."""
    declared = (body.metadata or {}).get(DOCUMENT_FIELDS_KEY)
    if declared is None:
        return DOCUMENT_FIELDS
    names = declared.split(",") if isinstance(declared, str) else declared
    where = f"metadata.{DOCUMENT_FIELDS_KEY}"
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InvalidRequest(f"{where} must be a list of field names", field=where)
    cleaned = [n.strip() for n in names if n.strip()]
    for name in cleaned:
        if not _FIELD_NAME.match(name):
            raise InvalidRequest(f"{where}: {name!r} is not a field name", field=where)
    return tuple(dict.fromkeys((*DOCUMENT_FIELDS, *cleaned)))


def named_document(text: str, fields: tuple[str, ...] = DOCUMENT_FIELDS) -> str | None:
    """The document a tool result names: its JSON object's first of `fields` that holds
    an id."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(value, dict):
        return None
    for key in fields:
        named = value.get(key)
        if isinstance(named, str) and _GRAPH_ID.match(named):
            return named
    return None


def definition_text(tool: ToolDefinition) -> str:
    """The text a definition is analysed as, and rebuilt from: its function's JSON."""
    return json.dumps(tool.function.model_dump(exclude_none=True), ensure_ascii=False)


def _canonical(arguments: str) -> str:
    """Arguments as compact JSON: the same call always reads the same to the detectors."""
    return json.dumps(json.loads(arguments), ensure_ascii=False)


# ---------------------------------------------------------------- to the provider


def upstream_messages(decision: Decision, body: ChatCompletionRequest) -> list[dict[str, Any]]:
    """The conversation as the provider gets it: the decision's sanitized texts where the
    caller's were; retrieved context is the caller's (api/gateway/service.py)."""
    plan = plan_tools(body)
    sanitized = decision.messages
    exposed = {c.item_id: c.text for c in decision.context}
    out: list[dict[str, Any]] = []
    for wire, message in zip(plan.message_index, body.messages, strict=True):
        if wire is None:
            assert message.tool_call_id is not None
            item = result_item_id(message.tool_call_id)
            text = exposed.get(item)
            out.append(
                {
                    "role": "tool",
                    "tool_call_id": message.tool_call_id,
                    "content": text
                    if text is not None
                    else withheld_notice(
                        decision, item, named_document(message.text(), document_fields(body))
                    ),
                }
            )
            continue
        content: str | None = sanitized[wire].content
        sent: dict[str, Any] = {"role": message.role, "content": content}
        if message.tool_calls:
            if message.content is None and not content:
                sent["content"] = None
            sent["tool_calls"] = [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {
                        "name": call.function.name,
                        "arguments": _json_or_string(
                            sanitized[plan.arguments_index[call.id]].content
                        ),
                    },
                }
                for call in message.tool_calls
            ]
        out.append(sent)
    return out


def upstream_tools(decision: Decision, body: ChatCompletionRequest) -> dict[str, Any]:
    """`tools`, `tool_choice` and `parallel_tool_calls` for the provider: the definitions
    the decision kept, as sanitized; nothing when none is left."""
    exposed = {c.item_id: c.text for c in decision.context}
    tools: list[dict[str, Any]] = []
    for tool in body.tools or []:
        text = exposed.get(tool_item_id(tool.function.name))
        if text is None:
            continue  # withheld or dropped: the decision says why
        try:
            function = json.loads(text)
        except json.JSONDecodeError:
            continue  # a redaction broke its JSON: not sent rather than sent broken
        if isinstance(function, dict) and function.get("name") == tool.function.name:
            tools.append({"type": "function", "function": function})
    if not tools:
        return {}
    out: dict[str, Any] = {"tools": tools}
    choice = body.tool_choice
    if isinstance(choice, NamedToolChoice):
        kept = {t["function"]["name"] for t in tools}
        # The caller forced a tool the policy took away: the model may choose among the rest.
        out["tool_choice"] = choice.model_dump() if choice.function.name in kept else "auto"
    elif choice is not None:
        out["tool_choice"] = choice
    if body.parallel_tool_calls is not None:
        out["parallel_tool_calls"] = body.parallel_tool_calls
    return out


def offered_tools(decision: Decision, body: ChatCompletionRequest) -> frozenset[str]:
    """The names of the tools the provider was offered: the only ones it may call."""
    exposed = {c.item_id for c in decision.context}
    return frozenset(
        t.function.name for t in body.tools or [] if tool_item_id(t.function.name) in exposed
    )


def retrieved_only(decision: Decision, body: ChatCompletionRequest) -> list[tuple[str, str]]:
    """The decision's context items that are not tool parts: (id, sanitized text)."""
    plan = plan_tools(body)
    return [(c.item_id, c.text) for c in decision.context if c.item_id not in plan.item_ids]


def withheld_notice(decision: Decision, item_id: str, document: str | None) -> str:
    """What the provider reads instead of a withheld tool result."""
    why = _withholding(decision, item_id, document)
    reason = f"{why.code}: {why.reason}" if why else "not exposed by the decision"
    return f"[govroute withheld this tool result ({decision.id}): {reason}]"


def _withholding(decision: Decision, item_id: str, document: str | None) -> Withholding | None:
    """Why a tool result was withheld: under its own id, else under the document it names
    (engine.decide names the graph item, for provenance)."""
    for wanted in (item_id, document):
        for w in decision.withholdings:
            if wanted is not None and w.item_id == wanted:
                return w
    return None


def tools_header(decision: Decision, body: ChatCompletionRequest) -> dict[str, str]:
    """``X-Govroute-Tools``: what the firewall took out of the request's tool parts, e.g.
    ``dropped=send_email (tool_refused by support-tools); withheld=result:call_2
    (suspected_injection)``; absent when nothing was."""
    exposed = {c.item_id for c in decision.context}
    parts: list[str] = []
    for tool in body.tools or []:
        item = tool_item_id(tool.function.name)
        if item not in exposed:
            why = _withholding(decision, item, None)
            code = why.code if why else "not exposed"
            by = f" by {why.policy_id}" if why and why.policy_id else ""
            parts.append(f"dropped={tool.function.name} ({code}{by})")
    for message in body.messages:
        if message.tool_call_id is None:
            continue
        item = result_item_id(message.tool_call_id)
        if item not in exposed:
            why = _withholding(
                decision, item, named_document(message.text(), document_fields(body))
            )
            code = why.code if why else "not exposed"
            on = f" on {why.item_id}" if why and why.item_id != item else ""
            parts.append(f"withheld={item} ({code}{on})")
    if not parts:
        return {}
    value = " ".join("; ".join(parts).split())
    return {TOOLS_HEADER: value.encode("ascii", "replace").decode("ascii")}


def _json_or_string(sanitized: str) -> str:
    """Sanitized arguments stay JSON; if a replacement broke the JSON (it never should:
    placeholders hold no quotes), the provider gets the text as one JSON string."""
    try:
        json.loads(sanitized)
    except json.JSONDecodeError:
        return json.dumps(sanitized, ensure_ascii=False)
    return sanitized


# ---------------------------------------------------------------- held for review


def tool_skeleton(body: ChatCompletionRequest) -> dict[str, Any]:
    """Where a request's tool parts are, without their text: each message's role, call
    ids and tool names, and tool call id; the tools' names; the choice. The texts are
    the decision's (sanitized), which the held request keeps anyway."""
    messages: list[dict[str, Any]] = []
    for message in body.messages:
        shape: dict[str, Any] = {"role": message.role}
        if message.tool_calls:
            shape["tool_calls"] = [[c.id, c.function.name] for c in message.tool_calls]
        if message.tool_call_id is not None:
            shape["tool_call_id"] = message.tool_call_id
        messages.append(shape)
    choice = body.tool_choice
    return {
        "messages": messages,
        "tools": [t.function.name for t in body.tools or []],
        "tool_choice": choice.model_dump() if isinstance(choice, NamedToolChoice) else choice,
    }


def released_request(
    params: Mapping[str, Any], skeleton: Mapping[str, Any]
) -> ChatCompletionRequest:
    """An approved request with tool parts, for `upstream_messages` and `upstream_tools`:
    the skeleton's shape, no text of its own (every text sent comes from the decision)."""
    messages: list[dict[str, Any]] = []
    for shape in skeleton["messages"]:
        message: dict[str, Any] = {"role": shape["role"], "content": None}
        if "tool_calls" in shape:
            message["tool_calls"] = [
                {"id": call_id, "type": "function", "function": {"name": name, "arguments": "{}"}}
                for call_id, name in shape["tool_calls"]
            ]
        if "tool_call_id" in shape:
            message["tool_call_id"] = shape["tool_call_id"]
        messages.append(message)
    tools = [{"type": "function", "function": {"name": name}} for name in skeleton["tools"]]
    request = {**params, "messages": messages, "stream": False}
    if tools:
        request["tools"] = tools
    if skeleton.get("tool_choice") is not None:
        request["tool_choice"] = skeleton["tool_choice"]
    return ChatCompletionRequest.model_validate(request)
