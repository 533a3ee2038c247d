"""Output filtering: the request's detection and label actions, applied to the answer.

Pure: no I/O, no clock. The gateway builds one `OutputFilter` per request from
the decision (`OutputRules.for_decision`) and the snapshot's `Detector`, and
then either filters a whole answer (`OutputFilter.filter`) or a streamed one
(`StreamFilter`, chunk by chunk).

For each entity detected in the (normalized) answer, its labels are the labels
its entity type indicates plus their ancestors. If any of them is in the
decision's answer blocks, the whole answer is withheld (`Blocked`, with a short
notice naming the policy). Otherwise the most restrictive label action among
them rewrites the span with `engine.redact.redact`, in the model's own
characters (detection runs on normalized text, offsets are mapped back).
Pseudonyms made for the request are restored last, so the caller reads the
values they sent. A value the model writes in clear gets the same per-caller
pseudonym the request would have given it: restored if the caller sent that
value in this request, left as a pseudonym otherwise. The request's own
placeholders are never themselves filtered.

Streaming holds back a tail of the answer (`hold`, 256 characters by default,
longer than any entity the detectors know apart from PEM blocks) and only emits
text that no later chunk can change the meaning of: the cut never falls inside a
detection (a detection touching the end of the held text keeps everything from
its start held, however long it grows) nor inside something that may become a
placeholder. The hold counts normalized characters too, so characters that
normalization removes (NUL, ESC, zero-width spaces...) cannot pad a value past
it. Already emitted text stays in a look-behind window, so context words
("phone:") still count for entities right after the cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from engine.decision import Decision
from engine.model import Detection, Effect, Restrictiveness, Snapshot
from engine.normalize import NormalizedText, normalize
from engine.redact import PLACEHOLDER_PATTERN, Choice, Replacement, redact, restore

__all__ = [
    "DEFAULT_HOLD_CHARS",
    "DEFAULT_STEP_CHARS",
    "Blocked",
    "Detects",
    "Filtered",
    "Found",
    "OutputFilter",
    "OutputRules",
    "StreamFilter",
]

DEFAULT_HOLD_CHARS = 256
"""Characters a stream holds back: longer than the entities the detectors know."""

DEFAULT_STEP_CHARS = 64
"""Held characters beyond `hold` before a stream emits: detection runs once per step."""

_LONGEST_PLACEHOLDER = 80  # "<" + entity type + "_" + up to 64 hex + ">"


class Detects(Protocol):
    """What the filter needs of `engine.detect.Detector`."""

    def detect(self, text: str, tenant: str | None = None) -> tuple[Detection, ...]: ...


@dataclass(frozen=True, slots=True)
class OutputRules:
    """What to do with each label in an answer, and which labels block it."""

    actions: Mapping[str, tuple[Effect, str]]  # label -> (action, policy id)
    blocks: Mapping[str, str]  # label -> policy id
    entity_labels: Mapping[str, tuple[str, ...]]  # entity type -> labels and their ancestors

    @classmethod
    def for_decision(cls, decision: Decision, snapshot: Snapshot) -> OutputRules:
        blocks = dict(decision.output_blocks)
        for label in decision.block_output_labels:  # never weaker than the request's own blocks
            if label not in blocks:
                blocks[label] = next(
                    (p.id for p in snapshot.policies if p.block_output and label in p.governs),
                    "block_output",
                )
        return cls(
            actions={label: (effect, policy) for label, effect, policy in decision.label_actions},
            blocks=blocks,
            entity_labels=snapshot.entity_labels,
        )

    def action_for(self, labels: Iterable[str]) -> tuple[Effect, str, str] | None:
        """(action, governing label, policy id): the most restrictive over `labels`."""
        best: tuple[Effect, str, str] | None = None
        for label in labels:
            chosen = self.actions.get(label)
            if chosen and (
                best is None or Restrictiveness.of(chosen[0]) > Restrictiveness.of(best[0])
            ):
                best = (chosen[0], label, chosen[1])
        return best

    def block_for(self, labels: Iterable[str]) -> tuple[str, str] | None:
        """(label, policy id) of the first label that blocks an answer."""
        for label in labels:
            if label in self.blocks:
                return label, self.blocks[label]
        return None


@dataclass(frozen=True, slots=True)
class Blocked:
    """The answer was withheld: it held `entity_type`, labelled `label`."""

    label: str
    policy_id: str
    entity_type: str

    def notice(self) -> str:
        return (
            f"[govroute] The answer was withheld: it contained {self.label} data "
            f"({self.entity_type}), which policy {self.policy_id} does not allow in answers."
        )


@dataclass(frozen=True, slots=True)
class Found:
    """One detection in a text, in that text's own offsets, with its labels."""

    detection: Detection
    labels: tuple[str, ...]

    @property
    def start(self) -> int:
        return self.detection.start

    @property
    def end(self) -> int:
        return self.detection.end


@dataclass(frozen=True, slots=True)
class Filtered:
    """Text for the caller (filtered, pseudonyms restored), or a block."""

    text: str
    replacements: tuple[Replacement, ...] = ()
    blocked: Blocked | None = None


class OutputFilter:
    """Filters answers of one request. Holds no mutable state; share it freely.

    `tenant` is the caller's: the detection settings' deny and allow lists of that
    tenant apply to the answer as they did to the request (None: only the lists for
    every tenant)."""

    def __init__(
        self,
        detector: Detects,
        rules: OutputRules,
        *,
        key: bytes,
        caller_id: str,
        pseudonyms: Mapping[str, str] | None = None,
        tenant: str | None = None,
    ) -> None:
        self.detector = detector
        self.rules = rules
        self.tenant = tenant
        self._key = key
        self._caller_id = caller_id
        self._pseudonyms = dict(pseudonyms or {})

    def filter(self, text: str) -> Filtered:
        """A whole answer."""
        found = self.scan(text)
        blocked = self.blocked(found)
        if blocked:
            return Filtered(blocked.notice(), blocked=blocked)
        return self.rewrite(text, found)

    def scan(self, text: str) -> tuple[Found, ...]:
        """Detections in `text` (offsets into `text` itself), except the request's placeholders."""
        return self.scan_normalized(normalize(text), text) if text else ()

    def scan_normalized(self, normalized: NormalizedText, text: str) -> tuple[Found, ...]:
        """`scan`, given `normalize(text)` already."""
        own = [
            m.span() for m in PLACEHOLDER_PATTERN.finditer(text) if m.group() in self._pseudonyms
        ]
        found: list[Found] = []
        for d in self.detector.detect(normalized.text, self.tenant):
            start, end = normalized.to_original(d.start, d.end)
            if start >= end or any(s < end and start < e for s, e in own):
                continue
            detection = Detection(d.entity_type, start, end, d.score, text[start:end])
            found.append(Found(detection, self.rules.entity_labels.get(d.entity_type, ())))
        return tuple(found)

    def blocked(self, found: Iterable[Found]) -> Blocked | None:
        for f in found:
            hit = self.rules.block_for(f.labels)
            if hit:
                return Blocked(hit[0], hit[1], f.detection.entity_type)
        return None

    def rewrite(self, text: str, found: Iterable[Found]) -> Filtered:
        """Apply the label actions to `found` (offsets into `text`), then restore pseudonyms."""
        choices: list[Choice] = []
        for f in found:
            chosen = self.rules.action_for(f.labels)
            if chosen is not None:
                choices.append((f.detection, chosen[1], chosen[0]))
        result = redact(text, choices, key=self._key, caller_id=self._caller_id)
        return Filtered(restore(result.text, self._pseudonyms), result.replacements)


@dataclass(slots=True)
class StreamFilter:
    """Filters a streamed answer: feed chunks, then flush. See the module docstring.

    After a block, every later feed returns nothing: the caller ends the answer
    with the block's notice.
    """

    output: OutputFilter
    hold: int = DEFAULT_HOLD_CHARS
    step: int = DEFAULT_STEP_CHARS
    blocked: Blocked | None = None
    replacements: list[Replacement] = field(default_factory=list)
    _pending: str = ""  # model text not yet emitted
    _behind: str = ""  # model text already emitted, kept as detection context

    def feed(self, chunk: str) -> Filtered:
        if self.blocked:
            return Filtered("")
        self._pending += chunk
        if len(self._pending) < self.hold + self.step:
            return Filtered("")
        return self._emit(final=False)

    def flush(self) -> Filtered:
        if self.blocked:
            return Filtered("")
        return self._emit(final=True)

    def _emit(self, *, final: bool) -> Filtered:
        window = self._behind + self._pending
        offset = len(self._behind)
        normalized = normalize(window)
        found = [f for f in self.output.scan_normalized(normalized, window) if f.end > offset]
        blocked = self.output.blocked(found)
        if blocked:
            self.blocked = blocked
            self._pending = ""
            return Filtered("", blocked=blocked)
        cut = len(window) if final else self._safe_cut(window, normalized, offset, found)
        if cut <= offset:
            return Filtered("")
        piece = window[offset:cut]
        inside = [
            Found(_shifted(f.detection, offset, cut), f.labels)
            for f in found
            if f.start < cut  # never crosses the cut: _safe_cut moved it
        ]
        out = self.output.rewrite(piece, inside)
        self.replacements += out.replacements
        self._pending = window[cut:]
        self._behind = (self._behind + piece)[-self.hold :]
        return out

    def _safe_cut(
        self, window: str, normalized: NormalizedText, offset: int, found: list[Found]
    ) -> int:
        """The end of what may be emitted: only ever moves left, so it terminates.

        The hold counts characters of the normalized text as well as of the model's:
        a card padded with hundreds of removed control characters is still held
        whole until it can be read."""
        cut = len(window) - self.hold
        held_from = len(normalized.text) - self.hold
        if held_from <= 0:
            return 0
        cut = min(cut, normalized.to_original(held_from, held_from)[0])
        while True:
            before = cut
            for f in found:
                if f.start < cut < f.end:
                    cut = f.start
            opening = window.rfind("<", max(offset, cut - _LONGEST_PLACEHOLDER), cut)
            if opening >= 0 and ">" not in window[opening:cut]:
                cut = opening
            if cut == before:
                return cut


def _shifted(d: Detection, offset: int, cut: int) -> Detection:
    """`d` in the offsets of window[offset:cut], clipped to it."""
    start = max(d.start, offset) - offset
    end = min(d.end, cut) - offset
    return Detection(d.entity_type, start, end, d.score, d.text)
