"""Recognizers built from a PolicySet's `detection:` settings (engine.detection_config).

- `ConfiguredRecognizer`: one configured pattern, with its check digit and context words.
- `InvalidSsnRecognizer`, `InvalidCardRecognizer`: what the built-in SSN and card
  recognizers throw away but a firewall should still redact when the settings say
  `invalid_numbers: redact`: SSN-shaped numbers Presidio calls invalid (published
  samples such as 123-45-6789, areas 000 and 666, zero groups) and 16-digit
  card-shaped numbers (a card brand's first digit, four groups of four) that fail Luhn.
  Both report only what the strict recognizer rejected, at `INVALID_NUMBER_SCORE`.
- `ValueListRecognizer`: the literal values of deny lists, as whole words.

All are built once per snapshot (patterns compiled here, never per request).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import regex

from engine.checksums import CHECKSUMS, luhn
from engine.detection_config import (
    INVALID_NUMBER_SCORE,
    InvalidNumbers,
    RecognizerConfig,
    ValueList,
)
from engine.lean_imports import HEAVY, without
from engine.recognizers import CodeRecognizer, UsSsnNumberRecognizer, recognizer_result

with without(*HEAVY):
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.nlp_engine import NlpArtifacts

__all__ = [
    "ConfiguredRecognizer",
    "InvalidCardRecognizer",
    "InvalidSsnRecognizer",
    "ValueListRecognizer",
]


class ConfiguredRecognizer(CodeRecognizer):
    """A pattern of the enterprise's own for one entity type.

    A match scores the configured score (raised by a context word nearby, as for
    every recognizer with context); with a check digit, a match that passes scores
    1.0, like Presidio's validated patterns, and one that fails is kept at
    INVALID_NUMBER_SCORE or dropped, as `invalid_numbers` says. Patterns are
    case-sensitive (write ``(?i)`` to ignore case), with ^ and $ at line boundaries.
    """

    def __init__(self, config: RecognizerConfig, invalid_numbers: InvalidNumbers) -> None:
        self.config = config
        self._pattern = regex.compile(config.pattern, regex.MULTILINE)
        self._validator = CHECKSUMS.get(config.validator)
        self._keep_invalid = (config.invalid_numbers or invalid_numbers) is InvalidNumbers.REDACT
        super().__init__(config.entity_type, context=config.context or None)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for match in self._pattern.finditer(text):
            if match.end() == match.start():
                continue
            score = self.config.score
            if self._validator is not None:
                if self._validator(match.group()):
                    score = 1.0
                elif self._keep_invalid:
                    score = INVALID_NUMBER_SCORE
                else:
                    continue
            results.append(
                recognizer_result(self, self.config.entity_type, match.start(), match.end(), score)
            )
        return results


class InvalidSsnRecognizer(CodeRecognizer):
    """SSN-shaped numbers (three, two and four digits, one separator throughout) that
    the strict US_SSN recognizer rejects, except areas 9xx: those are ITINs, another
    identifier, not a mistyped SSN (bench/detection.py counts them as no SSN)."""

    _SHAPE = re.compile(r"(?<![\w\-.])\d{3}([\- .])\d{2}\1\d{4}(?![\w]|[\-.]\d)")

    def __init__(self) -> None:
        self._strict = UsSsnNumberRecognizer()
        super().__init__("US_SSN")  # no context boost: it stays the lower-confidence reading

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            recognizer_result(self, "US_SSN", *match.span(), INVALID_NUMBER_SCORE)
            for match in self._SHAPE.finditer(text)
            if not match.group().startswith("9") and self._strict.invalidate_result(match.group())
        ]


class InvalidCardRecognizer(CodeRecognizer):
    """16-digit numbers printed like a card (a brand's first digit 2-6, four groups of four,
    one separator or none) whose Luhn check fails: a mistyped or test card is still a card."""

    _SHAPE = re.compile(r"(?<![\w\-.])[2-6]\d{3}([\- ]?)\d{4}\1\d{4}\1\d{4}(?![\w]|[\- .]\d)")
    # "DE89 3704 0044 0532 0130 01": the digits of an IBAN are not a card.
    _IBAN_HEAD = re.compile(r"[A-Z]{2}\d{2}[ \-]?\Z")

    def __init__(self) -> None:
        super().__init__("CREDIT_CARD")  # no context boost: it stays the lower-confidence reading

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            recognizer_result(self, "CREDIT_CARD", *match.span(), INVALID_NUMBER_SCORE)
            for match in self._SHAPE.finditer(text)
            if not luhn(match.group())
            and not self._IBAN_HEAD.search(text, max(0, match.start() - 5), match.start())
        ]


class ValueListRecognizer(CodeRecognizer):
    """The values of deny lists for one entity type, case-insensitive, as whole words,
    always reported (score 1.0). Longer values are tried first, so "Project Blue Bird"
    wins over "Blue Bird"."""

    def __init__(self, entity_type: str, lists: Sequence[ValueList]) -> None:
        values = sorted({v for vl in lists for v in vl.values}, key=lambda v: (-len(v), v))
        self._pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(v) for v in values) + r")(?!\w)", re.IGNORECASE
        )
        super().__init__(entity_type)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            recognizer_result(self, self.supported_entities[0], *match.span(), 1.0)
            for match in self._pattern.finditer(text)
        ]
