"""Official and medical identifiers: Spanish DNI and NIE, passport numbers, medical
record numbers.

- NATIONAL_ID: a Spanish DNI (8 digits and a control letter) or NIE (X, Y or Z,
  7 digits and a control letter). The letter is the number mod 23 looked up in
  the Ministry of the Interior's table (NIE: X, Y, Z count as 0, 1, 2), so a
  random 8-digit-and-letter token passes one time in 23; a valid one scores 0.6,
  0.95 with a context word ("DNI", "NIE", "NIF", "documento"...).
- PASSPORT: passport numbers have no checksum worth the name and every country
  has its own shape, so only a number right after a passport word counts
  ("passport no. 533380006", "Reisepass: C01X00T47", "pasaporte PAA123456"): 6 to
  9 capital letters and digits, at least 5 of them digits.
- MEDICAL_RECORD_NUMBER: a number right after "MRN", "medical record (number)",
  "patient ID/number", "chart number" or "hospital number": 5 to 10 digits,
  optionally led by up to four capitals ("MRN: HX-4829103").

A number after one of these words is never also a phone number
(engine.recognizers.PhoneNumberRecognizer treats them as reference words).
"""

from __future__ import annotations

import re
from typing import ClassVar

from engine.lean_imports import HEAVY, without
from engine.recognizers import CodeRecognizer, recognizer_result

with without(*HEAVY):
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.nlp_engine import NlpArtifacts

__all__ = [
    "MedicalRecordNumberRecognizer",
    "PassportNumberRecognizer",
    "SpanishIdRecognizer",
    "spanish_id_is_valid",
]

_CONTROL_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
_NIE_PREFIX = {"X": "0", "Y": "1", "Z": "2"}


def spanish_id_is_valid(value: str) -> bool:
    """A DNI (``12345678Z``) or NIE (``X1234567L``) whose control letter matches;
    dots, spaces and dashes between the parts are ignored."""
    compact = re.sub(r"[\s.\-]", "", value).upper()
    if len(compact) != 9 or not compact[-1].isalpha():
        return False
    number = compact[:-1]
    if number[0] in _NIE_PREFIX:
        number = _NIE_PREFIX[number[0]] + number[1:]
    if not (number.isascii() and number.isdigit()):
        return False
    return _CONTROL_LETTERS[int(number) % 23] == compact[-1]


class SpanishIdRecognizer(CodeRecognizer):
    """Spanish DNI and NIE numbers with a valid control letter (entity NATIONAL_ID)."""

    SCORE = 0.6
    CONTEXT: ClassVar[list[str]] = [
        "dni", "nie", "nif", "documento", "identidad", "national", "identity", "extranjero",
    ]  # fmt: skip
    _CANDIDATE = re.compile(
        r"(?<![\w.\-/])(?:\d{8}|\d{2}\.\d{3}\.\d{3}|[XYZxyz][ \-]?\d{7})[ \-]?[A-Za-z](?![\w\-])"
    )

    def __init__(self) -> None:
        super().__init__("NATIONAL_ID", context=self.CONTEXT)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            recognizer_result(self, "NATIONAL_ID", match.start(), match.end(), self.SCORE)
            for match in self._CANDIDATE.finditer(text)
            if spanish_id_is_valid(match.group())
        ]


class _CuedNumberRecognizer(CodeRecognizer):
    """A number that only counts right after a cue word (`PATTERN`'s group 1)."""

    ENTITY: ClassVar[str]
    SCORE: ClassVar[float] = 0.85
    PATTERN: ClassVar[re.Pattern[str]]
    MIN_DIGITS: ClassVar[int]

    def __init__(self) -> None:
        super().__init__(self.ENTITY)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [
            recognizer_result(self, self.ENTITY, *match.span(1), self.SCORE)
            for match in self.PATTERN.finditer(text)
            if sum(ch.isdigit() for ch in match.group(1)) >= self.MIN_DIGITS
        ]


# Words that may stand between the cue and the number: "passport number is",
# "N° de passeport", "Reisepass-Nr.:", "número de pasaporte".
_FILLER = (
    r"(?:[ \t]*(?:[-:#]|(?i:number|numbers|no\.?|nr\.?|num\.?|n[°º]\.?|id|is|was|de|du|del"
    r"|número|numero|numéro|nummer)))*[ \t]*[:#]?[ \t]*"
)


class PassportNumberRecognizer(_CuedNumberRecognizer):
    """Passport numbers right after a passport word (entity PASSPORT)."""

    ENTITY = "PASSPORT"
    MIN_DIGITS = 5
    # "pass" alone is too common a word: only as "Pass-Nr." or "pass no." does it count.
    PATTERN = re.compile(
        r"(?i:\b(?:passport|pasaporte|passeport|reisepass|passaporto|passaporte|paspoort"
        r"|pass(?=[ \t]*-?[ \t]*(?:no\.|nr\b|number))))"
        rf"{_FILLER}(?<!\w)([A-Z0-9]{{6,9}})(?![\w\-])"
    )


class MedicalRecordNumberRecognizer(_CuedNumberRecognizer):
    """Medical record numbers right after an MRN cue (entity MEDICAL_RECORD_NUMBER)."""

    ENTITY = "MEDICAL_RECORD_NUMBER"
    MIN_DIGITS = 5
    PATTERN = re.compile(
        r"(?i:\b(?:mrn|medical[ \t]+record|patient[ \t]+(?:id|number|no\.?)|chart[ \t]+number"
        r"|hospital[ \t]+number))"
        rf"{_FILLER}(?<!\w)((?:[A-Z]{{1,4}}-?)?\d{{5,10}})(?![\w\-])"
    )
