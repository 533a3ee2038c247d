"""The compute around the core: normalize every text, detect entities, match the intent.

Deterministic and free of I/O, but not cheap: this is where a decision spends
its time (the embedding above all), so each text is normalized and scanned once.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.decide import Analysis, Phase, context_key, message_key, no_phase
from engine.detect import Detector
from engine.intent import IntentIndex
from engine.model import DecisionRequest, Snapshot
from engine.normalize import normalize
from engine.signals import DEFAULT_SIGNALS, scan
from engine.threats.detector import ThreatDetector

# Retrieved text that tries to steer the model; a document may legitimately talk about
# "all customers" or carry base64, so only instruction-like signals count there.
INDIRECT_INJECTION_SIGNALS = frozenset(
    {
        "override_instructions",
        "system_prompt_extraction",
        "persona_jailbreak",
        "developer_mode",
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


def analyze(request: DecisionRequest, state: EngineState, *, phase: Phase = no_phase) -> Analysis:
    phase("detection")
    texts = {message_key(i): normalize(m.content) for i, m in enumerate(request.messages)}
    texts |= {context_key(item.id): normalize(item.text) for item in request.context}
    detections = {key: state.detector.detect(text.text) for key, text in texts.items() if text.text}
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
    if state.threats is not None:
        phase("threats")
        # The operator's system prompt is not an attack on itself.
        scanned = {
            key: text
            for key, text in texts.items()
            if not (key.startswith("messages[") and _role(request, key) == "system")
        }
        threats = state.threats.assess(scanned)
    phase("intent")
    intent = state.intents.match(texts[_intent_segment(request)].text)
    return Analysis(
        intent=intent,
        texts=texts,
        detections=detections,
        injected=injected,
        threats=threats,
    )


def _role(request: DecisionRequest, key: str) -> str:
    return request.messages[int(key[len("messages[") : -1])].role


def _intent_segment(request: DecisionRequest) -> str:
    """The caller's own words: the last user message (else the last message)."""
    for index in range(len(request.messages) - 1, -1, -1):
        if request.messages[index].role == "user":
            return message_key(index)
    return message_key(len(request.messages) - 1)
