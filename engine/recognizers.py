"""Presidio recognizers for structured entities, all offline: phone numbers, secrets,
cards, IPs, SSNs, e-mail addresses, and the patterns policies declare in the graph.

engine.detect builds its `Detector` from these; docs/detection.md measures them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import ClassVar

import phonenumbers
import tldextract

from engine.lean_imports import HEAVY, without
from engine.model import RecognizerSpec

with without(*HEAVY):
    from presidio_analyzer import (
        AnalysisExplanation,
        EntityRecognizer,
        Pattern,
        PatternRecognizer,
        RecognizerResult,
    )
    from presidio_analyzer.nlp_engine import NlpArtifacts
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        EmailRecognizer,
        IpRecognizer,
        UsSsnRecognizer,
    )


class CodeRecognizer(EntityRecognizer):
    """A recognizer of one entity type written in code here: no model to load, no NLP
    artifacts read (subclasses implement `analyze` on the text alone)."""

    def __init__(self, entity_type: str, context: Sequence[str] | None = None) -> None:
        super().__init__(
            supported_entities=[entity_type],
            name=type(self).__name__,
            context=list(context) if context is not None else None,
        )

    def load(self) -> None:
        return None


# --------------------------------------------------------------------------- phone


class PhoneNumberRecognizer(CodeRecognizer):
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

    # The number, then an extension if there is one: "345-899-3560x4587",
    # "+1 212 555 0198 ext. 12"; the span covers both, only the number is validated.
    _CANDIDATE = re.compile(
        r"(?<![\w.+\-/@])(?P<number>(?:\+|00)?\(?\d[\d \t().\-/]{5,22}\d)"
        r"(?:[ \t]*,?[ \t]*(?i:x|ext\.?|extn\.?|extension|durchwahl|poste)[ \t]*\d{1,6})?"
        r"(?![\w@]|[.\-/:]\d)"
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
        "shipment", "parcel", "serial", "sku", "passport", "mrn", "dni", "nie", "nif",
    })  # fmt: skip
    _CUE_FILLERS = frozenset({"number", "no", "nr", "id", "num"})
    _WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s.:#]*$")

    def __init__(self, regions: Sequence[str] = REGIONS) -> None:
        self._regions = tuple(
            (region, phonenumbers.country_code_for_region(region)) for region in regions
        )
        super().__init__("PHONE_NUMBER", context=self.CONTEXT)

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results = []
        for match in self._CANDIDATE.finditer(text):
            number = match.group("number")
            if self._is_phone_number(number) and not self._after_id_cue(text, match.start()):
                results.append(
                    recognizer_result(self, "PHONE_NUMBER", match.start(), match.end(), self.SCORE)
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


class AssignedSecretRecognizer(CodeRecognizer):
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
        super().__init__("API_KEY")

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
                    results.append(recognizer_result(self, "API_KEY", *value.span(1), 0.9))
            elif self._PASSWORD_NAME.search(lowered, name_from, start):
                value = self._PASSWORD_VALUE.match(text, end)
                if value and not self._MASKED.fullmatch(value.group(1)):
                    results.append(recognizer_result(self, "API_KEY", *value.span(1), 0.7))
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


class _Standalone(PatternRecognizer):
    """Drops a match that is one part of a longer number joined by `JOINER`."""

    JOINER: ClassVar[str]

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [r for r in results if not _joined(text, r.start, r.end, self.JOINER)]


class CardNumberRecognizer(_Standalone, CreditCardRecognizer):
    """Presidio's card recognizer (Luhn), with a pattern of our own for every length
    and grouping cards are printed in, and never a digit run inside a longer
    dash-joined number (order ids such as 112-3456789-1234567).

    Presidio's pattern covers 13-17 digits in groups of 3-5, which misses
    Maestro (12-19 digits), 19-digit Visa and JCB (16-19), Diners grouped
    4-4-4-2, and Mastercard's 2-series BINs (2221-2720, issued since 2017). Here
    a card is four leading digits of a known brand range, then up to four groups
    of 2-6 digits, 12 to 19 digits in all; 12-digit numbers only for Maestro's
    own BINs, as nothing else is that short; 1-series (UATP) only at 15 digits,
    its only length, so that a column of years is not a card.
    """

    CARD_PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "All Credit Cards (weak)",
            r"\b(?!1\d{12}(?!\d))(?:4\d{3}|5[0-8]\d{2}|222[1-9]|22[3-9]\d|2[3-6]\d{2}|27[01]\d|2720"
            r"|6\d{3}|1\d{3}|3\d{3})(?:[- ]?\d{2,6}){1,4}\b",
            0.3,
        )
    ]
    JOINER = "-"
    _MAESTRO_12 = ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763")
    _SEPARATOR = re.compile(r"[- ]")

    def __init__(self) -> None:
        super().__init__(patterns=list(self.CARD_PATTERNS))

    # "DE89 3704 0044 0532 0130 01": the digits of an IBAN (valid or not) are not a card.
    _IBAN_HEAD = re.compile(r"[A-Z]{2}\d{2}[ \-]?\Z")

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        return [
            r for r in results if not self._IBAN_HEAD.search(text, max(0, r.start - 5), r.start)
        ]

    def validate_result(self, pattern_text: str) -> bool:
        digits = self._SEPARATOR.sub("", pattern_text)
        if not 12 <= len(digits) <= 19 or (
            len(digits) == 12 and not digits.startswith(self._MAESTRO_12)
        ):
            return False
        if digits.startswith("1") and len(digits) != 15:
            return False  # UATP, the only 1-series brand, issues 15 digits: "1996 1997 1998 1999"
        groups = self._SEPARATOR.split(pattern_text)
        if len(groups) > 1 and any(len(g) < 2 for g in groups):
            return False
        return bool(super().validate_result(pattern_text))


class IpAddressRecognizer(_Standalone, IpRecognizer):
    """Presidio's IP recognizer, without dotted quads that are part of a longer dotted
    number (SNMP OIDs such as 1.3.6.1.4.1.311)."""

    JOINER = "."


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


# --------------------------------------------------------------------------- results


def recognizer_result(
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
