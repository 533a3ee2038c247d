"""A decision is data: the frozen value the core returns for one request.

Everything an auditor needs to reconstruct "why" is here: the outcome, one
reason per policy that mattered (with the graph path that made it apply), what
was exposed, withheld and redacted, the route with the candidates that lost,
the matched intent, and the PolicySet version it was decided under.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from engine.model import Effect, IntentCategory, RouteConstraints
from engine.serving import BalanceRule, CacheRule
from engine.threats.detector import ThreatFinding


class Outcome(StrEnum):
    ALLOW = "allow"
    ALLOW_WITH_REDACTIONS = "allow_with_redactions"
    DENY = "deny"
    # Allowed by the policies, but a review policy applies: held until a reviewer
    # approves it (then served) or rejects it or it expires (then refused). api/review/.
    REVIEW = "review"


@dataclass(frozen=True, slots=True)
class Reason:
    """One policy that shaped the decision, in a sentence, with its justification."""

    policy_id: str | None  # None for reasons the engine itself gives (no route, default deny)
    effect: Effect | None
    sentence: str
    path: tuple[str, ...] = ()  # graph path, "Kind:id" nodes alternating with edge types
    # True when the policy applied because of a threat: a threat intent or detector score.
    threat: bool = False


MINILM = "minilm"
"""IntentMatch.embedder of a match decided on MiniLM's vectors (the static cascade's
matches name the static model's version instead: engine.cascade)."""


@dataclass(frozen=True, slots=True)
class IntentMatch:
    intent_id: str
    category: IntentCategory
    score: float
    signals: tuple[str, ...] = ()  # cheap textual signals that fired, e.g. "override_instructions"
    # What embedded the prompt for this match: "minilm", or the static model's version
    # when the intent cascade settled it without MiniLM (engine.cascade).
    embedder: str = MINILM


@dataclass(frozen=True, slots=True)
class Redaction:
    """One replaced span. Offsets index the caller's original text of that segment."""

    segment: str  # "messages[0]" or "context:<id>"
    start: int
    end: int
    entity_type: str
    label: str
    action: Effect
    replacement: str


@dataclass(frozen=True, slots=True)
class Exposure:
    item_id: str
    kind: str
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Withholding:
    item_id: str
    # "unknown_id" | "no_access" | "dropped_by_policy" | "suspected_injection" | "facts_unavailable"
    code: str
    reason: str
    policy_id: str | None = None


@dataclass(frozen=True, slots=True)
class RejectedCandidate:
    model_id: str
    provider_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Route:
    primary: str | None
    fallbacks: tuple[str, ...] = ()
    rejected: tuple[RejectedCandidate, ...] = ()
    constraints: RouteConstraints = RouteConstraints()

    @property
    def candidates(self) -> tuple[str, ...]:
        """Primary first, then fallbacks: the only models a request may be sent to."""
        return ((self.primary,) if self.primary else ()) + self.fallbacks


@dataclass(frozen=True, slots=True)
class RuleIssue:
    """A policy that could not be evaluated; it was skipped and the decision says so."""

    policy_id: str
    message: str


@dataclass(frozen=True, slots=True)
class SanitizedMessage:
    role: str
    content: str


@dataclass(frozen=True, slots=True)
class SanitizedContext:
    item_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Decision:
    id: str
    created_at: datetime
    principal_id: str
    tenant_id: str
    outcome: Outcome
    reasons: tuple[Reason, ...]
    intent: IntentMatch
    messages: tuple[SanitizedMessage, ...]  # normalized and redacted; what may be sent
    context: tuple[SanitizedContext, ...]  # exposed items only, redacted
    exposures: tuple[Exposure, ...]
    withholdings: tuple[Withholding, ...]
    redactions: tuple[Redaction, ...]
    labels: tuple[str, ...]  # effective labels of everything that may be sent
    route: Route
    policy_version: str
    prompt_sha256: str
    purpose: str | None = None
    # True when the request named no purpose and `purpose` is the caller's default.
    purpose_defaulted: bool = False
    issues: tuple[RuleIssue, ...] = ()
    block_output_labels: tuple[str, ...] = ()  # labels whose presence in an answer blocks it
    # What the gateway applies to the model's answer. Chosen by scope only (intent, roles,
    # tenant, purpose), whether or not the label was in the request: an answer can carry
    # labels its request did not. (label, most restrictive label action, policy id):
    label_actions: tuple[tuple[str, Effect, str], ...] = ()
    # (label, policy id) of block_output policies by the same scope rule; covers
    # block_output_labels, which only lists labels present in the request.
    output_blocks: tuple[tuple[str, str], ...] = ()
    # The threat detector that scored this request and, per head, its best finding over
    # every segment scanned (messages other than the system prompt, context items).
    detector_version: str | None = None
    threats: tuple[ThreatFinding, ...] = ()
    # placeholder -> original value, so the gateway can restore pseudonyms for this caller.
    # Never written to provenance or logs.
    pseudonyms: Mapping[str, str] = field(default_factory=dict, repr=False)
    # The scope the pseudonyms were keyed to (engine.vault.scope_key); empty: the principal.
    pseudonym_scope: str = ""
    # Outcome review: seconds a reviewer has before the held request expires (refused).
    review_ttl_s: int | None = None
    # Serving rules of the applicable policies (engine.serving); None on a deny.
    cache: CacheRule | None = None
    balance: BalanceRule | None = None

    @property
    def allowed(self) -> bool:
        """May be sent now: allowed, with or without redactions (not denied, not held)."""
        return self.outcome in (Outcome.ALLOW, Outcome.ALLOW_WITH_REDACTIONS)

    @property
    def held(self) -> bool:
        """Allowed by the policies but waiting for a reviewer (outcome review)."""
        return self.outcome is Outcome.REVIEW
