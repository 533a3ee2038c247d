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

from engine.normalize import NormalizedText
from engine.threats.model import DEFAULT_ARTIFACT, ThreatModel
from engine.threats.spelling import respelled_view
from engine.views import TextView, text_views

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

    def __init__(self, model: ThreatModel, views: ViewFn = default_views) -> None:
        self.model = model
        self.version = model.version
        self._views = views

    @classmethod
    def shipped(cls) -> ThreatDetector:
        """The model shipped in the package, scanning every view engine.views offers."""
        return cls(ThreatModel.load(DEFAULT_ARTIFACT))

    def assess(self, segments: Mapping[str, NormalizedText]) -> ThreatAssessment:
        return ThreatAssessment(
            self.version,
            {key: self.assess_text(key, text) for key, text in segments.items() if text.text},
        )

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
