"""Pseudonym vault, the pure part: scopes, entries, and who may read them back.

The vault keeps, for a while, which value each pseudonym stands for, so that a
pseudonym the caller sends back in a later turn, or the model repeats in its
answer, can be restored for callers allowed to read the value (api/vault/
stores it, encrypted). What is decided here, without I/O:

- `scope_key`: the namespace a pseudonym lives in. It is also the HMAC input
  that makes the pseudonym (`engine.redact.pseudonym`), so one value gets one
  pseudonym per scope, on every replica that shares the secret, and a
  pseudonym of one scope means nothing in another. The tenant always leads the
  key: no scope spans two tenants.
- `entries_of`: what a decision puts in the vault (its PSEUDONYMIZE spans).
- `may_see`: whether the caller of a decision may read an entry's value: when
  its labels are neither blocked in answers nor, by the decision's label
  actions, masked, hashed, redacted or dropped for this caller (allow,
  constrain and pseudonymize show callers their values).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from engine.decision import Decision
from engine.model import Effect
from engine.redact import PLACEHOLDER_PATTERN

__all__ = [
    "VISIBLE_ACTIONS",
    "VaultEntry",
    "VaultScope",
    "decision_visibility",
    "entries_of",
    "may_see",
    "placeholders_in",
    "scope_key",
]

VISIBLE_ACTIONS = frozenset({Effect.ALLOW, Effect.CONSTRAIN, Effect.PSEUDONYMIZE})
"""Label actions under which a caller reads a value (pseudonymize hides it from the model)."""


class VaultScope(StrEnum):
    """Who shares a pseudonym: every principal of the tenant, one principal, or one
    conversation of one principal."""

    TENANT = "tenant"
    PRINCIPAL = "principal"
    CONVERSATION = "conversation"


def scope_key(
    scope: VaultScope,
    *,
    tenant: str,
    principal: str,
    conversation: str | None,
    decision_id: str,
) -> str:
    """The namespace of this request's pseudonyms.

    Conversation scope without a conversation id falls back to the decision itself:
    nothing ties that request to a later one, so its pseudonyms are restorable only
    in its own answer (and by detokenize naming that decision)."""
    if scope is VaultScope.TENANT:
        return f"tenant:{tenant}"
    if scope is VaultScope.PRINCIPAL:
        return f"tenant:{tenant}/principal:{principal}"
    if conversation:
        return f"tenant:{tenant}/principal:{principal}/conversation:{conversation}"
    return f"tenant:{tenant}/principal:{principal}/decision:{decision_id}"


@dataclass(frozen=True, slots=True)
class VaultEntry:
    """A pseudonym and what it stands for. `value` is never logged or recorded."""

    pseudonym: str
    entity_type: str
    label: str
    value: str = field(repr=False)


def entries_of(decision: Decision) -> tuple[VaultEntry, ...]:
    """The pseudonyms this decision made, once each, in the order they appear."""
    seen: dict[str, VaultEntry] = {}
    for r in decision.redactions:
        if r.action is not Effect.PSEUDONYMIZE or r.replacement in seen:
            continue
        value = decision.pseudonyms.get(r.replacement)
        if value is not None:
            seen[r.replacement] = VaultEntry(r.replacement, r.entity_type, r.label, value)
    return tuple(seen.values())


def placeholders_in(texts: Iterable[str]) -> frozenset[str]:
    """Every string in `texts` shaped like a pseudonym."""
    return frozenset(m.group() for text in texts for m in PLACEHOLDER_PATTERN.finditer(text))


def may_see(
    entry: VaultEntry,
    actions: Mapping[str, Effect],
    blocks: Iterable[str],
    entity_labels: Mapping[str, tuple[str, ...]],
) -> bool:
    """Whether the caller whose decision has these label `actions` and answer `blocks`
    may read `entry`'s value: every label of the entry (its governing label, and the
    labels its entity type indicates, with their ancestors) must allow it."""
    labels = {entry.label, *entity_labels.get(entry.entity_type, ())}
    blocked = set(blocks)
    return all(
        label not in blocked and actions.get(label, Effect.ALLOW) in VISIBLE_ACTIONS
        for label in labels
    )


def decision_visibility(
    decision: Decision, entity_labels: Mapping[str, tuple[str, ...]]
) -> tuple[dict[str, Effect], frozenset[str]]:
    """The label actions and answer blocks `may_see` needs, from a decision."""
    actions = {label: effect for label, effect, _ in decision.label_actions}
    blocks = frozenset(label for label, _ in decision.output_blocks) | frozenset(
        decision.block_output_labels
    )
    return actions, blocks
