"""Wire formats of govroute's own API (the OpenAI-compatible ones: api/gateway/schemas.py)."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from engine.errors import PayloadTooLarge
from engine.model import Task
from loaders.spec import Id, Purpose

Role = Literal["system", "developer", "user", "assistant", "tool"]


_SURROGATE = re.compile("[\ud800-\udfff]")


def refuse_surrogates(value: str, where: str) -> str:
    """Lone surrogates survive JSON decoding but not UTF-8; say where, refuse early."""
    found = _SURROGATE.search(value)
    if found is not None:
        at = found.start()
        raise ValueError(f"{where} holds an unpaired UTF-16 surrogate at character {at}")
    return value


def describe(value: Any) -> str:
    """A raw JSON value as an error message may quote it: a short string's repr, a long
    one's start, else its JSON type. Never repr() of a container: before validation it
    may be nested deeper than repr() can recurse, or be megabytes long."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"{value[:40]!r}... ({len(value)} characters)"
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int | float):
        text = repr(value)
        return text if len(text) <= 40 else f"a number of {len(text)} digits"
    return "an object" if isinstance(value, dict) else "an array"


def surrogate_in(value: Any, where: str) -> tuple[str, str] | None:
    """Where the first unpaired surrogate of a raw JSON value is (a string or a key), as
    the caller wrote the path (``input[2].output[0].text``), and the 400's sentence; or
    None. A format that is translated before its texts are checked calls this on its
    own fields, so the 400 names the caller's field rather than the translation's.
    Iterative: the value may be nested as deep as the JSON parser allowed."""
    try:  # the usual case, no surrogate anywhere, at C speed; the walk only locates one
        if not _SURROGATE.search(json.dumps(value, ensure_ascii=False)):
            return None
    except (RecursionError, TypeError, ValueError):
        pass  # too deep to serialize: walk it
    pending: list[tuple[str, Any]] = [(where, value)]
    while pending:
        path, item = pending.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found is not None:
                at = found.start()
                return path, f"{path} holds an unpaired UTF-16 surrogate at character {at}"
        elif isinstance(item, dict):
            for key, inner in reversed(item.items()):
                name = str(key)
                if _SURROGATE.search(name):
                    return path, f"{path} has a key holding an unpaired UTF-16 surrogate"
                shown = name if len(name) <= 40 else f"{name[:40]}..."
                pending.append((f"{path}.{shown}", inner))
        elif isinstance(item, list):
            pending.extend((f"{path}[{i}]", inner) for i, inner in reversed(list(enumerate(item))))
    return None


class _In(BaseModel):
    # strict: no coercion on the wire, as the chat request (api/gateway/schemas.py):
    # "3" is not an int, "yes" or 1 not a bool, 3.0 not an int; the 400 names the
    # field. Literal fields (`role`) still take their JSON strings; an Enum field
    # added here needs `Field(strict=False)`, or strict mode refuses its JSON string.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class MessageIn(_In):
    role: Role
    content: str

    @field_validator("content")
    @classmethod
    def _text(cls, value: str) -> str:
        return refuse_surrogates(value, "content")


class ContextIn(_In):
    id: Id = Field(description="A Document or DataSource id in the graph (kind 'retrieved').")
    text: str = Field(default="", description="The text the retriever found for it.")
    kind: Literal["retrieved", "tool_result", "tool_definition"] = Field(
        default="retrieved",
        description="'tool_result' and 'tool_definition' items are a conversation's own "
        "tool data (the gateway makes them, docs/gateway.md 'Tools'): analysed like any "
        "item, but governed by the graph only through the document a result names.",
    )
    document: Id | None = Field(
        default=None, description="A tool result's document id: its labels and access apply."
    )
    tool: str | None = Field(default=None, max_length=64, description="The tool's name.")

    @model_validator(mode="after")
    def _document_of_result(self) -> ContextIn:
        if self.document is not None and self.kind != "tool_result":
            raise ValueError("'document' names the document of a tool result (kind 'tool_result')")
        return self

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return refuse_surrogates(value, "text")


class DecideRequest(_In):
    """Either `prompt` or `messages`; context items are what the retriever found."""

    prompt: str | None = Field(default=None, description="A single user prompt.")
    messages: list[MessageIn] | None = Field(default=None, description="Chat messages, in order.")
    context: list[ContextIn] = Field(default=[], max_length=64)
    purpose: Purpose | None = Field(default=None, description="Declared purpose, e.g. 'support'.")
    required_capabilities: list[Id] = Field(default=[], max_length=16)
    preferred_model: Id | None = None
    user_region: Id | None = None
    max_output_tokens: int = Field(default=1024, ge=1, le=1_000_000)
    task: Task = Field(
        default=Task.CHAT,
        strict=False,  # the enum's JSON string (see _In)
        description="'chat', or 'embeddings' for texts sent to an embedding model: "
        "decided the same way, routed to models with the 'embeddings' capability.",
    )
    conversation_id: Id | None = Field(
        default=None,
        description="The caller's conversation, for a vault kept per conversation "
        "(GOVROUTE_VAULT_SCOPE=conversation): its turns share pseudonyms.",
    )

    @field_validator("prompt")
    @classmethod
    def _prompt(cls, value: str | None) -> str | None:
        return None if value is None else refuse_surrogates(value, "prompt")

    @model_validator(mode="after")
    def _one_input(self) -> DecideRequest:
        if (self.prompt is None) == (self.messages is None):
            raise ValueError("send exactly one of 'prompt' or 'messages'")
        if self.messages is not None and not self.messages:
            raise ValueError("'messages' must not be empty")
        ids = [c.id for c in self.context]
        if len(ids) != len(set(ids)):
            raise ValueError("context ids must be unique")
        return self

    def as_messages(self) -> list[MessageIn]:
        return (
            self.messages
            if self.messages is not None
            else [MessageIn(role="user", content=self.prompt or "")]
        )

    def total_chars(self) -> int:
        return sum(len(m.content) for m in self.as_messages()) + sum(
            len(c.text) for c in self.context
        )

    def check_size(self, limit: int, what: str) -> None:
        """PayloadTooLarge when the texts together exceed `limit` characters."""
        chars = self.total_chars()
        if chars > limit:
            raise PayloadTooLarge(
                f"{what} hold {chars} characters; the limit is {limit}", field="messages"
            )


# ---------------------------------------------------------------- decision (response)


class IntentOut(BaseModel):
    id: str
    category: str
    score: float
    signals: list[str]


class ReasonOut(BaseModel):
    policy_id: str | None
    effect: str | None
    sentence: str
    path: list[str] = Field(
        description="Graph path that justified it: 'Kind:id' nodes and edge types."
    )
    threat: bool = Field(
        default=False, description="It applied because of a threat intent or detector score."
    )


class MessageOut(BaseModel):
    role: str
    content: str


class ContextOut(BaseModel):
    id: str
    text: str


class ExposureOut(BaseModel):
    id: str
    kind: str
    labels: list[str]


class WithholdingOut(BaseModel):
    id: str
    code: str
    reason: str
    policy_id: str | None


class RedactionOut(BaseModel):
    segment: str = Field(description="'messages[i]' or 'context:<id>'.")
    start: int = Field(description="Offset in the caller's original text of that segment.")
    end: int
    entity_type: str
    label: str
    action: str
    replacement: str


class RejectedOut(BaseModel):
    model_id: str
    provider_id: str
    reasons: list[str]


class RouteOut(BaseModel):
    primary: str | None
    fallbacks: list[str]
    rejected: list[RejectedOut]


class IssueOut(BaseModel):
    policy_id: str
    message: str


class ThreatFindingOut(BaseModel):
    category: str = Field(description="A threat detector head; 'attack' is any category.")
    score: float = Field(description="Calibrated probability, the best over segments and views.")
    segment: str
    view: str = Field(description="'text', or the decoded view that scored it (rot13, ...).")
    start: int = Field(description="Span that drove the score, in the segment's original text.")
    end: int


class ThreatsOut(BaseModel):
    detector_version: str | None
    findings: list[ThreatFindingOut]


class RolloutOut(BaseModel):
    """Present while a candidate PolicySet is under shadow or canary."""

    role: Literal["canary", "active"] = Field(
        description="Which version decided: the canary candidate, or the active version."
    )
    candidate: str = Field(description="The candidate under rollout, e.g. policyset-v7.")
    active: str = Field(description="The active PolicySet at the time.")


class DecisionOut(BaseModel):
    """The decision value: everything that decided the request, and why."""

    record_version: int
    id: str
    created_at: str
    principal_id: str
    tenant_id: str
    outcome: Literal["allow", "allow_with_redactions", "deny", "review"]
    purpose: str | None
    purpose_defaulted: bool = Field(
        default=False,
        description="The request named no purpose; `purpose` is the caller's default.",
    )
    policy_version: str
    prompt_sha256: str
    intent: IntentOut
    reasons: list[ReasonOut]
    messages: list[MessageOut] = Field(description="Normalized and redacted: what may be sent.")
    context: list[ContextOut] = Field(description="Exposed items only, redacted.")
    exposures: list[ExposureOut]
    withholdings: list[WithholdingOut]
    redactions: list[RedactionOut]
    labels: list[str]
    route: RouteOut
    issues: list[IssueOut]
    block_output_labels: list[str]
    threats: ThreatsOut | None = None
    rollout: RolloutOut | None = None


class ProvenanceEdgeOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    target: str


class ShadowOut(BaseModel):
    """What a candidate under shadow decided for the same request (never served)."""

    version: str = Field(description="The candidate PolicySet, e.g. policyset-v7.")
    outcome: str | None = Field(description="The candidate's outcome.")
    kinds: list[str] | None = Field(
        description="How it differed from the served decision (allow_to_deny, ...; empty: alike)."
    )
    policies: list[str] | None = Field(description="Policies whose part in it changed.")
    intent: str | None
    at: str | None


class RecordedDecisionOut(DecisionOut):
    provenance: list[ProvenanceEdgeOut] = Field(
        default=[], description="Edges of the Decision node in the graph (empty until written)."
    )
    shadow: ShadowOut | None = Field(
        default=None, description="Present once a candidate under shadow decided it too."
    )
    attempts: list[dict[str, Any]] = []
