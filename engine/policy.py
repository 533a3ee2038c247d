"""Which policies apply to a request, why, and how they combine.

A policy applies when every scope dimension it lists matches (intent, role,
tenant, purpose, threat; an empty list matches anything) and, if it governs
labels, at least one governed label is present in what the request would send.
A threat condition holds when the threat detector's head for that category
scored at least the policy's `min_score` on what the request would send; the
reason then says which category, score, threshold, segment and view decided. Labels
present include their ancestors, so a policy on `pii` applies to `contact_info`.

The combining rule (`verdict`) is deliberately tiny: an applicable deny wins;
otherwise the request needs at least one applicable allow (default deny); then an
applicable review holds the allowed request for a person; a policy that cannot be
evaluated is skipped and recorded, and if it was a deny the request is denied
anyway, if it was a review the request is held anyway (fail closed).

Deny beats review beats allow. A review is a brake, not a key: it only ever holds a
request the policies already allow, so a reviewer confirms a permit and can never
create one (what no policy allows is denied without wasting a reviewer's time), and
nothing a reviewer does can send a request that a deny refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.decision import Reason, RuleIssue
from engine.model import (
    LABEL_ACTIONS,
    NOWHERE,
    Effect,
    LabelEvidence,
    PolicySpec,
    Preference,
    Restrictiveness,
    RouteConstraints,
    Snapshot,
    ThreatCondition,
)
from engine.serving import BalanceRule, CacheRule, combine_cache, first_balance
from engine.threats.conversation import CONVERSATION_SEGMENT, CONVERSATION_VIEW_PREFIX
from engine.threats.custom import CUSTOM_VIEW
from engine.threats.detector import ThreatFinding


@dataclass(frozen=True, slots=True)
class RequestView:
    """The facts policies are matched against."""

    decision_id: str
    principal_id: str
    intent: str
    roles: frozenset[str]
    tenant: str
    purpose: str | None
    labels: Mapping[str, LabelEvidence]  # effective labels of everything that may be sent
    # threat head -> the detector's best finding over what the request would send
    threats: Mapping[str, ThreatFinding] = field(default_factory=dict)
    detector_version: str = ""
    intent_is_threat: bool = False


@dataclass(frozen=True, slots=True)
class Applicable:
    policy: PolicySpec
    path: tuple[str, ...]  # the graph path that made it apply
    detail: str = ""  # what the sentence alone does not say, e.g. the threat score that decided
    threat: bool = False  # it applied because of a threat intent or a detector score

    def reason(self) -> Reason:
        sentence = self.policy.description
        if self.detail:
            sentence = f"{sentence} ({self.detail})"
        return Reason(self.policy.id, self.policy.effect, sentence, self.path, self.threat)


@dataclass(frozen=True, slots=True)
class Verdict:
    deny: bool
    reasons: tuple[Reason, ...]
    # The review policies that hold an allowed request (their reasons lead `reasons`),
    # and the shortest wait any of them sets (None: none set one).
    review: tuple[Reason, ...] = ()
    review_ttl_s: int | None = None

    @property
    def held(self) -> bool:
        return not self.deny and bool(self.review)


def applicable_policies(
    snapshot: Snapshot, view: RequestView
) -> tuple[tuple[Applicable, ...], tuple[RuleIssue, ...]]:
    found: list[Applicable] = []
    issues: list[RuleIssue] = []
    for policy in snapshot.policies_for_intent(view.intent):
        try:
            applicable = applies(policy, view)
        except (KeyError, ValueError, TypeError) as exc:  # malformed rule data: skip, record
            issues.append(RuleIssue(policy.id, f"could not be evaluated: {exc!r}"))
            continue
        if applicable is not None:
            found.append(applicable)
    found.sort(key=lambda a: (-a.policy.priority, a.policy.id))
    return tuple(found), tuple(issues)


def applies(policy: PolicySpec, view: RequestView) -> Applicable | None:
    """The policy with the path (and threat detail) that makes it apply, or None."""
    path = _applies(policy, view)
    if path is None:
        return None
    threat = bool(policy.threats) or (view.intent_is_threat and view.intent in policy.intents)
    return Applicable(policy, path, threat_detail(policy, view), threat)


def _applies(policy: PolicySpec, view: RequestView) -> tuple[str, ...] | None:
    if policy.tenant is not None and policy.tenant != view.tenant:
        return None  # another tenant's policy: never applies, never a reason
    if policy.intents and view.intent not in policy.intents:
        return None
    if policy.roles and not (policy.roles & view.roles):
        return None
    if policy.tenants and view.tenant not in policy.tenants:
        return None
    if policy.purposes and view.purpose not in policy.purposes:
        return None
    if policy.threats and threat_hit(policy, view) is None:
        return None
    target = f"Policy:{policy.id}"
    if policy.governs:
        present = policy.governs & view.labels.keys()
        if not present:
            return None
        evidence = min(
            (view.labels[label] for label in present), key=lambda e: (len(e.path), e.label)
        )
        return (*evidence.path, "GOVERNS", target)
    if policy.intents:
        return (
            f"Decision:{view.decision_id}",
            "MATCHED",
            f"Intent:{view.intent}",
            "APPLIES_TO",
            target,
        )
    if policy.roles:
        role = sorted(policy.roles & view.roles)[0]
        return (f"Principal:{view.principal_id}", "HAS_ROLE", f"Role:{role}", "APPLIES_TO", target)
    if policy.tenants:
        return (
            f"Principal:{view.principal_id}",
            "MEMBER_OF",
            f"Tenant:{view.tenant}",
            "APPLIES_TO",
            target,
        )
    return (target,)


def threat_hit(
    policy: PolicySpec, view: RequestView
) -> tuple[ThreatCondition, ThreatFinding] | None:
    """The policy's threat condition that holds with the highest margin, and its finding."""
    held = [
        (c, view.threats[c.category])
        for c in policy.threats
        if c.category in view.threats and view.threats[c.category].score >= c.min_score
    ]
    return max(held, key=lambda h: (h[1].score - h[0].min_score, h[0].category), default=None)


def threat_detail(policy: PolicySpec, view: RequestView) -> str:
    hit = threat_hit(policy, view) if policy.threats else None
    if hit is None:
        return ""
    condition, finding = hit
    if finding.view == CUSTOM_VIEW:
        return (
            f"threat category {condition.category}, declared in the policy content, scored "
            f"{finding.score:.2f} >= {condition.min_score:.2f} in {finding.segment}; "
            f"heads {view.detector_version}"
        )
    if finding.segment == CONVERSATION_SEGMENT:
        features = finding.view.removeprefix(CONVERSATION_VIEW_PREFIX).replace(",", ", ")
        return (
            f"threat detector {view.detector_version}: {condition.category} scored "
            f"{finding.score:.2f} >= {condition.min_score:.2f} on the conversation "
            f"(the last user turn read against the system prompt and earlier turns; "
            f"strongest features {features})"
        )
    how = "" if finding.view == "text" else f", read as {finding.view}"
    return (
        f"threat detector {view.detector_version}: {condition.category} scored "
        f"{finding.score:.2f} >= {condition.min_score:.2f} in {finding.segment}{how}"
    )


def verdict(
    applicable: tuple[Applicable, ...], issues: tuple[RuleIssue, ...], snapshot: Snapshot
) -> Verdict:
    """Deny wins; default deny; then review holds; a deny or review that errored still
    denies or holds."""
    denies = [a.reason() for a in applicable if a.policy.effect is Effect.DENY]
    errored_denies = [
        Reason(i.policy_id, Effect.DENY, f"a deny policy could not be evaluated ({i.message})")
        for i in issues
        if _effect_of(snapshot, i.policy_id) is Effect.DENY
    ]
    if denies or errored_denies:
        return Verdict(True, tuple(denies + errored_denies))
    allows = [a.reason() for a in applicable if a.policy.effect is Effect.ALLOW]
    if not allows:
        return Verdict(True, (Reason(None, None, "No policy allows this request (default deny)."),))
    holding = [a for a in applicable if a.policy.effect is Effect.REVIEW]
    reviews = [a.reason() for a in holding] + [
        Reason(i.policy_id, Effect.REVIEW, f"a review policy could not be evaluated ({i.message})")
        for i in issues
        if _effect_of(snapshot, i.policy_id) is Effect.REVIEW
    ]
    ttls = [a.policy.review_ttl_s for a in holding if a.policy.review_ttl_s is not None]
    return Verdict(False, tuple(reviews + allows), tuple(reviews), min(ttls) if ttls else None)


def _effect_of(snapshot: Snapshot, policy_id: str) -> Effect | None:
    return next((p.effect for p in snapshot.policies if p.id == policy_id), None)


def label_action(
    labels: tuple[str, ...], applicable: tuple[Applicable, ...]
) -> tuple[Effect, Applicable] | None:
    """The most restrictive label action governing any of `labels` (a label and its ancestors)."""
    best: tuple[Effect, Applicable] | None = None
    wanted = frozenset(labels)
    for app in applicable:
        effect = app.policy.effect
        if effect not in LABEL_ACTIONS or not (app.policy.governs & wanted):
            continue
        if best is None or Restrictiveness.of(effect) > Restrictiveness.of(best[0]):
            best = (effect, app)
    return best


def route_constraints(applicable: tuple[Applicable, ...]) -> RouteConstraints:
    """The intersection of every applicable policy's constraints (each must hold)."""
    jurisdictions: frozenset[str] | None = None
    regions: frozenset[str] | None = None
    certifications: set[str] = set()
    forbid_providers: set[str] = set()
    forbid_models: set[str] = set()
    no_training = False
    max_retention: int | None = None
    for app in applicable:
        if app.policy.effect is Effect.DENY:
            continue
        c = app.policy.constraints
        if c.jurisdictions:
            jurisdictions = (
                c.jurisdictions if jurisdictions is None else jurisdictions & c.jurisdictions
            )
        if c.regions:
            regions = c.regions if regions is None else regions & c.regions
        certifications |= c.certifications
        forbid_providers |= c.forbid_providers
        forbid_models |= c.forbid_models
        no_training = no_training or c.no_training
        if c.max_retention_days is not None:
            days = c.max_retention_days
            max_retention = days if max_retention is None else min(days, max_retention)
    return RouteConstraints(
        # An empty intersection of non-empty lists means "nowhere": keep it distinguishable
        # from "unconstrained" with a sentinel no region or jurisdiction can equal.
        jurisdictions=_nowhere_if_empty(jurisdictions),
        regions=_nowhere_if_empty(regions),
        certifications=frozenset(certifications),
        forbid_providers=frozenset(forbid_providers),
        forbid_models=frozenset(forbid_models),
        no_training=no_training,
        max_retention_days=max_retention,
    )


def _nowhere_if_empty(found: frozenset[str] | None) -> frozenset[str]:
    if found is None:
        return frozenset()
    return found or frozenset({NOWHERE})


def preferences(applicable: tuple[Applicable, ...]) -> tuple[Preference, ...]:
    """One (models, providers) tier per preferring policy, highest priority first.

    Tiers rank lexicographically: a lower-priority policy's preference only breaks
    ties left by every higher-priority one, whether it names models or providers.
    """
    return tuple(
        (app.policy.prefer_models, app.policy.prefer_providers)
        for app in applicable
        if app.policy.effect is not Effect.DENY
        and (app.policy.prefer_models or app.policy.prefer_providers)
    )


def serving_rules(
    applicable: tuple[Applicable, ...],
) -> tuple[CacheRule | None, BalanceRule | None]:
    """The cache and balancing rules of the applicable policies that are not denies
    (engine.serving says how several combine); `applicable` comes priority first."""
    serving = [a.policy for a in applicable if a.policy.effect is not Effect.DENY]
    return (
        combine_cache((p.id, p.cache) for p in serving if p.cache is not None),
        first_balance((p.id, p.balance) for p in serving if p.balance is not None),
    )


def constraint_reasons(applicable: tuple[Applicable, ...]) -> tuple[Reason, ...]:
    """Reasons for policies that shaped the route or the text (not allow/deny)."""
    return tuple(
        a.reason()
        for a in applicable
        if a.policy.effect in (LABEL_ACTIONS | {Effect.CONSTRAIN})
        or (a.policy.effect is Effect.ALLOW and a.policy.constraints != RouteConstraints())
    )
