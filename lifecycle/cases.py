"""Decision cases: what an enterprise expects its policy to decide, as YAML next to it.

A policy directory's cases live under its `cases/` folder (which the policy load
skips). A file holds one case or a list of them; each names a principal, a
request, the intent the prompt is pinned to (so a run needs no embedding model)
and what the decision must say. Every key is optional except name, principal,
request, intent and expect.outcome; an absent expectation is not checked, an
empty one is (`exposed: []` means nothing may be exposed).

The models below are the format: they validate files (every problem reported with
file, line, case and field) and give `govroute policy schema` its JSON Schema.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from engine.decision import IntentMatch, Outcome
from engine.errors import InvalidCases, InvalidPolicyData, Problem
from engine.model import (
    ChatMessage,
    ContextItem,
    DecisionRequest,
    Effect,
    IntentCategory,
    Principal,
)
from loaders.yaml_source import (
    CASES_DIR,
    LocatedDocument,
    dotted,
    read_located_yaml,
    validation_message,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    def given(self, name: str) -> bool:
        """Whether the file states this field (an absent expectation is not checked)."""
        return name in self.model_fields_set


class PinnedIntent(_Strict):
    """The intent the prompt is taken to have; with --intent-model, what the model must match."""

    id: str
    category: IntentCategory = IntentCategory.BUSINESS
    score: float = Field(0.9, ge=0.0, le=1.0)
    signals: tuple[str, ...] = ()


class Message(_Strict):
    role: str = "user"
    content: str


class Item(_Strict):
    id: str
    text: str = ""
    repeat: int = Field(1, ge=1, le=100_000, description="text repeated, for long contexts")


class Request(_Strict):
    prompt: str | None = Field(None, description="one user message; or give `messages`")
    messages: tuple[Message, ...] | None = None
    context: tuple[Item, ...] = ()
    purpose: str | None = None
    required_capabilities: tuple[str, ...] = ()
    preferred_model: str | None = None
    user_region: str | None = None
    max_output_tokens: int = Field(1024, ge=1)

    @model_validator(mode="after")
    def _one_text(self) -> Request:
        if (self.prompt is None) == (self.messages is None):
            raise ValueError("give exactly one of prompt and messages")
        return self


class ExpectedRedaction(_Strict):
    entity_type: str
    label: str
    action: Effect


class ExpectedRoute(_Strict):
    primary: str | None = Field(None, description="the primary model; null: no route")
    fallbacks: tuple[str, ...] = Field((), description="the fallbacks start with these")
    compliant: tuple[str, ...] = Field((), description="every candidate, in order")
    rejected: dict[str, str | tuple[str, ...]] = Field(
        default_factory=dict, description="model -> phrase(s) its rejection reasons contain"
    )
    constraints: dict[str, Any] = Field(
        default_factory=dict, description="route constraint field -> its value"
    )
    providers_in: tuple[str, ...] = Field((), description="providers some candidate is of")
    providers_not_in: tuple[str, ...] = Field((), description="providers no candidate is of")


class Expect(_Strict):
    outcome: Outcome
    reasons: tuple[str, ...] = Field((), description="policy ids that must be among the reasons")
    no_reasons: tuple[str, ...] = Field((), description="policy ids that must not be")
    reason_sentences: tuple[str, ...] = Field((), description="phrases some reason says")
    reason_paths: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="policy id -> the graph path of its reason"
    )
    withheld: dict[str, str] = Field(
        default_factory=dict, description="exactly these items withheld, id -> code"
    )
    exposed: tuple[str, ...] = Field((), description="exactly these items exposed")
    redactions: tuple[ExpectedRedaction, ...] = Field((), description="exactly these redactions")
    redacted_labels: tuple[str, ...] = Field((), description="exactly these labels redacted")
    route: ExpectedRoute | None = None
    labels_include: tuple[str, ...] = ()
    labels_exclude: tuple[str, ...] = ()
    block_output_labels: tuple[str, ...] = ()
    sanitized_include: tuple[str, ...] = Field((), description="some sanitized text contains")
    sanitized_exclude: tuple[str, ...] = Field((), description="no sanitized text contains")
    issues: int | None = Field(None, ge=0, description="how many policies failed to evaluate")


class CaseSpec(_Strict):
    """One decision case."""

    name: str = Field(min_length=1)
    principal: str
    request: Request
    intent: PinnedIntent
    threats: dict[str, dict[str, float]] | None = Field(
        None, description="pinned detector scores, segment -> head -> score; absent: none run"
    )
    expect: Expect


@dataclass(frozen=True, slots=True)
class Case:
    spec: CaseSpec
    source: str  # the file, as given or relative to the cases folder
    line: int

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def intent(self) -> IntentMatch:
        pin = self.spec.intent
        return IntentMatch(pin.id, pin.category, pin.score, pin.signals)

    def request(self, principal: Principal) -> DecisionRequest:
        req = self.spec.request
        if req.messages is not None:
            messages = tuple(ChatMessage(m.role, m.content) for m in req.messages)
        else:
            messages = (ChatMessage("user", req.prompt or ""),)
        return DecisionRequest(
            principal=principal,
            messages=messages,
            context=tuple(ContextItem(c.id, c.text * c.repeat) for c in req.context),
            purpose=req.purpose,
            required_capabilities=frozenset(req.required_capabilities),
            preferred_model=req.preferred_model,
            user_region=req.user_region,
            max_output_tokens=req.max_output_tokens,
        )


def case_schema() -> dict[str, Any]:
    """JSON Schema of one case file: a case, or a list of cases."""
    one = CaseSpec.model_json_schema(ref_template="#/$defs/{model}")
    defs = one.pop("$defs", {})
    defs["CaseSpec"] = one
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "govroute decision cases",
        "anyOf": [
            {"$ref": "#/$defs/CaseSpec"},
            {"type": "array", "items": {"$ref": "#/$defs/CaseSpec"}},
        ],
        "$defs": defs,
    }


def case_schema_json() -> str:
    return json.dumps(case_schema(), indent=2) + "\n"


def case_files(policy_dir: Path, given: Sequence[Path] = ()) -> list[Path]:
    """The files named (a folder: its *.yaml), else every *.yaml under policy_dir/cases."""
    roots = list(given) or [policy_dir / CASES_DIR]
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".yml"}))
        elif given:
            raise InvalidCases([Problem(str(root), "", "", "no such file or directory")])
    return files


def read_cases(files: Sequence[Path], *, relative_to: Path | None = None) -> list[Case]:
    """Every case of every file, validated; all problems at once, none silently skipped."""
    cases: list[Case] = []
    problems: list[Problem] = []
    for file in files:
        name = _display(file, relative_to)
        try:
            text = file.read_text(encoding="utf-8")
            documents = read_located_yaml(text, name)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(name, "", "", f"cannot be read: {exc}"))
            continue
        except InvalidPolicyData as exc:
            problems.extend(exc.problems)
            continue
        for document in documents:
            found, wrong = _parse_document(document, name)
            cases.extend(found)
            problems.extend(wrong)
    names = Counter(c.name for c in cases)
    for case in cases:
        if names[case.name] > 1:
            problems.append(
                Problem(
                    case.source, f"line {case.line}", "name", f"duplicate case name {case.name!r}"
                )
            )
            names[case.name] = 0  # reported once
    if problems:
        raise InvalidCases(problems)
    return cases


def _parse_document(document: LocatedDocument, name: str) -> tuple[list[Case], list[Problem]]:
    data = document.data
    raws: list[Any] = data if isinstance(data, list) else [data]
    cases: list[Case] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raws):
        at: tuple[int, ...] = (index,) if isinstance(data, list) else ()
        line = document.line_of(at)
        label = raw.get("name") if isinstance(raw, dict) else None
        where = f"case {label!r}" if label else f"case #{index + 1}"
        if not isinstance(raw, dict):
            problems.append(Problem(name, f"line {line}", where, "must be a mapping (one case)"))
            continue
        try:
            spec = CaseSpec.model_validate(raw)
        except ValidationError as exc:
            problems.extend(_problems(exc, name, where, at, document))
            continue
        cases.append(Case(spec, name, line))
    return cases, problems


def _problems(
    exc: ValidationError, name: str, where: str, at: tuple[int, ...], document: LocatedDocument
) -> Iterator[Problem]:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        yield Problem(
            source=name,
            location=f"line {document.line_of((*at, *loc))}",
            path=f"{where}: {dotted(loc) or '(case)'}",
            message=validation_message(error),
        )


def _display(file: Path, root: Path | None) -> str:
    if root is not None and file.is_relative_to(root):
        return str(file.relative_to(root))
    return str(file)
