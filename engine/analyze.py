"""The compute around the core: normalize every text, detect entities, match the intent.

Deterministic and free of I/O, but not cheap: this is where a decision spends
its time (the embedding above all), so each text is normalized and scanned once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from engine.decide import Analysis, Phase, context_key, message_key, no_phase
from engine.detect import Detector
from engine.intent import IntentIndex
from engine.model import DecisionRequest, Snapshot
from engine.normalize import NormalizedText, normalize
from engine.signals import DEFAULT_SIGNALS, scan
from engine.threats.conversation import Conversation, conversation_of
from engine.threats.custom import CustomThreatHeads
from engine.threats.detector import ThreatAssessment, ThreatDetector, ThreatFinding

# Retrieved text that tries to steer the model; a document may legitimately talk about
# "all customers" or carry base64, so only instruction-like signals count there.
INDIRECT_INJECTION_SIGNALS = frozenset(
    {
        "override_instructions",
        "system_prompt_extraction",
        "persona_jailbreak",
        "instructions_to_ai",
    }
)


# Only those are looked for in retrieved text: the other signals' patterns would run
# over every document for hits that are thrown away.
_INDIRECT = tuple(s for s in DEFAULT_SIGNALS if s.name in INDIRECT_INJECTION_SIGNALS)
assert {s.name for s in _INDIRECT} == INDIRECT_INJECTION_SIGNALS, "a signal was renamed"


@dataclass(frozen=True, slots=True)
class EngineState:
    """Everything built from one PolicySet version; swapped whole when it changes."""

    snapshot: Snapshot
    detector: Detector
    intents: IntentIndex
    # None only where a test or benchmark pins everything else; the API always has one.
    threats: ThreatDetector | None = None
    # Heads fitted for the snapshot's own threat categories; None when it declares none,
    # and then no text is embedded beyond what the intent index embeds.
    custom_threats: CustomThreatHeads | None = None
    # Some policy of the version caches answers semantically: the gateway then compares
    # the prompt's MiniLM vector, so every prompt is embedded with MiniLM (no cascade).
    semantic_cache: bool = field(init=False)

    def __post_init__(self) -> None:
        semantic = any(
            p.cache is not None and p.cache.semantic_threshold is not None
            for p in self.snapshot.policies
        )
        object.__setattr__(self, "semantic_cache", semantic)


def analyze(request: DecisionRequest, state: EngineState, *, phase: Phase = no_phase) -> Analysis:
    phase("detection")
    texts = {message_key(i): normalize(m.content) for i, m in enumerate(request.messages)}
    texts |= {context_key(item.id): normalize(item.text) for item in request.context}
    tenant = request.principal.tenant
    detections = {
        key: state.detector.detect(text.text, tenant) for key, text in texts.items() if text.text
    }
    injected: dict[str, tuple[str, ...]] = {}
    for item in request.context:
        key = context_key(item.id)
        # encoded_payload always fires on a blob; it is not an instruction-like signal.
        names = tuple(
            h.name for h in scan(texts[key].text, _INDIRECT) if h.name in INDIRECT_INJECTION_SIGNALS
        )
        if names:
            injected[key] = names
    threats = None
    # The operator's system prompt is not an attack on itself.
    scanned = {
        key: texts[key]
        for key in (
            *(message_key(i) for i, m in enumerate(request.messages) if m.role != "system"),
            *(context_key(item.id) for item in request.context),
        )
    }
    if state.threats is not None:
        phase("threats")
        threats = state.threats.assess(scanned, _conversation(request, texts))
    phase("intent")
    own_words = _intent_segment(request)
    # Custom heads read the same embedding, so it is computed once, here, for both.
    custom = state.custom_threats
    # The static cascade (engine.cascade) may settle the intent without MiniLM only when
    # nothing else reads the prompt's MiniLM vector: custom threat heads were fitted on
    # MiniLM vectors and the semantic cache's threshold is a MiniLM cosine.
    cascade = state.intents.static_version is not None and custom is None
    if cascade and not state.semantic_cache:
        queries = None
        scored = state.intents.match_scored(
            texts[own_words].text, tenant=request.principal.tenant, allow_static=True
        )
    else:
        # Embedded here rather than inside the match (which would embed it all the same
        # when the index has exemplars) so that the semantic cache can reuse it.
        queries = (
            state.intents.embed_query(texts[own_words].text)
            if custom is not None or state.intents.size
            else None
        )
        scored = state.intents.match_scored(
            texts[own_words].text, queries, tenant=request.principal.tenant
        )
    if custom is not None and queries is not None:
        phase("custom_threats")
        vectors = {
            key: queries if key == own_words else state.intents.embed_query(text.text)
            for key, text in scanned.items()
            if text.text
        }
        lengths = {key: scanned[key].original_length for key in vectors}
        threats = _join(threats, custom, custom.assess(vectors, lengths))
    return Analysis(
        intent=scored.match,
        texts=texts,
        detections=detections,
        injected=injected,
        threats=threats,
        intent_similarities={s.intent_id: s.similarity for s in scored.scores},
        signal_weights=scored.weights,
        intent_thresholds=scored.script_thresholds,
        prompt_vectors=queries,
        prompt_segment=own_words if queries is not None else None,
    )


def _join(
    shipped: ThreatAssessment | None,
    custom: CustomThreatHeads,
    found: dict[str, dict[str, ThreatFinding]],
) -> ThreatAssessment:
    """One assessment for policies to read: the detector's heads and the custom ones
    (their ids never collide: loaders.spec refuses a category named like a head)."""
    if shipped is None:
        return ThreatAssessment(custom.version, found)
    segments = {key: dict(heads) for key, heads in shipped.segments.items()}
    for key, heads in found.items():
        segments.setdefault(key, {}).update(heads)
    return ThreatAssessment(f"{shipped.detector_version}+{custom.version}", segments)


def _conversation(
    request: DecisionRequest, texts: Mapping[str, NormalizedText]
) -> Conversation | None:
    """What the conversation heads read, when there is a conversation: a system prompt to
    read the last turn against, or more than one user turn. A lone message is the
    per-segment detector's alone (the conversation model never saw one)."""
    roles = [m.role for m in request.messages]
    if not any(r in ("system", "developer") for r in roles) and roles.count("user") < 2:
        return None
    messages = [
        (m.role, message_key(i), texts[message_key(i)].text) for i, m in enumerate(request.messages)
    ]
    return conversation_of(messages, [context_key(item.id) for item in request.context])


def _intent_segment(request: DecisionRequest) -> str:
    """The caller's own words: the last user message (else the last message)."""
    for index in range(len(request.messages) - 1, -1, -1):
        if request.messages[index].role == "user":
            return message_key(index)
    return message_key(len(request.messages) - 1)
