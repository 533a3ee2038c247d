"""The decision core: (request, snapshot, graph facts, analysis) -> Decision. No I/O.

Everything is handed in: the immutable Snapshot of the active PolicySet, the
graph facts of the referenced items, and the analysis computed around the core
(normalized texts, detections, the matched intent). The core reads no clock, no
environment and no network, and never raises for a policy problem: problems
become reasons or recorded issues in the decision.

Order of work:
1. exposure: unknown ids and items the caller's roles may not read are withheld;
2. labels: effective labels of candidate items plus labels indicated by entities
   detected in the messages and candidate items (with their ancestors);
3. policies that apply; `drop` actions withhold items (and stay reasons); labels
   and policies are then recomputed without the dropped items, so they constrain nothing;
4. verdict: deny wins, default deny, then review holds (engine.policy.verdict);
   the tool rules of the applicable policies drop offered tools or deny, and may
   forbid providers (engine.tools); a tool's own data (definitions, results that
   name no document) has no access rules, a result that names a document has its;
5. text: each detected entity gets the most restrictive action governing its labels;
6. route: compliant candidates under the intersected constraints, or deny.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from engine.decision import (
    Decision,
    Exposure,
    IntentMatch,
    Outcome,
    Reason,
    Redaction,
    Route,
    SanitizedContext,
    SanitizedMessage,
    Withholding,
)
from engine.detection_config import InstructionAction
from engine.embedding import Vectors
from engine.model import (
    ANY_PURPOSE,
    LABEL_ACTIONS,
    ContextItem,
    DecisionRequest,
    Detection,
    Effect,
    IntentCategory,
    ItemFacts,
    ItemKind,
    LabelEvidence,
    Restrictiveness,
    Snapshot,
    Task,
)
from engine.normalize import NormalizedText
from engine.policy import (
    Applicable,
    RequestView,
    applicable_policies,
    applies,
    constraint_reasons,
    label_action,
    preferences,
    route_constraints,
    serving_rules,
    verdict,
)
from engine.redact import Choice, redact
from engine.review import DEFAULT_REVIEW_TTL_S
from engine.route import RouteNeeds, estimate_tokens, plan_route
from engine.threats.conversation import CONVERSATION_SEGMENT
from engine.threats.detector import ThreatAssessment, ThreatFinding
from engine.tools import judge_tools


@dataclass(frozen=True, slots=True)
class Analysis:
    """What was computed around the core for one request."""

    intent: IntentMatch
    texts: Mapping[str, NormalizedText]  # segment key -> normalized text
    detections: Mapping[str, tuple[Detection, ...]] = field(default_factory=dict)
    # context key -> names of attack signals found in that item's text: retrieved
    # content that tries to instruct the model (indirect prompt injection) is withheld.
    injected: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The threat detector's scores per segment; None when no detector ran.
    threats: ThreatAssessment | None = None
    # Every intent's similarity to the prompt and the signals that fired (name -> weight),
    # recorded so that replay can pick the intent again (engine.replay_input); empty
    # where the intent was pinned rather than matched.
    intent_similarities: Mapping[str, float] = field(default_factory=dict)
    signal_weights: Mapping[str, float] = field(default_factory=dict)
    # Intents held to their script's threshold rather than their own (engine.intent).
    intent_thresholds: Mapping[str, float] = field(default_factory=dict)
    # The intent segment's embedding (one unit row per window of its normalized text),
    # as the intent index computed it: the gateway's semantic cache reuses it instead of
    # embedding the prompt again. None where no embedding was computed.
    prompt_vectors: Vectors | None = field(default=None, compare=False, repr=False)
    prompt_segment: str | None = None  # the segment key those vectors embed


BASE_CAPABILITY = "chat"

Phase = Callable[[str], None]
"""Told the name of each phase as it starts (observability outside the core); no result."""


def no_phase(name: str) -> None:
    return None


def message_key(index: int) -> str:
    return f"messages[{index}]"


def context_key(item_id: str) -> str:
    return f"context:{item_id}"


def prompt_sha256(request: DecisionRequest) -> str:
    canonical = json.dumps([[m.role, m.content] for m in request.messages], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def decide(
    request: DecisionRequest,
    snapshot: Snapshot,
    facts: Mapping[str, ItemFacts],
    analysis: Analysis,
    *,
    decision_id: str,
    now: datetime,
    secret: bytes,
    phase: Phase = no_phase,
) -> Decision:
    phase("policy")
    principal = request.principal
    defaulted = request.purpose is None and principal.default_purpose is not None
    if defaulted:
        request = replace(request, purpose=principal.default_purpose)
    withheld: list[Withholding] = []
    candidates: dict[str, ItemFacts] = {}
    threats = analysis.threats
    # The caller's own segments, and the conversation heads (they read those against the
    # system prompt): what a threat policy judges the request by.
    message_keys = [
        *(message_key(i) for i, m in enumerate(request.messages) if m.role != "system"),
        CONVERSATION_SEGMENT,
    ]
    # Context items whose text tries to instruct the model, as the detection settings treat them.
    instruction_action = snapshot.detection.context_instructions
    instructed: list[Reason] = []

    def view_of(
        labels: Mapping[str, LabelEvidence], found: Mapping[str, ThreatFinding]
    ) -> RequestView:
        return RequestView(
            decision_id=decision_id,
            principal_id=principal.id,
            intent=analysis.intent.intent_id,
            roles=principal.roles,
            tenant=principal.tenant,
            purpose=request.purpose,
            labels=labels,
            threats=found,
            detector_version=threats.detector_version if threats else "",
            intent_is_threat=analysis.intent.category is IntentCategory.THREAT,
        )

    for item in request.context:
        found = _item_facts(item, facts, principal.tenant)
        # A tool's own data is the conversation's: only a document it names has access rules.
        refusal = (
            None
            if item.graph_id is None
            else _access_refusal(found, principal.roles, request.purpose)
        )
        signals = analysis.injected.get(context_key(item.id))
        # Withholdings name the graph item when there is one, so provenance finds it.
        subject = item.graph_id or item.id
        if refusal is None and signals:
            refusal = Withholding(
                subject,
                INJECTION,
                f"The item's text tries to instruct the model ({', '.join(signals)}).",
            )
        if refusal is None and threats is not None:
            refusal = _threat_refusal(
                subject, snapshot, view_of({}, threats.best([context_key(item.id)]))
            )
        if (
            refusal is not None
            and refusal.code == INJECTION
            and instruction_action is not InstructionAction.WITHHOLD
        ):
            instructed.append(_instruction_reason(refusal, instruction_action))
            refusal = None  # warn: the item is sent with the reason; deny: nothing is sent
        if refusal:
            withheld.append(refusal)
        else:
            candidates[item.id] = found

    detected = _detected_labels(snapshot, analysis, request, candidates)

    def view_for(items: Mapping[str, ItemFacts]) -> RequestView:
        labels: dict[str, LabelEvidence] = {}
        keys = [message_key(i) for i in range(len(request.messages))] + [
            context_key(i) for i in items
        ]
        evidence = [e for f in items.values() for e in f.labels] + [
            e for k in keys for e in detected.get(k, ())
        ]
        for e in sorted(evidence, key=lambda e: (len(e.path), e.path)):
            labels.setdefault(e.label, e)
        return view_of(labels, threats.best(message_keys) if threats else {})

    first, _ = applicable_policies(snapshot, view_for(candidates))
    exposed: dict[str, ItemFacts] = {}
    drops: list[Reason] = []
    for item_id, item_facts in candidates.items():
        item_labels = tuple(
            {e.label for e in item_facts.labels}
            | {e.label for e in detected.get(context_key(item_id), ())}
        )
        chosen = label_action(item_labels, first)
        if chosen and chosen[0] is Effect.DROP:
            policy = chosen[1].policy
            withheld.append(
                Withholding(item_id, "dropped_by_policy", policy.description, policy.id)
            )
            drops.append(chosen[1].reason())
        else:
            exposed[item_id] = item_facts

    view = view_for(exposed)
    applicable, issues = applicable_policies(snapshot, view)
    judged = verdict(applicable, issues, snapshot)
    offered = {
        item.id: item.tool or item.id
        for item in request.context
        if item.kind is ItemKind.TOOL_DEFINITION and item.id in exposed
    }
    tools = judge_tools(offered, applicable, snapshot.providers)
    for refusal in tools.dropped:
        withheld.append(refusal)
        exposed.pop(refusal.item_id, None)

    messages, contexts, redactions, pseudonyms = _sanitize(
        request, exposed, analysis, snapshot, applicable, secret
    )
    reasons = list(judged.reasons)
    route = Route(primary=None)
    deny = judged.deny
    if instruction_action is InstructionAction.DENY and instructed:
        deny = True
        reasons = instructed + reasons
    elif instruction_action is InstructionAction.WARN:
        reasons += instructed
    if tools.denials:
        deny = True
        reasons = list(tools.denials) + reasons
    if not deny:
        reasons += [r for r in constraint_reasons(applicable) if r not in reasons]
        # A drop shaped what is sent even when, its items gone, it no longer applies.
        for r in drops:
            if r.policy_id not in {x.policy_id for x in reasons}:
                reasons.append(r)
        reasons += [r for r in tools.reasons if r not in reasons]
        phase("routing")
        route = _route(
            request, snapshot, analysis, applicable, messages, contexts, tools.forbid_providers
        )
        if route.primary is None:
            deny = True
            reasons.insert(0, _no_route_reason(route))
            route = Route(primary=None, rejected=route.rejected, constraints=route.constraints)

    if deny:
        outcome = Outcome.DENY
    elif judged.held:  # routed and redacted like an allow: that is what approval sends
        outcome = Outcome.REVIEW
    elif redactions or withheld:
        outcome = Outcome.ALLOW_WITH_REDACTIONS
    else:
        outcome = Outcome.ALLOW
    blocked = sorted(
        {label for a in applicable if a.policy.block_output for label in a.policy.governs}
    )
    label_actions, output_blocks = ((), ()) if deny else _output_rules(snapshot, view)
    cache, balance = (None, None) if deny else serving_rules(applicable)
    return Decision(
        id=decision_id,
        created_at=now,
        principal_id=principal.id,
        tenant_id=principal.tenant,
        outcome=outcome,
        reasons=tuple(reasons),
        intent=analysis.intent,
        messages=messages,
        # A denied request sends nothing, so it exposes nothing: provenance must not say otherwise.
        context=() if deny else contexts,
        exposures=()
        if deny
        else tuple(
            dict.fromkeys(  # two tool results may name one document: one exposure
                Exposure(f.id, f.kind, tuple(sorted({e.label for e in f.labels})))
                for f in exposed.values()
            )
        ),
        withholdings=tuple(withheld),
        redactions=redactions,
        labels=tuple(sorted(view.labels)),
        route=route,
        policy_version=snapshot.version,
        prompt_sha256=prompt_sha256(request),
        purpose=request.purpose,
        purpose_defaulted=defaulted,
        issues=issues,
        block_output_labels=tuple(blocked),
        label_actions=label_actions,
        output_blocks=output_blocks,
        detector_version=threats.detector_version if threats else None,
        threats=tuple(sorted(threats.best().values(), key=lambda f: f.head)) if threats else (),
        pseudonyms=pseudonyms,
        pseudonym_scope=request.pseudonym_key,
        review_ttl_s=(judged.review_ttl_s or DEFAULT_REVIEW_TTL_S)
        if outcome is Outcome.REVIEW
        else None,
        cache=cache,
        balance=balance,
    )


def _output_rules(
    snapshot: Snapshot, view: RequestView
) -> tuple[tuple[tuple[str, Effect, str], ...], tuple[tuple[str, str], ...]]:
    """Label actions and answer blocks for the model's answer.

    Policies are chosen by scope alone: the view is widened to every label, so a
    policy applies to the answer when its intent, role, tenant and purpose match,
    even if the request carried none of its labels (a card number the model writes
    is still a card number). Per label, the most restrictive action wins; on a tie
    the higher-priority policy (they come sorted by priority).
    """
    every = {
        label: LabelEvidence(label, (f"SensitivityLabel:{label}",)) for label in snapshot.labels
    }
    scoped, _ = applicable_policies(snapshot, replace(view, labels=every))
    actions: dict[str, tuple[Effect, str]] = {}
    blocks: dict[str, str] = {}
    for app in scoped:
        policy = app.policy
        for label in sorted(policy.governs):
            if policy.effect in LABEL_ACTIONS:
                current = actions.get(label)
                if current is None or Restrictiveness.of(policy.effect) > Restrictiveness.of(
                    current[0]
                ):
                    actions[label] = (policy.effect, policy.id)
            if policy.block_output:
                blocks.setdefault(label, policy.id)
    return (
        tuple((label, effect, policy_id) for label, (effect, policy_id) in sorted(actions.items())),
        tuple(sorted(blocks.items())),
    )


def _threat_refusal(item_id: str, snapshot: Snapshot, item: RequestView) -> Withholding | None:
    """Withhold a context item that, sent on its own, would make a threat deny apply.

    Retrieved text that carries an injection is the retriever's problem, not the
    caller's: the item goes, the request stays (the caller's own words are judged
    by the same policies at request level)."""
    for policy in snapshot.threat_denies:
        applicable = applies(policy, item)
        if applicable is not None:
            return Withholding(item_id, INJECTION, applicable.reason().sentence, policy.id)
    return None


def _item_facts(item: ContextItem, facts: Mapping[str, ItemFacts], tenant: str) -> ItemFacts:
    """The facts that govern an item: its graph id's, or, for a tool's own data, none
    (found, no labels of its own: only what is detected in its text)."""
    graph_id = item.graph_id
    if graph_id is None:
        kind = "ToolDefinition" if item.kind is ItemKind.TOOL_DEFINITION else "ToolResult"
        return ItemFacts(id=item.id, found=True, kind=kind)
    return visible_facts(facts.get(graph_id), graph_id, tenant)


def visible_facts(facts: ItemFacts | None, item_id: str, tenant: str) -> ItemFacts:
    """The facts as the caller's tenant may see them: another tenant's item is exactly
    an unknown id (same withholding, same sentence), so its ids cannot be probed."""
    if facts is None or (facts.found and facts.tenant and facts.tenant != tenant):
        return ItemFacts(id=item_id, found=False)
    return facts


INJECTION = "suspected_injection"
"""Withholding code of a context item whose text tries to instruct the model."""


def _instruction_reason(refusal: Withholding, action: InstructionAction) -> Reason:
    """The reason a `warn` or `deny` setting gives for an instruction-carrying item."""
    what = "the request is denied" if action is InstructionAction.DENY else "sent with a warning"
    sentence = f"Context item {refusal.item_id}: {refusal.reason.rstrip('.')}; {what}."
    effect = Effect.DENY if action is InstructionAction.DENY else None
    return Reason(refusal.policy_id, effect, sentence, threat=True)


def _access_refusal(
    facts: ItemFacts, roles: frozenset[str], purpose: str | None
) -> Withholding | None:
    if facts.unavailable:
        return Withholding(facts.id, "facts_unavailable", facts.unavailable)
    if not facts.found:
        return Withholding(facts.id, "unknown_id", "No document or data source has this id.")
    for grant in facts.grants:
        if grant.role in roles and (
            ANY_PURPOSE in grant.purposes or (purpose and purpose in grant.purposes)
        ):
            return None
    wanted = f"for purpose '{purpose}'" if purpose else "without a declared purpose"
    return Withholding(
        facts.id,
        "no_access",
        f"None of the caller's roles may read {facts.source} {wanted}.",
    )


def _detected_labels(
    snapshot: Snapshot,
    analysis: Analysis,
    request: DecisionRequest,
    candidates: Mapping[str, ItemFacts],
) -> dict[str, tuple[LabelEvidence, ...]]:
    """Per segment: labels indicated by the entities detected in it, with ancestors."""
    keys = [message_key(i) for i in range(len(request.messages))] + [
        context_key(i) for i in candidates
    ]
    out: dict[str, tuple[LabelEvidence, ...]] = {}
    for key in keys:
        found: dict[str, LabelEvidence] = {}
        for detection in analysis.detections.get(key, ()):
            for evidence in snapshot.entity_evidence.get(detection.entity_type, ()):
                found.setdefault(evidence.label, evidence)
        out[key] = tuple(found.values())
    return out


def _sanitize(
    request: DecisionRequest,
    exposed: Mapping[str, ItemFacts],
    analysis: Analysis,
    snapshot: Snapshot,
    applicable: tuple[Applicable, ...],
    secret: bytes,
) -> tuple[
    tuple[SanitizedMessage, ...],
    tuple[SanitizedContext, ...],
    tuple[Redaction, ...],
    dict[str, str],
]:
    redactions: list[Redaction] = []
    pseudonyms: dict[str, str] = {}

    def clean(key: str, original: str) -> str:
        normalized = analysis.texts.get(key)
        if normalized is None:
            return original
        choices: list[Choice] = []
        for detection in analysis.detections.get(key, ()):
            labels = snapshot.entity_labels.get(detection.entity_type, ())
            chosen = label_action(labels, applicable)
            if chosen is None:
                continue
            effect, app = chosen
            governed = next(label for label in labels if label in app.policy.governs)
            choices.append((detection, governed, effect))
        result = redact(normalized.text, choices, key=secret, caller_id=request.pseudonym_key)
        for r in result.replacements:
            start, end = normalized.to_original(r.start, r.end)
            redactions.append(
                Redaction(key, start, end, r.entity_type, r.label, r.action, r.replacement)
            )
        pseudonyms.update(result.pseudonyms)
        return result.text

    messages = tuple(
        SanitizedMessage(m.role, clean(message_key(i), m.content))
        for i, m in enumerate(request.messages)
    )
    contexts = tuple(
        SanitizedContext(item.id, clean(context_key(item.id), item.text))
        for item in request.context
        if item.id in exposed
    )
    return messages, contexts, tuple(redactions), pseudonyms


def _route(
    request: DecisionRequest,
    snapshot: Snapshot,
    analysis: Analysis,
    applicable: tuple[Applicable, ...],
    messages: tuple[SanitizedMessage, ...],
    contexts: tuple[SanitizedContext, ...],
    forbid_providers: frozenset[str] = frozenset(),
) -> Route:
    intent = snapshot.intents.get(analysis.intent.intent_id)
    if request.task is Task.EMBEDDINGS:
        # Texts to embed are not a conversation: the model must embed (whether or not the
        # graph names the capability: fail closed), the intent's needs describe an answer
        # that never comes, and nothing is generated.
        base = frozenset({Task.EMBEDDINGS.value})
        output_tokens = 0
        # Each input is embedded on its own: the window must hold the longest, not the sum.
        input_chars = max((len(m.content) for m in messages), default=0)
    else:
        # Every other request is a conversation: a model must at least chat, whatever the
        # intent (an embeddings-only model is never a candidate), if the graph names it.
        base = (
            frozenset({BASE_CAPABILITY})
            if BASE_CAPABILITY in snapshot.capabilities
            else frozenset()
        )
        base |= intent.requires if intent else frozenset()
        output_tokens = request.max_output_tokens
        input_chars = sum(len(m.content) for m in messages) + sum(len(c.text) for c in contexts)
    needs = RouteNeeds(
        capabilities=base | request.required_capabilities,
        input_tokens=estimate_tokens(input_chars),
        output_tokens=output_tokens,
        preferred_model=request.preferred_model,
        user_region=request.user_region,
    )
    constraints = route_constraints(applicable)
    if forbid_providers:  # the offered tools' provider restrictions (engine.tools)
        constraints = replace(
            constraints, forbid_providers=constraints.forbid_providers | forbid_providers
        )
    return plan_route(snapshot, needs, constraints, preferences(applicable))


def _no_route_reason(route: Route) -> Reason:
    losers = "; ".join(f"{c.model_id}: {', '.join(c.reasons)}" for c in route.rejected[:3])
    more = f" (and {len(route.rejected) - 3} more)" if len(route.rejected) > 3 else ""
    return Reason(
        None, None, f"No compliant route: every candidate model was rejected. {losers}{more}"
    )
