"""The threat stage: every segment a request would send, every view of it, every head.

`ThreatDetector.assess(segments)` scores each normalized segment (user and
assistant messages, context items; never the operator's system prompt, which
is not an attack on itself) with the trained model, on the text and on each
view that undoes a spelling game (engine.views: spaced letters re-joined,
ROT13, base64, look-alikes...; engine.threats.spelling: typos read as the
model's own vocabulary). A head's verdict for a segment is its maximum
over views: an attacker gains nothing by encoding. Spans are mapped back to
the caller's original offsets, so a decision can show what drove a score.

The stage decides nothing: policies name heads and thresholds
(`applies_to.threats`), and the core compares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.normalize import NormalizedText, normalize
from engine.threats.model import DEFAULT_ARTIFACT, ThreatModel
from engine.threats.spelling import respelled_view
from engine.views import TextView, text_views

if TYPE_CHECKING:  # conversation.py builds on ThreatFinding, defined here
    from engine.threats.conversation import Conversation, ConversationModel

__all__ = ["ThreatAssessment", "ThreatDetector", "ThreatFinding", "ViewFn", "default_views"]


@dataclass(frozen=True, slots=True)
class ThreatFinding:
    """One head's best score in one segment, and where it came from."""

    head: str
    score: float
    segment: str
    view: str  # "text", or the name of the view that scored highest
    start: int  # span in the segment's original text
    end: int


@dataclass(frozen=True, slots=True)
class ThreatAssessment:
    detector_version: str
    # segment key -> head -> finding
    segments: Mapping[str, Mapping[str, ThreatFinding]]

    def best(self, keys: Sequence[str] | None = None) -> dict[str, ThreatFinding]:
        """Per head, the highest-scoring finding over `keys` (all segments when None)."""
        out: dict[str, ThreatFinding] = {}
        for key in self.segments if keys is None else keys:
            for head, finding in self.segments.get(key, {}).items():
                if head not in out or finding.score > out[head].score:
                    out[head] = finding
        return out


ViewFn = Callable[[str], Sequence[TextView]]


def default_views(text: str) -> Sequence[TextView]:
    """Every plausible decoded reading of the text (engine.views)."""
    return text_views(text)


class ThreatDetector:
    """The model plus the views it scans; immutable, shared between requests."""

    def __init__(
        self,
        model: ThreatModel,
        views: ViewFn = default_views,
        conversation: ConversationModel | None = None,
    ) -> None:
        self.model = model
        self.conversation = conversation
        # Both models' versions: a decision's provenance says which pair scored it.
        self.version = (
            model.version if conversation is None else f"{model.version}+{conversation.version}"
        )
        self._views = views

    @classmethod
    def shipped(cls) -> ThreatDetector:
        """The models shipped in the package (per segment, and the conversation's),
        scanning every view engine.views offers."""
        from engine.threats.conversation import ConversationModel

        return cls(ThreatModel.load(DEFAULT_ARTIFACT), conversation=ConversationModel.load())

    def assess(
        self,
        segments: Mapping[str, NormalizedText],
        conversation: Conversation | None = None,
    ) -> ThreatAssessment:
        """Every segment's heads; and, given the request's conversation and a conversation
        model, the conversation heads under engine.threats.conversation's segment key."""
        found = {key: self.assess_text(key, text) for key, text in segments.items() if text.text}
        if self.conversation is not None and conversation is not None:
            from engine.threats.conversation import CONVERSATION_SEGMENT, conversation_features

            scores = {key: {h: f.score for h, f in heads.items()} for key, heads in found.items()}
            values = conversation_features(conversation, scores, self._scores_of)
            found[CONVERSATION_SEGMENT] = self.conversation.score(values)
        return ThreatAssessment(self.version, found)

    def _scores_of(self, text: str) -> dict[str, float]:
        """Head -> score for a text that is no segment of its own (the joined user turns)."""
        return {h: f.score for h, f in self.assess_text("conversation", normalize(text)).items()}

    def assess_text(self, key: str, normalized: NormalizedText) -> dict[str, ThreatFinding]:
        best: dict[str, ThreatFinding] = {}
        candidates: list[tuple[str, str, Callable[[int, int], tuple[int, int]]]] = [
            ("text", normalized.text, _identity)
        ]
        views = list(self._views(normalized.text))
        respelled = respelled_view(normalized.text, self.model.lexicon)
        if respelled is not None:
            views.append(respelled)
        candidates += [(v.name, v.text, v.to_input) for v in views]
        for name, text, to_input in candidates:
            for score in self.model.score(text):
                current = best.get(score.head)
                if current is not None and score.probability <= current.score:
                    continue
                start, end = normalized.to_original(*to_input(score.start, score.end))
                best[score.head] = ThreatFinding(
                    score.head, score.probability, key, name, start, end
                )
        return best


def _identity(start: int, end: int) -> tuple[int, int]:
    return start, end
