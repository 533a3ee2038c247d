"""Sensitive-entity detection on normalized text, with Presidio, fully offline.

A `Detector` is built once per snapshot from its `EntityTypeSpec`s and then
only reads: `detect(text)` returns frozen `Detection`s, deterministic, sorted by
position, without overlaps.

- Built-in entity ids map to recognizers: EMAIL_ADDRESS, CREDIT_CARD (Luhn),
  IBAN_CODE (checksum), US_SSN and IP_ADDRESS are Presidio's (cards with
  Mastercard's 2-series and not inside longer dash-joined numbers, IPv4 not
  inside longer dotted numbers such as OIDs, SSNs without the 9xx areas);
  PHONE_NUMBER, PERSON and API_KEY are ours (see below). Entity types the graph
  does not declare are not looked for.
- An entity type with a `recognizer` becomes a Presidio `PatternRecognizer` with
  its patterns, context words and validator (luhn, iban, mod97).
- Nothing touches the network: Presidio's email recognizer validates domains
  with tldextract, which fetches the public-suffix list on first use; ours uses
  an injected `TLDExtract` reading the snapshot bundled with the package.
- No spaCy model is loaded: en_core_web_lg is not installable here. Context
  words are matched against the lower-cased words before a match, which is what
  Presidio's lemma enhancer does with a blank pipeline. PERSON therefore has no
  NER: `PersonNameRecognizer` works from cues (honorifics, "my name is", "Dear",
  signatures) and a curated gazetteer (engine/data/); docs/detection.md gives its
  measured recall.
- Speed: `detect` calls the recognizers directly (no NLP pass, no Presidio
  context enhancer): each `Stage` has a cheap prefilter, and the email and IP
  recognizers run only on candidate windows found with the standard `re`
  module. Presidio's phone recognizer (phonenumbers' matcher over the whole
  text, once per region) is replaced by candidate digit runs checked against
  region metadata, and secrets written as assignments are anchored on the
  assignment operator. The same recognizers also run through Presidio's
  `AnalyzerEngine` with a blank spaCy pipeline (`detect_with_analyzer`): the
  tests check both agree, and bench/detect_speed.py compares their speed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, ClassVar, cast

import phonenumbers
import tldextract

from engine.lean_imports import HEAVY, without

with without(*HEAVY):
    import spacy
    from presidio_analyzer import (
        AnalysisExplanation,
        AnalyzerEngine,
        EntityRecognizer,
        Pattern,
        PatternRecognizer,
        RecognizerRegistry,
        RecognizerResult,
    )
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IbanRecognizer,
        IpRecognizer,
        UsSsnRecognizer,
    )
    from spacy.lang.en.stop_words import STOP_WORDS

from engine.errors import InvalidPolicyData, Problem
from engine.model import Detection, EntityTypeSpec, RecognizerSpec

__all__ = [
    "BUILTIN_ENTITY_TYPES",
    "DEFAULT_MIN_SCORE",
    "AssignedSecretRecognizer",
    "BlankEnglishNlpEngine",
    "CardNumberRecognizer",
    "Detection",
    "Detector",
    "GraphPatternRecognizer",
    "IpAddressRecognizer",
    "PersonNameRecognizer",
    "PhoneNumberRecognizer",
    "PrivateKeyBlockRecognizer",
    "SecretTokenRecognizer",
    "Stage",
    "UsSsnNumberRecognizer",
    "offline_suffix_extractor",
    "resolve_overlaps",
    "validate_iban",
    "validate_luhn",
    "validate_mod97",
]

DEFAULT_MIN_SCORE = 0.4
"""Results below this score are dropped: weak patterns need a context word."""

_CONTEXT_WINDOW_WORDS = 5
_CONTEXT_BOOST = 0.35
_CONTEXT_FLOOR = 0.4


# --------------------------------------------------------------------------- phone


class PhoneNumberRecognizer(EntityRecognizer):
    """Phone numbers: candidate digit runs, validated with phonenumbers metadata.

    Presidio's recognizer runs phonenumbers' matcher over the whole text once per
    region (2-6 ms per 1,000 characters). Here a regex finds the few runs of
    digits and separators that could be a number, and each is checked as an
    international number (leading + or 00) or as a national number of the
    supported regions, which costs a few microseconds per region.
    """

    SCORE = 0.4
    CONTEXT: ClassVar[list[str]] = [
        "phone", "telephone", "tel", "mobile", "cell", "contact", "fax", "whatsapp", "number",
    ]  # fmt: skip
    REGIONS = ("US", "CA", "GB", "DE", "FR", "IL", "IN", "BR")

    _CANDIDATE = re.compile(
        r"(?<![\w.+\-/@])(?:\+|00)?\(?\d[\d \t().\-/]{5,22}\d(?![\w@]|[.\-/:]\d)"
    )
    _NOT_PHONE = re.compile(
        r"\d{3}-\d{2}-\d{4}"  # SSN shape
        r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"  # dates
        r"|\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"  # IPv4
        r"|\d{1,2}\.\d{1,2}\.\d{1,2}(?:\.\d{1,5})?"  # versions: 2.9.2, 4.19.0.1107
        r"|(?:19|20)\d{2}/\d{3,}"  # year-led references: invoice 2024/80543
    )
    _NON_DIGIT = re.compile(r"\D")
    # A number right after one of these words is a reference, whatever its shape:
    # "PO 4500905023", "Ticket 2853-3599-21", "order no. 5581230987".
    _ID_CUES = frozenset({
        "ticket", "case", "po", "order", "invoice", "ref", "reference", "booking", "tracking",
        "claim", "isbn", "receipt", "confirmation", "transaction", "txn", "incident",
        "shipment", "parcel", "serial", "sku",
    })  # fmt: skip
    _CUE_FILLERS = frozenset({"number", "no", "nr", "id", "num"})
    _WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s.:#]*$")

    def __init__(self, regions: Sequence[str] = REGIONS) -> None:
        self._regions = tuple(
            (region, phonenumbers.country_code_for_region(region)) for region in regions
        )
        super().__init__(
            supported_entities=["PHONE_NUMBER"],
            name="PhoneNumberRecognizer",
            context=list(self.CONTEXT),
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for match in self._CANDIDATE.finditer(text):
            if self._is_phone_number(match.group()) and not self._after_id_cue(text, match.start()):
                results.append(
                    _result(self, "PHONE_NUMBER", match.start(), match.end(), self.SCORE)
                )
        return results

    def _after_id_cue(self, text: str, start: int) -> bool:
        """True when the words right before `start` label a reference ("order no.")."""
        end = start
        for _ in range(2):  # the cue, or the cue and a filler such as "number"
            found = self._WORD_BEFORE.search(text, max(0, end - 40), end)
            if found is None:
                return False
            word = found.group(1).lower()
            if word in self._ID_CUES:
                return True
            if word not in self._CUE_FILLERS:
                return False
            end = found.start()
        return False

    def _is_phone_number(self, candidate: str) -> bool:
        if self._NOT_PHONE.fullmatch(candidate):
            return False
        digits = self._NON_DIGIT.sub("", candidate)
        if candidate.startswith(("+", "00")):
            international = "+" + (digits[2:] if candidate.startswith("00") else digits)
            try:
                number = phonenumbers.parse(international, None)
            except phonenumbers.NumberParseException:
                return False
            return bool(phonenumbers.is_valid_number(number))
        if not 7 <= len(digits) <= 13:
            return False
        if len(digits) < 10 and not self._NON_DIGIT.search(candidate):
            return False  # a bare short digit run is an id far more often than a phone
        for region, country_code in self._regions:
            national = digits
            if country_code == 1:
                if len(national) == 11 and national.startswith("1"):
                    national = national[1:]
            elif national.startswith("0"):
                national = national[1:]  # trunk prefix
            if not national or national.startswith("0"):
                continue
            number = phonenumbers.PhoneNumber(
                country_code=country_code, national_number=int(national)
            )
            if phonenumbers.is_valid_number_for_region(number, region):
                return True
        return False


# --------------------------------------------------------------------------- secrets


class SecretTokenRecognizer(PatternRecognizer):
    """Credentials whose vendor prefix gives them away: OpenAI, AWS, GitHub, Slack..."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern("openai", r"\bsk-(?:proj-|svcacct-|admin-|ant-)?[A-Za-z0-9_\-]{20,}", 0.95),
        Pattern(
            "aws_access_key_id",
            r"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b",
            0.95,
        ),
        Pattern("github", r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b", 0.95),
        Pattern("github_pat", r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b", 0.95),
        Pattern("slack", r"\bxox[abposr]-[A-Za-z0-9\-]{10,}", 0.95),
        Pattern(
            "slack_webhook",
            r"https://hooks\.slack\.com/services/[A-Za-z0-9_/]{20,}",
            0.95,
        ),
        Pattern("google_api_key", r"\bAIza[0-9A-Za-z_\-]{35}\b", 0.9),
        Pattern("stripe", r"\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{16,}\b", 0.95),
        Pattern(
            "jwt", r"\beyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,}", 0.85
        ),
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="API_KEY",
            name="SecretTokenRecognizer",
            patterns=list(self.PATTERNS),
            global_regex_flags=re.MULTILINE,  # case matters: AKIA, ghp_
        )


def _shannon_entropy(value: str) -> float:
    counts: dict[str, int] = {}
    for ch in value:
        counts[ch] = counts.get(ch, 0) + 1
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def _looks_random(value: str) -> bool:
    """Entropy >= 3.5 bits per character, or >= 3.0 with both digits and letters."""
    entropy = _shannon_entropy(value)
    has_digit = any(ch.isdigit() for ch in value)
    has_alpha = any(ch.isalpha() for ch in value)
    return entropy >= 3.5 or (entropy >= 3.0 and has_digit and has_alpha)


class AssignedSecretRecognizer(EntityRecognizer):
    """Secrets written as assignments: ``api_key = "..."``, ``password: ...``.

    Anchored on the assignment operators, which are rare in prose: for each, the
    name before it is checked (lower-cased, so no case-insensitive regex scans
    the whole text) and the value after it is the span. Key-like names
    (api_key, client_secret, token, authorization...) need a random-looking
    value of 16+ characters, scored 0.9; password-like names take any value of
    6+ characters, scored 0.7.
    """

    _OPERATOR = re.compile(r"=>|:=|[:=]")
    _KEY_NAME = re.compile(
        r"(?<![a-z0-9])(?:api[_\-]?key|apikey|api[_\-]?secret|api[_\-]?token|secret[_\-]?key"
        r"|client[_\-]?secret|access[_\-]?token|auth[_\-]?token|refresh[_\-]?token"
        r"|access[_\-]?key(?:[_\-]?id)?|secret[_\-]?access[_\-]?key|private[_\-]?key"
        r"|signing[_\-]?key|authorization|token|secret)[a-z0-9_\-]*[\"']?[ \t]*\Z"
    )
    _PASSWORD_NAME = re.compile(
        r"(?<![a-z0-9])(?:password|passwd|passphrase|pwd|pass)[a-z0-9_\-]*[\"']?[ \t]*\Z"
    )
    _KEY_VALUE = re.compile(
        r"[ \t]*[\"'`]?(?:(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken)[ \t]+)?"
        r"([A-Za-z0-9_\-+/=.~]{16,})"
    )
    _PASSWORD_VALUE = re.compile(r"[ \t]*[\"'`]?([^\s\"'`,;]{6,128})")
    _MASKED = re.compile(r"[*\u2022\u00b7xX#.]+")  # "********": a password field, not a password

    def __init__(self) -> None:
        super().__init__(supported_entities=["API_KEY"], name="AssignedSecretRecognizer")

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lower-case to two
            lowered = "".join(ch.lower()[0] for ch in text)
        results = []
        for operator in self._OPERATOR.finditer(text):
            start, end = operator.span()
            name_from = max(0, start - 48)
            if self._KEY_NAME.search(lowered, name_from, start):
                value = self._KEY_VALUE.match(text, end)
                if value and _looks_random(value.group(1)):
                    results.append(_result(self, "API_KEY", *value.span(1), 0.9))
            elif self._PASSWORD_NAME.search(lowered, name_from, start):
                value = self._PASSWORD_VALUE.match(text, end)
                if value and not self._MASKED.fullmatch(value.group(1)):
                    results.append(_result(self, "API_KEY", *value.span(1), 0.7))
        return results


class PrivateKeyBlockRecognizer(PatternRecognizer):
    """PEM private key blocks, to the END line, or through the base64 lines of a
    block pasted without it."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "pem_private_key",
            r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r"(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
            r"|(?:\s*(?:[A-Za-z0-9+/=]{8,}|[A-Za-z\-]+:[^\n]*))*)",
            1.0,
        )
    ]

    def __init__(self) -> None:
        super().__init__(
            supported_entity="API_KEY",
            name="PrivateKeyBlockRecognizer",
            patterns=list(self.PATTERNS),
            global_regex_flags=0,
        )


# --------------------------------------------------------------------------- card, ip, ssn


class CardNumberRecognizer(CreditCardRecognizer):
    """Presidio's card recognizer (pattern and Luhn), plus Mastercard's 2-series BINs
    (2221-2720, issued since 2017), and never a digit run inside a longer dash-joined
    number (order ids such as 112-3456789-1234567)."""

    CARD_PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "All Credit Cards (weak)",
            r"\b(?!1\d{12}(?!\d))((4\d{3})|(5[0-5]\d{2})|(222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720)"
            r"|(6\d{3})|(1\d{3})|(3\d{3}))[- ]?(\d{3,4})[- ]?(\d{3,4})[- ]?(\d{3,5})\b",
            0.3,
        )
    ]

    def __init__(self) -> None:
        super().__init__(patterns=list(self.CARD_PATTERNS))

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if not _joined(text, r.start, r.end, "-")]


class IpAddressRecognizer(IpRecognizer):
    """Presidio's IP recognizer, without dotted quads that are part of a longer dotted
    number (SNMP OIDs such as 1.3.6.1.4.1.311)."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if not _joined(text, r.start, r.end, ".")]


class UsSsnNumberRecognizer(UsSsnRecognizer):
    """Presidio's SSN recognizer, also rejecting areas 900-999, which the SSA never
    issues (that range holds ITINs and internal numbering)."""

    def invalidate_result(self, pattern_text: str) -> bool:
        digits = "".join(ch for ch in pattern_text if ch.isdigit())
        return bool(super().invalidate_result(pattern_text)) or digits[:1] == "9"


def _joined(text: str, start: int, end: int, separator: str) -> bool:
    """The span continues a longer number: `separator` and a digit right before or after."""
    before = start >= 2 and text[start - 1] == separator and text[start - 2].isdigit()
    after = end + 1 < len(text) and text[end] == separator and text[end + 1].isdigit()
    return before or after


# --------------------------------------------------------------------------- email


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer with an injected, offline public-suffix list."""

    def __init__(self, suffixes: tldextract.TLDExtract) -> None:
        self._suffixes = suffixes
        super().__init__()

    def validate_result(self, pattern_text: str) -> bool:
        return bool(self._suffixes(pattern_text).fqdn != "")


def offline_suffix_extractor() -> tldextract.TLDExtract:
    """A TLDExtract that never fetches: no list URLs, no cache dir, bundled snapshot."""
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


# --------------------------------------------------------------------------- person


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    first_names: frozenset[str]
    ambiguous_first_names: frozenset[str]  # also common words: need a surname or a cue
    surnames: frozenset[str]
    not_names: frozenset[str]


def _read_names(filename: str) -> list[str]:
    text = resources.files("engine").joinpath("data", filename).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def load_gazetteer() -> _Gazetteer:
    """The curated name lists shipped in engine/data/ (read once per process)."""
    first = _read_names("first_names.txt")
    return _Gazetteer(
        first_names=frozenset(name.rstrip("*") for name in first),
        ambiguous_first_names=frozenset(name[:-1] for name in first if name.endswith("*")),
        surnames=frozenset(_read_names("surnames.txt")),
        not_names=frozenset(_read_names("not_names.txt")),
    )


_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0141\u015a\u017b\u0179\u0106\u0143\u0160\u017d\u010c\u0158"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
# A capitalized name word: "Anna", "McDonald", "O'Brien", "Al-Farsi"; "Jorge's" is "Jorge".
_WORD = rf"(?:Mc|Mac|O')?[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+|'[{_UPPER}][{_LOWER}]+)?"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|la|le|bin|ibn|al|el|dos|das|ter)"
# Up to three name words, with middle initials and particles: "Anna K. van der Berg".
_NAME_RUN = re.compile(
    rf"(?<![\w@.])(?:{_WORD})(?:[ \t]+(?:[{_UPPER}]\.[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}"
    rf"{_WORD}){{0,2}}(?![\w@])"
)
_NAME_WORD = re.compile(rf"{_WORD}|[{_UPPER}]\.")

_HONORIFICS = frozenset(
    ["Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "Lady", "Lord",
     "Madam", "Mme", "Mlle", "Herr", "Frau", "Sr", "Sra", "Rev", "Fr", "Capt", "Col", "Gen",
     "Lt", "Sgt", "Judge", "Justice", "Senator", "Sen", "Rep", "Gov", "Officer", "Detective",
     "Agent", "Nurse", "Coach", "Uncle", "Aunt", "Auntie"]
)  # fmt: skip
_GREETINGS = frozenset(
    ["dear", "hi", "hello", "hey", "hiya", "greetings", "thanks", "thx", "cheers", "welcome",
     "congrats", "congratulations", "thank you", "good morning", "good afternoon",
     "good evening", "bye", "goodbye"]
)  # fmt: skip
_CLOSINGS = frozenset(
    ["best", "best regards", "best wishes", "kind regards", "warm regards", "regards",
     "many thanks", "thanks", "thanks again", "thank you", "sincerely", "sincerely yours",
     "yours", "yours truly", "yours sincerely", "cheers", "cordially", "respectfully",
     "all the best", "talk soon", "br", "rgds", "--", "-"]
)  # fmt: skip
# "<cue>: Name" (form fields, mail headers)
_COLON_CUES = frozenset(
    ["name", "full name", "first name", "last name", "patient", "employee", "customer",
     "client", "applicant", "contact", "contact person", "attn", "attention", "author",
     "assignee", "owner", "reviewer", "from", "to", "cc", "bcc", "signed", "signed by",
     "user", "manager", "requester", "reporter", "account holder", "cardholder", "holder",
     "beneficiary", "recipient", "sender", "guest", "tenant", "member", "driver", "witness"]
)  # fmt: skip
_PHRASE_CUES = {
    "my name is": 0.85, "my name's": 0.85, "name is": 0.85, "named": 0.85, "called": 0.85,
    "call me": 0.85, "signed by": 0.85, "i am": 0.6, "i'm": 0.6, "this is": 0.6,
}  # fmt: skip


class PersonNameRecognizer(EntityRecognizer):
    """Person names without NER: cues plus a curated gazetteer.

    Every run of capitalized words is a candidate. A name starts at a word that
    follows an honorific ("Dr. Ada Obi"), a name cue ("my name is", "name:",
    "From:"), a greeting ("Dear", "Hi") or a closing line ("Kind regards,\n"):
    0.85 (0.6 after "I'm", "I am", "this is"). Without a cue: a gazetteer first
    name followed by a capitalized word, 0.85; a capitalized word followed by a
    known surname, 0.7; a gazetteer first name alone, 0.6. First names that are
    also words (Will, May, Grace) need a cue or a known surname. Lower-case and
    all-caps names are not found; docs/detection.md gives the measured recall.
    """

    def __init__(self, gazetteer: _Gazetteer | None = None) -> None:
        self._names = gazetteer or load_gazetteer()
        super().__init__(supported_entities=["PERSON"], name="PersonNameRecognizer")

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for run in _NAME_RUN.finditer(text):
            found = self._name_in_run(text, run)
            if found is not None:
                start, end, score = found
                results.append(_result(self, "PERSON", start, end, score))
        return results

    def _name_in_run(self, text: str, run: re.Match[str]) -> tuple[int, int, float] | None:
        names = self._names
        words = [(m.group(), m.start(), m.end()) for m in _NAME_WORD.finditer(text, *run.span())]
        while words and words[-1][0] in names.not_names:
            words.pop()
        for i, (word, start, end) in enumerate(words):
            if word in names.not_names or word in _HONORIFICS or word.endswith("."):
                continue
            cue = _cue_before(text, start)
            if cue is not None:
                return start, words[-1][2], cue
            rest = words[i + 1 :]
            if _fold(word) in names.first_names:
                if word in names.ambiguous_first_names:
                    if rest and _fold(rest[0][0]) in names.surnames:
                        return start, rest[0][2], 0.85
                    continue
                if rest:
                    return start, words[-1][2], 0.85
                return start, end, 0.6
            if rest and _fold(rest[0][0]) in names.surnames:
                return start, rest[0][2], 0.7
        return None


def _fold(word: str) -> str:
    """The gazetteer spelling of a name: diacritics dropped (Björn -> Bjorn, José -> Jose)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _cue_before(text: str, start: int) -> float | None:
    """The score a name cue right before `start` gives, if there is one."""
    before = text[max(0, start - 48) : start].rstrip(" \t")
    if not before:
        return None
    last = before[-1]
    if last == "\n":
        line = before[:-1].rstrip("\r").rsplit("\n", 1)[-1].strip(" \t,.!").lower()
        return 0.85 if line in _CLOSINGS else None
    if last == ":":
        words = before[:-1].lower().split()[-2:]
        if words and (words[-1] in _COLON_CUES or " ".join(words) in _COLON_CUES):
            return 0.85
        return None
    words = before.rstrip(",").split()[-3:]
    if not words:
        return None
    if words[-1].rstrip(".") in _HONORIFICS:
        return 0.85
    lowered = [w.lower() for w in words]
    for size in (1, 2, 3):
        phrase = " ".join(lowered[-size:])
        if phrase in _GREETINGS:
            return 0.85
        if phrase in _PHRASE_CUES:
            return _PHRASE_CUES[phrase]
    return None


# --------------------------------------------------------------------------- custom


def _luhn(digits: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mod97(value: str) -> bool:
    """ISO 7064 MOD 97-10: letters count as 10..35; valid when the number % 97 == 1."""
    if not value.isalnum() or not value.isascii():
        return False
    return int("".join(str(int(ch, 36)) for ch in value.upper())) % 97 == 1


_SEPARATORS = re.compile(r"[\s\-.]")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")


def validate_luhn(text: str) -> bool:
    """Luhn over the digits of the match (letters and separators around them are ignored)."""
    digits = "".join(ch for ch in text if "0" <= ch <= "9")
    return len(digits) >= 2 and _luhn(digits)


def validate_iban(text: str) -> bool:
    value = _SEPARATORS.sub("", text).upper()
    return bool(_IBAN_SHAPE.fullmatch(value)) and _mod97(value[4:] + value[:4])


def validate_mod97(text: str) -> bool:
    return _mod97(_SEPARATORS.sub("", text))


_VALIDATORS: dict[str, Callable[[str], bool]] = {
    "luhn": validate_luhn,
    "iban": validate_iban,
    "mod97": validate_mod97,
}


class GraphPatternRecognizer(PatternRecognizer):
    """A recognizer declared in the graph: patterns, context words, validator.

    Patterns are matched case-sensitively (write ``(?i)`` to ignore case), with
    ^ and $ at line boundaries.
    """

    def __init__(self, entity_type: str, spec: RecognizerSpec) -> None:
        self._validator = _VALIDATORS.get(spec.validator)
        super().__init__(
            supported_entity=entity_type,
            name=f"graph:{entity_type}",
            patterns=[
                Pattern(f"{entity_type}[{i}]", p.regex, p.score)
                for i, p in enumerate(spec.patterns)
            ],
            context=list(spec.context),
            global_regex_flags=re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        return None if self._validator is None else self._validator(pattern_text)


# --------------------------------------------------------------------------- nlp engine


class BlankEnglishNlpEngine(NlpEngine):
    """Presidio NLP engine over ``spacy.blank("en")``: tokens, no NER, no download.

    A blank pipeline has no lemmatizer; the lower-cased token stands in for the
    lemma, which is all Presidio's context enhancer needs.
    """

    def __init__(self) -> None:
        self._nlp = spacy.blank("en")

    def load(self) -> None:
        return None

    def is_loaded(self) -> bool:
        return True

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        doc = self._nlp(text)
        return NlpArtifacts(
            entities=[],
            tokens=doc,
            tokens_indices=[token.idx for token in doc],
            lemmas=[token.lower_ for token in doc],
            nlp_engine=self,
            language=language,
        )

    def process_batch(
        self,
        texts: Iterable[str],
        language: str,
        batch_size: int = 1,
        n_process: int = 1,
        **kwargs: Any,
    ) -> Iterator[tuple[str, NlpArtifacts]]:
        for text in texts:
            yield text, self.process_text(text, language)

    def is_stopword(self, word: str, language: str) -> bool:
        return bool(self._nlp.vocab[word].is_stop)

    def is_punct(self, word: str, language: str) -> bool:
        return bool(self._nlp.vocab[word].is_punct)

    def get_supported_entities(self) -> list[str]:
        return []

    def get_supported_languages(self) -> list[str]:
        return ["en"]


# --------------------------------------------------------------------------- detector


BUILTIN_ENTITY_TYPES = frozenset(
    {
        "EMAIL_ADDRESS",
        "PHONE_NUMBER",
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_SSN",
        "IP_ADDRESS",
        "PERSON",
        "API_KEY",
    }
)


@dataclass(frozen=True, slots=True)
class Stage:
    """One recognizer in the detector, and what lets it skip most of the text.

    `prefilter` skips the recognizer when the text cannot hold its entity;
    `windows` runs it only on the spans a cheap regex finds (with a margin of
    `_WINDOW_MARGIN` characters, enough for the recognizer's word-boundary and
    lookaround checks), its results moved back to text offsets.
    """

    name: str
    recognizer: EntityRecognizer
    prefilter: Callable[[str], bool] | None = None
    windows: re.Pattern[str] | None = None

    def run(self, text: str) -> list[RecognizerResult]:
        if self.prefilter is not None and not self.prefilter(text):
            return []
        if self.windows is None:
            return self._analyze(text)
        results = []
        for low, high in _merged_windows(self.windows, text):
            for result in self._analyze(text[low:high]):
                result.start += low
                result.end += low
                results.append(result)
        return results

    def _analyze(self, text: str) -> list[RecognizerResult]:
        # Every recognizer here works on the text alone: no NLP artifacts.
        no_artifacts = cast(NlpArtifacts, None)
        results: list[RecognizerResult] = self.recognizer.analyze(text, [], no_artifacts)
        return results


_WINDOW_MARGIN = 2


def _merged_windows(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for match in pattern.finditer(text):
        low = max(0, match.start() - _WINDOW_MARGIN)
        high = min(len(text), match.end() + _WINDOW_MARGIN)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
        else:
            windows.append((low, high))
    return windows


def _contains(needle: str) -> Callable[[str], bool]:
    return lambda text: needle in text


def _searches(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda text: compiled.search(text) is not None


# Spans that can hold the entity, found with the standard library's `re` (faster
# than the `regex` engine Presidio uses): each covers every character the
# recognizer's own patterns could match there. The email window starts only
# where a run of local-part characters starts and never backtracks into it.
_EMAIL_WINDOW = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~\-])[\w.!#$%&'*+/=?^`{|}~\-]++@[\w.\-]+")
_IP_WINDOW = re.compile(r"[0-9A-Fa-f:.]*(?:\d\.\d|:[0-9A-Fa-f]|::)[0-9A-Za-z:.%/]*")
_IBAN_WINDOW = re.compile(r"[A-Z]{2}\d{2}[ \-A-Z0-9]{8,}")


def _builtin_stages(entity_type: str, suffixes: tldextract.TLDExtract) -> list[Stage]:
    if entity_type == "EMAIL_ADDRESS":
        return [Stage("email", OfflineEmailRecognizer(suffixes), _contains("@"), _EMAIL_WINDOW)]
    if entity_type == "PHONE_NUMBER":
        return [Stage("phone", PhoneNumberRecognizer())]
    if entity_type == "CREDIT_CARD":
        return [Stage("credit_card", CardNumberRecognizer(), _searches(r"\d[\d \-]{11,}\d"))]
    if entity_type == "IBAN_CODE":
        return [Stage("iban", IbanRecognizer(), None, _IBAN_WINDOW)]
    if entity_type == "US_SSN":
        ssn_shape = _searches(r"\d{3}[ .\-]?\d{2}[ .\-]?\d{4}")
        return [Stage("us_ssn", UsSsnNumberRecognizer(), ssn_shape)]
    if entity_type == "IP_ADDRESS":
        return [Stage("ip", IpAddressRecognizer(), None, _IP_WINDOW)]
    if entity_type == "PERSON":
        return [Stage("person", PersonNameRecognizer())]
    if entity_type == "API_KEY":
        return [
            Stage(
                "secret_token",
                SecretTokenRecognizer(),
                _searches(
                    r"sk-|A[A-Z]{2}A[A-Z0-9]{16}|gh[pousr]_|github_pat_|xox|hooks|AIza|_live_|_test_|eyJ"
                ),
            ),
            Stage("assigned_secret", AssignedSecretRecognizer(), _searches(r"[:=]")),
            Stage("private_key", PrivateKeyBlockRecognizer(), _contains("PRIVATE KEY")),
        ]
    return []


class Detector:
    """Finds the snapshot's entity types in normalized text. Build once, share.

    ``detect`` is deterministic and does no I/O; building reads the gazetteer
    shipped in engine/data/.
    """

    def __init__(
        self,
        entity_types: Iterable[EntityTypeSpec],
        *,
        min_score: float = DEFAULT_MIN_SCORE,
        suffixes: tldextract.TLDExtract | None = None,
    ) -> None:
        self.min_score = min_score
        self._suffixes = suffixes or offline_suffix_extractor()
        stages: list[Stage] = []
        declared: list[str] = []
        unsupported: list[str] = []
        problems: list[Problem] = []
        for spec in sorted(entity_types, key=lambda s: s.id):
            declared.append(spec.id)
            built = _builtin_stages(spec.id, self._suffixes)
            if spec.recognizer is not None:
                try:
                    custom = GraphPatternRecognizer(spec.id, spec.recognizer)
                except ValueError as exc:
                    problems.append(
                        Problem("<graph>", "", f"entity_types.{spec.id}.recognizer", str(exc))
                    )
                    continue
                built.append(Stage(f"graph:{spec.id}", custom))
            if not built:
                unsupported.append(spec.id)
            stages.extend(built)
        if problems:
            raise InvalidPolicyData(problems)
        self.entity_types: frozenset[str] = frozenset(declared)
        self.unsupported: tuple[str, ...] = tuple(unsupported)
        """Declared entity types with no built-in and no custom recognizer."""
        self.stages: tuple[Stage, ...] = tuple(stages)
        self._analyzer: AnalyzerEngine | None = None

    @classmethod
    def with_builtins(cls, extra: Iterable[EntityTypeSpec] = (), **kwargs: Any) -> Detector:
        """A detector for every built-in entity type, plus `extra` specs."""
        specs = {entity: EntityTypeSpec(id=entity, indicates=()) for entity in BUILTIN_ENTITY_TYPES}
        specs.update({spec.id: spec for spec in extra})
        return cls(specs.values(), **kwargs)

    def detect(self, text: str) -> tuple[Detection, ...]:
        """Entities in `text` (already normalized), without overlaps, by position."""
        results: list[RecognizerResult] = []
        for stage in self.stages:
            for result in stage.run(text):
                if stage.recognizer.context and result.score < 1.0:
                    result.score = _boost_with_context(
                        text, result.score, result.start, stage.recognizer.context
                    )
                results.append(result)
        return self._finish(text, results)

    def detect_with_analyzer(self, text: str) -> tuple[Detection, ...]:
        """The same recognizers through Presidio's AnalyzerEngine and a blank spaCy
        pipeline: slower, kept to check that `detect` agrees with Presidio."""
        results = self.analyzer.analyze(text=text, language="en", score_threshold=self.min_score)
        return self._finish(text, results)

    @property
    def analyzer(self) -> AnalyzerEngine:
        """A Presidio AnalyzerEngine over this detector's recognizers (built lazily)."""
        if self._analyzer is None:
            registry = RecognizerRegistry(supported_languages=["en"])
            for stage in self.stages:
                registry.add_recognizer(stage.recognizer)
            self._analyzer = AnalyzerEngine(
                registry=registry,
                nlp_engine=BlankEnglishNlpEngine(),
                supported_languages=["en"],
            )
        return self._analyzer

    def _finish(self, text: str, results: Iterable[RecognizerResult]) -> tuple[Detection, ...]:
        candidates = sorted(
            (
                Detection(
                    entity_type=r.entity_type,
                    start=r.start,
                    end=r.end,
                    score=round(float(r.score), 4),
                    text=text[r.start : r.end],
                )
                for r in results
                if r.score >= self.min_score and r.end > r.start
            ),
            key=lambda d: (-d.score, -(d.end - d.start), d.start, d.entity_type),
        )
        return resolve_overlaps(candidates)


def resolve_overlaps(candidates: Sequence[Detection]) -> tuple[Detection, ...]:
    """Keep the best of overlapping detections: highest score, then longest.

    `candidates` must be sorted best first; the result is sorted by position.
    The kept spans stay sorted and disjoint, so each candidate is checked
    against its two neighbours only.
    """
    starts: list[int] = []
    kept: list[Detection] = []
    for candidate in candidates:
        index = bisect_right(starts, candidate.start)
        if index > 0 and kept[index - 1].end > candidate.start:
            continue
        if index < len(kept) and kept[index].start < candidate.end:
            continue
        starts.insert(index, candidate.start)
        kept.insert(index, candidate)
    return tuple(kept)


_WORD_RE = re.compile(r"\w+")


def _boost_with_context(text: str, score: float, start: int, context: Sequence[str]) -> float:
    """Presidio's lemma context rule on a blank pipeline: a context word inside one
    of the last five non-stop words before the match (or the match's first word)
    raises the score by 0.35, to at least 0.4."""
    window = text[max(0, start - 160) : start]
    words = [w for w in (m.lower() for m in _WORD_RE.findall(window)) if w not in STOP_WORDS]
    keywords = words[-_CONTEXT_WINDOW_WORDS:]
    # Like Presidio, the match's own first word counts too ("ACCT-1234" for "acct").
    own = _WORD_RE.match(text, start)
    if own is not None:
        keywords.append(own.group().lower())
    for word in context:
        needle = word.lower()
        if any(needle in keyword for keyword in keywords):
            return min(1.0, max(score + _CONTEXT_BOOST, _CONTEXT_FLOOR))
    return score


def _result(
    recognizer: EntityRecognizer, entity_type: str, start: int, end: int, score: float
) -> RecognizerResult:
    return RecognizerResult(
        entity_type=entity_type,
        start=start,
        end=end,
        score=score,
        analysis_explanation=AnalysisExplanation(
            recognizer=type(recognizer).__name__, original_score=score
        ),
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: type(recognizer).__name__,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )
