"""Numbers written in pieces, read whole again for the recognizers that check them.

A card number, an IBAN or an SSN split with tabs, newlines, carriage returns,
dots or every two digits ("4111\\n1111\\n1111\\n1111", "44 54-79-45-11 39 09-33")
defeats recognizers whose patterns expect the usual groups. `normalize` has
already removed control and format characters and turned every script's digits
into ASCII; this module reads the normalized text two more ways, each with a map
back to it (a `NormalizedText` whose "original" is the normalized text):

- ``joined``: separator runs (one to three of space, tab, newline, CR, dot,
  dash) between two digits deleted, for the recognizers with a checksum (Luhn,
  mod 97, the DNI control letter): a checksum keeps ordinary numbers out. Only
  runs of digit groups with at least 7 digits in all are joined, and only when
  every inner group has two digits or more, so that lists and decimals in prose
  ("1.5 2.5 3.5", "1 2 3 4 5") stay apart.
- ``spaced``: the same runs with every separator run that is not a single space,
  dash or dot replaced by one space, for the recognizers without a checksum
  (phone numbers, SSNs), which keep their own shape rules: "536\\t90\\t4399"
  reads "536 90 4399", "+44\\r\\n20 7946 0958" reads "+44 20 7946 0958".

IBANs also split their letters ("GB 82 WE ST 12 34 ..."), which `joined` does not
touch (it would glue words to numbers). `SeparatedIbanRecognizer` reads them on
the normalized text itself: a country code, then letters and digits with up to
three separator characters between any two, compacted and checked against
Presidio's per-country format and mod 97, the longest valid prefix winning.

Pure, no I/O; offsets of every detection end up in the normalized text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import ClassVar

from engine.lean_imports import HEAVY, without
from engine.normalize import NormalizedText, apply_edits
from engine.recognizers import CodeRecognizer, recognizer_result

with without(*HEAVY):
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from presidio_analyzer.predefined_recognizers import IbanRecognizer

__all__ = [
    "JOINED",
    "SPACED",
    "DigitView",
    "DigitViews",
    "SeparatedIbanRecognizer",
    "digit_views",
]

JOINED = "joined"
SPACED = "spaced"

_SEPARATOR = "[ \\t\\n\\r.\\-]"
_SPLIT_RUN = re.compile(rf"\d+(?:{_SEPARATOR}{{1,3}}\d+)+")
_SEPARATOR_RUN = re.compile(rf"{_SEPARATOR}+")
_PLAIN_SEPARATORS = frozenset({" ", "-", "."})
_MIN_DIGITS = 7  # the shortest number any recognizer here reads (a national phone number)
# Characters around a rewritten run that recognizers look at: a card's word boundary,
# the IBAN head a card must not follow, the reference word a phone must not follow.
_MARGIN_BEFORE = 48
_MARGIN_AFTER = 8


@dataclass(frozen=True, slots=True)
class DigitView:
    """One reading: its text with the map back (`view.to_original`), and the
    windows of it that differ from the text read (with margins), where
    recognizers need to run again; elsewhere they would find what they found."""

    view: NormalizedText
    windows: tuple[tuple[int, int], ...]

    @property
    def text(self) -> str:
        return self.view.text


@dataclass(frozen=True, slots=True)
class DigitViews:
    """The views of one normalized text that differ from it (None when identical)."""

    joined: DigitView | None = None
    spaced: DigitView | None = None

    def get(self, name: str) -> DigitView | None:
        return self.joined if name == JOINED else self.spaced if name == SPACED else None


_NO_VIEWS = DigitViews()


def digit_views(text: str) -> DigitViews:
    """The joined and spaced views of `text` (normalized); see the module docstring."""
    joined: list[tuple[int, int, str]] = []  # (start, end, replacement) in `text`
    spaced: list[tuple[int, int, str]] = []
    joined_runs: list[tuple[int, int]] = []
    spaced_runs: list[tuple[int, int]] = []
    for run in _SPLIT_RUN.finditer(text):
        body = run.group()
        separators = list(_SEPARATOR_RUN.finditer(body))
        groups = _SEPARATOR_RUN.split(body)
        if sum(map(len, groups)) < _MIN_DIGITS:
            continue
        base = run.start()
        if all(len(group) >= 2 for group in groups[1:-1]):
            joined.extend((base + s.start(), base + s.end(), "") for s in separators)
            joined_runs.append(run.span())
        odd = [s for s in separators if s.group() not in _PLAIN_SEPARATORS]
        if odd:
            spaced.extend((base + s.start(), base + s.end(), " ") for s in odd)
            spaced_runs.append(run.span())
    if not joined and not spaced:
        return _NO_VIEWS
    return DigitViews(_view(text, joined, joined_runs), _view(text, spaced, spaced_runs))


def _view(
    text: str, edits: list[tuple[int, int, str]], runs: list[tuple[int, int]]
) -> DigitView | None:
    """`text` with each span of `edits` (sorted, disjoint) replaced, the map back, and
    the windows around `runs` (spans of `text`) in the view's offsets."""
    if not edits:
        return None
    edited, origins, ends = apply_edits(text, edits)
    view = NormalizedText(edited, len(text), origins, ends)
    windows: list[tuple[int, int]] = []
    for run_start, run_end in runs:
        low = max(0, bisect_left(origins, run_start) - _MARGIN_BEFORE)
        high = min(len(view.text), bisect_left(origins, run_end) + _MARGIN_AFTER)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return DigitView(view, tuple(windows))


class SeparatedIbanRecognizer(CodeRecognizer):
    """IBANs whatever their grouping: "DE 89 37 04 ...", "GB82\\nWEST\\n1234 ..."."""

    SCORE = 1.0  # checked like Presidio's IBAN recognizer, which scores a valid one 1.0
    _CANDIDATE = re.compile(rf"(?<![A-Za-z0-9])[A-Z]{{2}}(?:{_SEPARATOR}{{0,3}}[A-Z0-9]){{13,32}}")
    _ALNUM = re.compile(r"[A-Z0-9]")
    PREFILTER: ClassVar[re.Pattern[str]] = re.compile(
        rf"[A-Z]{{2}}{_SEPARATOR}{{0,3}}\d{_SEPARATOR}{{0,3}}\d"
    )

    def __init__(self) -> None:
        super().__init__("IBAN_CODE")
        self._checker = IbanRecognizer()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for match in self._CANDIDATE.finditer(text):
            positions = [m.start() for m in self._ALNUM.finditer(match.group())]
            compact = "".join(match.group()[i] for i in positions)
            if not compact[2:4].isdigit():
                continue
            for length in range(len(compact), 14, -1):
                if self._checker.validate_result(compact[:length]):
                    end = match.start() + positions[length - 1] + 1
                    results.append(
                        recognizer_result(self, "IBAN_CODE", match.start(), end, self.SCORE)
                    )
                    break
        return results
