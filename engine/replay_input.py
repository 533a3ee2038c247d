"""A decision's replayable input: what the core was given, as JSON, without the prompt.

`input_record(request, analysis, facts)` is what the runtime stores under the decision
record's `input` key (record_version 2); `read_input(record)` turns it back into what
`engine.decide.decide` takes, so a stored PolicySet version can decide the same traffic
again (lifecycle.replay). What is kept, and why each part:

- principal: id, tenant, roles, permissions, default purpose (scope and defaulting);
- request: purpose as the caller gave it (None when defaulted), capabilities,
  preferred model, region, max tokens, each message's role and text length, each
  context item's id and text length (routing estimates tokens from lengths);
- segments: each segment's normalized length, its detections (entity type, offsets,
  score: never the matched value), its indirect-injection signals;
- threats: the detector version and every head's finding per segment (score, view,
  offsets), since policies compare scores against their thresholds;
- intent: the match, the similarity to every intent of the deciding version and the
  textual signals that fired, so that another version's thresholds can pick again;
- facts: each context item as the graph gave it (found, kind, source, labels with the
  paths that justify them, grants, tenant, unavailable).

The raw prompt is never kept. A tenant that opts in (`record_prompts: true`) also
gets the normalized texts kept, which lets replay detect entities again under
another version's recognizers. The prompt's embedding is not kept: it is derived
from the prompt, and embeddings can be inverted into much of the text they came from
(docs/policy-lifecycle.md, Replay).

Without texts, `read_input` rebuilds each text as a neutral filler of the recorded
length with a placeholder of the same length at each detection: redaction and
routing see the same spans and lengths, so the decision is the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from engine.decide import Analysis, context_key, message_key
from engine.decision import MINILM, IntentMatch
from engine.errors import InvalidRequest
from engine.model import (
    AccessGrant,
    ChatMessage,
    ContextItem,
    DecisionRequest,
    Detection,
    IntentCategory,
    ItemFacts,
    ItemKind,
    LabelEvidence,
    Principal,
    Task,
)
from engine.normalize import NormalizedText
from engine.threats.detector import ThreatAssessment, ThreatFinding

FILLER = "x"
"""What stands for the prompt's words when the prompt was not kept."""
PLACEHOLDER = "#"
"""What stands for a detected value: same length, never the value."""


@dataclass(frozen=True, slots=True)
class RecordedInput:
    """A recorded input read back: the core's arguments, as far as they were kept."""

    request: DecisionRequest
    analysis: Analysis
    facts: Mapping[str, ItemFacts]
    texts_kept: bool  # the tenant opted in: the analysis holds the real normalized texts


def input_record(
    request: DecisionRequest,
    analysis: Analysis,
    facts: Mapping[str, ItemFacts],
    *,
    keep_texts: bool = False,
) -> dict[str, Any]:
    """The replayable input of one decision, as plain JSON types (see the module doc)."""
    p = request.principal
    keys = [message_key(i) for i in range(len(request.messages))] + [
        context_key(c.id) for c in request.context
    ]
    segments: dict[str, Any] = {}
    for key in keys:
        text = analysis.texts.get(key)
        row: dict[str, Any] = {"length": len(text.text) if text is not None else 0}
        found = analysis.detections.get(key, ())
        if found:
            row["detections"] = [[d.entity_type, d.start, d.end, d.score] for d in found]
        if key in analysis.injected:
            row["injected"] = list(analysis.injected[key])
        segments[key] = row
    out: dict[str, Any] = {
        "principal": {
            "id": p.id,
            "tenant": p.tenant,
            "roles": sorted(p.roles),
            "permissions": sorted(p.permissions),
            "default_purpose": p.default_purpose,
        },
        "request": {
            "purpose": request.purpose,
            "capabilities": sorted(request.required_capabilities),
            "preferred_model": request.preferred_model,
            "region": request.user_region,
            "max_tokens": request.max_output_tokens,
            "messages": [[m.role, len(m.content)] for m in request.messages],
            "context": [_context_row(c) for c in request.context],
            # Written only for embeddings, so chat records read as they always did.
            **({"task": request.task.value} if request.task is not Task.CHAT else {}),
        },
        "segments": segments,
        "intent": {
            "id": analysis.intent.intent_id,
            "category": analysis.intent.category.value,
            "score": analysis.intent.score,
            "signals": list(analysis.intent.signals),
            # Only where the static cascade settled it (its version), so other records
            # read as before: those similarities are static cosines.
            **(
                {"embedder": analysis.intent.embedder} if analysis.intent.embedder != MINILM else {}
            ),
            "similarities": {k: _f32(v) for k, v in sorted(analysis.intent_similarities.items())},
            "weights": dict(sorted(analysis.signal_weights.items())),
            # Only where a script's threshold applied, so other records read as before.
            **(
                {"thresholds": dict(sorted(analysis.intent_thresholds.items()))}
                if analysis.intent_thresholds
                else {}
            ),
        },
        "threats": _threats(analysis.threats),
        "facts": {item_id: _facts(f) for item_id, f in sorted(facts.items())},
    }
    if keep_texts:
        out["texts"] = {key: analysis.texts[key].text for key in keys if key in analysis.texts}
    return out


def _context_row(item: ContextItem) -> list[Any]:
    """[id, length], and for a tool's item also its kind, named document and tool name
    (a retrieved item's row stays as records always had it)."""
    if item.kind is ItemKind.RETRIEVED:
        return [item.id, len(item.text)]
    return [item.id, len(item.text), item.kind.value, item.document, item.tool]


def _context_item(row: Any) -> ContextItem:
    item_id, length = str(row[0]), int(row[1])
    if len(row) == 2:
        return ContextItem(item_id, FILLER * length)
    document, tool = row[3], row[4]
    return ContextItem(
        item_id,
        FILLER * length,
        ItemKind(row[2]),
        None if document is None else str(document),
        None if tool is None else str(tool),
    )


def read_input(record: Mapping[str, Any]) -> RecordedInput | None:
    """The input of a decision record; None for a record made before inputs were kept.

    Raises InvalidRequest, naming the decision and the part, when the input is there
    but cannot be read (a record edited or cut short)."""
    raw = record.get("input")
    if raw is None:
        return None
    where = f"decision {record.get('id', '?')}: input"
    try:
        return _read(raw)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise InvalidRequest(f"{where} is unreadable ({type(exc).__name__}: {exc})") from exc


def _read(raw: Mapping[str, Any]) -> RecordedInput:
    p, r = raw["principal"], raw["request"]
    principal = Principal(
        id=str(p["id"]),
        tenant=str(p["tenant"]),
        roles=frozenset(p["roles"]),
        permissions=frozenset(p["permissions"]),
        default_purpose=p["default_purpose"],
    )
    kept: Mapping[str, str] = raw.get("texts") or {}
    segments: Mapping[str, Any] = raw["segments"]
    texts: dict[str, NormalizedText] = {}
    detections: dict[str, tuple[Detection, ...]] = {}
    injected: dict[str, tuple[str, ...]] = {}
    for key, row in segments.items():
        spans = [
            (str(t), int(s), int(e), float(score)) for t, s, e, score in row.get("detections", ())
        ]
        text = kept[key] if key in kept else _filler(int(row["length"]), spans)
        texts[key] = NormalizedText(text, len(text))
        if spans:
            detections[key] = tuple(
                Detection(t, s, e, score, text[s:e]) for t, s, e, score in spans
            )
        if row.get("injected"):
            injected[key] = tuple(row["injected"])
    # Message and item texts are never used by the core once their segments are
    # analysed; they carry the recorded lengths for anything that counts them.
    messages = tuple(ChatMessage(str(role), FILLER * int(n)) for role, n in r["messages"])
    context = tuple(_context_item(row) for row in r["context"])
    request = DecisionRequest(
        principal=principal,
        messages=messages,
        context=context,
        purpose=r["purpose"],
        required_capabilities=frozenset(r["capabilities"]),
        preferred_model=r["preferred_model"],
        user_region=r["region"],
        max_output_tokens=int(r["max_tokens"]),
        task=Task(r.get("task", Task.CHAT.value)),
    )
    i = raw["intent"]
    analysis = Analysis(
        intent=IntentMatch(
            str(i["id"]),
            IntentCategory(i["category"]),
            float(i["score"]),
            tuple(i["signals"]),
            str(i.get("embedder", MINILM)),
        ),
        texts=texts,
        detections=detections,
        injected=injected,
        threats=_read_threats(raw["threats"]),
        intent_similarities={str(k): float(np.float32(v)) for k, v in i["similarities"].items()},
        signal_weights={str(k): float(v) for k, v in i["weights"].items()},
        intent_thresholds={str(k): float(v) for k, v in i.get("thresholds", {}).items()},
    )
    facts = {str(k): _read_facts(str(k), v) for k, v in raw["facts"].items()}
    return RecordedInput(request, analysis, facts, texts_kept=bool(kept))


def _filler(length: int, spans: list[tuple[str, int, int, float]]) -> str:
    chars = [FILLER] * length
    for _, start, end, _ in spans:
        chars[start:end] = PLACEHOLDER * (end - start)
    return "".join(chars)


def _f32(value: float) -> float:
    """A similarity (a float32, as the index computes it) as the shortest decimal that
    reads back as the same float32: about half the digits of a double's repr, and
    `float(np.float32(read))` is the similarity to the bit. Scores computed in double
    (intent scores after boosts, threat scores) are kept whole instead."""
    return float(np.format_float_positional(np.float32(value), unique=True, trim="-"))


def _threats(found: ThreatAssessment | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "version": found.detector_version,
        "segments": {
            key: [[f.head, f.score, f.view, f.start, f.end] for _, f in sorted(heads.items())]
            for key, heads in sorted(found.segments.items())
        },
    }


def _read_threats(raw: Mapping[str, Any] | None) -> ThreatAssessment | None:
    if raw is None:
        return None
    segments = {
        str(key): {
            str(h): ThreatFinding(str(h), float(s), str(key), str(v), int(a), int(b))
            for h, s, v, a, b in rows
        }
        for key, rows in raw["segments"].items()
    }
    return ThreatAssessment(str(raw["version"]), segments)


def _facts(f: ItemFacts) -> dict[str, Any]:
    """Only what differs from an unknown id's defaults: most items are short."""
    out: dict[str, Any] = {"found": f.found}
    if f.kind:
        out["kind"] = f.kind
    if f.source:
        out["source"] = f.source
    if f.labels:
        out["labels"] = [[e.label, list(e.path)] for e in f.labels]
    if f.grants:
        out["grants"] = [[g.role, sorted(g.purposes)] for g in f.grants]
    if f.tenant:
        out["tenant"] = f.tenant
    if f.unavailable:
        out["unavailable"] = f.unavailable
    return out


def _read_facts(item_id: str, raw: Mapping[str, Any]) -> ItemFacts:
    return ItemFacts(
        id=item_id,
        found=bool(raw["found"]),
        kind=str(raw.get("kind", "")),
        source=str(raw.get("source", "")),
        labels=tuple(LabelEvidence(str(lb), tuple(path)) for lb, path in raw.get("labels", ())),
        grants=tuple(AccessGrant(str(role), frozenset(ps)) for role, ps in raw.get("grants", ())),
        tenant=str(raw.get("tenant", "")),
        unavailable=str(raw.get("unavailable", "")),
    )
