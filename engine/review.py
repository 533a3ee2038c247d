"""Human review, the pure part: statuses, the held request as data, and its expiry.

A decision with outcome `review` (engine.policy.verdict) is held: the API stores it
(api/review/, graph/review_queries.py) until a reviewer of the requester's tenant
approves it, rejects it, or it expires. What is stored is `held_request`, built
from the decision the core returned: the already sanitized (redacted) messages and
context, the route, the answer rules and the caller's forwarded parameters; never
the caller's raw text and never pseudonym values (those stay in the vault). On
approval `decision_from_held` gives the gateway back a Decision it can serve.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from engine.decision import (
    Decision,
    IntentMatch,
    Outcome,
    Reason,
    Redaction,
    Route,
    SanitizedContext,
    SanitizedMessage,
)
from engine.model import Effect, IntentCategory, Principal

DEFAULT_REVIEW_TTL_S = 3600
"""How long a held request waits when no applicable review policy sets `review_ttl_minutes`."""

FORMAT = 1
"""Version of the held-request document; a replica refuses one it does not know."""


class ReviewStatus(StrEnum):
    PENDING = "pending"  # held, waiting for a reviewer
    APPROVED = "approved"  # a reviewer approved; a chat request is then served
    REJECTED = "rejected"  # a reviewer refused it
    EXPIRED = "expired"  # nobody decided within the TTL: refused


class ReviewKind(StrEnum):
    DECIDE = "decide"  # POST /v1/decide: approval makes the decision usable, nothing is sent
    CHAT = "chat"  # POST /v1/chat/completions: approval sends the held request upstream


class ReviewVerdict(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class Hold:
    """What the API stores for one held request, in one transaction."""

    decision_id: str
    tenant_id: str
    principal_id: str
    kind: ReviewKind
    created_at: datetime
    expires_at: datetime
    reasons: tuple[Reason, ...]
    request: Mapping[str, Any]  # held_request(...)


def hold_for(
    decision: Decision, principal: Principal, kind: ReviewKind, params: Mapping[str, Any]
) -> Hold:
    """The hold of a `review` decision; its expiry counts from the decision's time."""
    if not decision.held:
        raise ValueError(f"decision {decision.id} is {decision.outcome}, not held for review")
    ttl = decision.review_ttl_s or DEFAULT_REVIEW_TTL_S
    return Hold(
        decision_id=decision.id,
        tenant_id=decision.tenant_id,
        principal_id=decision.principal_id,
        kind=kind,
        created_at=decision.created_at,
        expires_at=decision.created_at + timedelta(seconds=ttl),
        reasons=tuple(r for r in decision.reasons if r.effect is Effect.REVIEW),
        request=held_request(decision, principal, params),
    )


def held_request(
    decision: Decision, principal: Principal, params: Mapping[str, Any]
) -> dict[str, Any]:
    """What approval needs to serve the request, as JSON-ready data (already redacted)."""
    return {
        "format": FORMAT,
        "params": dict(params),
        "principal": {
            "id": principal.id,
            "tenant": principal.tenant,
            "name": principal.name,
            "roles": sorted(principal.roles),
            "permissions": sorted(principal.permissions),
        },
        "decision": {
            "id": decision.id,
            "created_at": decision.created_at.isoformat(),
            "served_outcome": (
                Outcome.ALLOW_WITH_REDACTIONS
                if decision.redactions or decision.withholdings
                else Outcome.ALLOW
            ).value,
            "intent": [decision.intent.intent_id, decision.intent.category.value],
            "intent_score": decision.intent.score,
            "messages": [[m.role, m.content] for m in decision.messages],
            "context": [[c.item_id, c.text] for c in decision.context],
            "redactions": [
                [r.segment, r.start, r.end, r.entity_type, r.label, r.action.value, r.replacement]
                for r in decision.redactions
            ],
            "labels": list(decision.labels),
            "route": [decision.route.primary, *decision.route.fallbacks],
            "policy_version": decision.policy_version,
            "prompt_sha256": decision.prompt_sha256,
            "purpose": decision.purpose,
            "block_output_labels": list(decision.block_output_labels),
            "label_actions": [[lb, e.value, p] for lb, e, p in decision.label_actions],
            "output_blocks": [list(b) for b in decision.output_blocks],
            "pseudonym_scope": decision.pseudonym_scope,
        },
    }


def decision_from_held(held: Mapping[str, Any]) -> tuple[Decision, Principal]:
    """The approved decision (outcome allow or allow_with_redactions) and its requester,
    back from `held_request`; pseudonyms come from the vault, as for a later turn."""
    if held.get("format") != FORMAT:
        raise ValueError(f"held request format {held.get('format')!r}; this replica reads {FORMAT}")
    d, p = held["decision"], held["principal"]
    primary, *fallbacks = d["route"]
    decision = Decision(
        id=d["id"],
        created_at=datetime.fromisoformat(d["created_at"]),
        principal_id=p["id"],
        tenant_id=p["tenant"],
        outcome=Outcome(d["served_outcome"]),
        reasons=(),
        intent=IntentMatch(d["intent"][0], IntentCategory(d["intent"][1]), d["intent_score"]),
        messages=tuple(SanitizedMessage(role, text) for role, text in d["messages"]),
        context=tuple(SanitizedContext(item, text) for item, text in d["context"]),
        exposures=(),
        withholdings=(),
        redactions=tuple(
            Redaction(seg, start, end, ent, label, Effect(action), rep)
            for seg, start, end, ent, label, action, rep in d["redactions"]
        ),
        labels=tuple(d["labels"]),
        route=Route(primary=primary, fallbacks=tuple(fallbacks)),
        policy_version=d["policy_version"],
        prompt_sha256=d["prompt_sha256"],
        purpose=d["purpose"],
        block_output_labels=tuple(d["block_output_labels"]),
        label_actions=tuple((lb, Effect(e), pid) for lb, e, pid in d["label_actions"]),
        output_blocks=tuple((lb, pid) for lb, pid in d["output_blocks"]),
        pseudonym_scope=d["pseudonym_scope"],
    )
    principal = Principal(
        id=p["id"],
        tenant=p["tenant"],
        roles=frozenset(p["roles"]),
        name=p["name"],
        permissions=frozenset(p["permissions"]),
    )
    return decision, principal


def expired(expires_at: datetime, now: datetime) -> bool:
    return now >= expires_at
