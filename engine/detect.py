"""Sensitive-entity detection on normalized text, with Presidio, fully offline.

A `Detector` is built once per snapshot from its `EntityTypeSpec`s and then
only reads: `detect(text)` returns frozen `Detection`s, deterministic, sorted by
position, without overlaps.

- Built-in entity ids map to recognizers (engine/recognizers.py,
  engine/person_names.py): EMAIL_ADDRESS, CREDIT_CARD (Luhn),
  IBAN_CODE (checksum), US_SSN and IP_ADDRESS are Presidio's (cards of 12-19
  digits in any grouping, Mastercard's 2-series included, not inside longer
  dash-joined numbers; IPv4 not inside longer dotted numbers such as OIDs;
  SSNs without the 9xx areas);
  PHONE_NUMBER, PERSON and API_KEY are ours (see below), and so are URL
  (engine/urls.py), NATIONAL_ID (Spanish DNI/NIE with their control letter),
  PASSPORT and MEDICAL_RECORD_NUMBER (numbers after a cue word;
  engine/identifiers.py). Entity types the graph does not declare are not
  looked for.
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

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import tldextract

from engine.lean_imports import HEAVY, without

with without(*HEAVY):
    import spacy
    from presidio_analyzer import (
        AnalyzerEngine,
        EntityRecognizer,
        RecognizerRegistry,
        RecognizerResult,
    )
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine
    from presidio_analyzer.predefined_recognizers import IbanRecognizer
    from spacy.lang.en.stop_words import STOP_WORDS

from engine.checksums import Checksum
from engine.configured_recognizers import (
    ConfiguredRecognizer,
    InvalidCardRecognizer,
    InvalidSsnRecognizer,
    ValueListRecognizer,
)
from engine.detection_config import DetectionConfig, InvalidNumbers, ValueList
from engine.digit_views import (
    JOINED,
    SPACED,
    DigitView,
    DigitViews,
    SeparatedIbanRecognizer,
    digit_views,
)
from engine.errors import InvalidPolicyData, Problem
from engine.identifiers import (
    MedicalRecordNumberRecognizer,
    PassportNumberRecognizer,
    SpanishIdRecognizer,
)
from engine.model import Detection, EntityTypeSpec, Snapshot
from engine.normalize import NormalizedText
from engine.person_names import PersonNameRecognizer
from engine.recognizers import (
    AssignedSecretRecognizer,
    CardNumberRecognizer,
    GraphPatternRecognizer,
    IpAddressRecognizer,
    OfflineEmailRecognizer,
    PhoneNumberRecognizer,
    PrivateKeyBlockRecognizer,
    SecretTokenRecognizer,
    UsSsnNumberRecognizer,
    offline_suffix_extractor,
)
from engine.threats.prompt_leak import GUARD_ENTITY_TYPES
from engine.urls import URL_SIGNS, UrlRecognizer

__all__ = [
    "BUILTIN_ENTITY_TYPES",
    "DEFAULT_MIN_SCORE",
    "BlankEnglishNlpEngine",
    "Detection",
    "Detector",
    "Stage",
    "resolve_overlaps",
]

DEFAULT_MIN_SCORE = 0.4
"""Results below this score are dropped: weak patterns need a context word."""

_CONTEXT_WINDOW_WORDS = 5
_CONTEXT_BOOST = 0.35
_CONTEXT_FLOOR = 0.4


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
        "URL",
        "NATIONAL_ID",
        "PASSPORT",
        "MEDICAL_RECORD_NUMBER",
    }
)


@dataclass(frozen=True, slots=True)
class Stage:
    """One recognizer in the detector, and what lets it skip most of the text.

    `prefilter` skips the recognizer when the text cannot hold its entity;
    `windows` runs it only on the spans a cheap regex finds (with a margin of
    `_WINDOW_MARGIN` characters, enough for the recognizer's word-boundary and
    lookaround checks), its results moved back to text offsets. `views` names
    the readings of engine.digit_views it also runs on (numbers split by
    separators, read whole), when the text has them.
    """

    name: str
    recognizer: EntityRecognizer
    prefilter: Callable[[str], bool] | None = None
    windows: re.Pattern[str] | None = None
    views: tuple[str, ...] = ()

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


def _says(*words: str) -> Callable[[str], bool]:
    """One of `words` (lower case) occurs, in any case: substring tests on the lowered
    text, several times faster than a case-insensitive regex alternation."""
    return lambda text: any(word in text.lower() for word in words)


def _url_signs(text: str) -> bool:
    return ("/" in text or "www." in text) and URL_SIGNS.search(text) is not None


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


def _builtin_stages(
    entity_type: str, suffixes: tldextract.TLDExtract, config: DetectionConfig
) -> list[Stage]:
    if entity_type == "EMAIL_ADDRESS":
        return [Stage("email", OfflineEmailRecognizer(suffixes), _contains("@"), _EMAIL_WINDOW)]
    if entity_type == "PHONE_NUMBER":
        return [Stage("phone", PhoneNumberRecognizer(config.phone_regions), views=(SPACED,))]
    if entity_type == "CREDIT_CARD":
        card_shape = _searches(r"\d[\d \-]{11,}\d")
        return [Stage("credit_card", CardNumberRecognizer(), card_shape, views=(JOINED,))]
    if entity_type == "IBAN_CODE":
        return [
            Stage("iban", IbanRecognizer(), None, _IBAN_WINDOW),
            Stage(
                "iban_separated",
                SeparatedIbanRecognizer(),
                _searches(SeparatedIbanRecognizer.PREFILTER.pattern),
            ),
        ]
    if entity_type == "US_SSN":
        ssn_shape = _searches(r"\d{3}[ .\-]?\d{2}[ .\-]?\d{4}")
        return [Stage("us_ssn", UsSsnNumberRecognizer(), ssn_shape, views=(SPACED,))]
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
    if entity_type == "URL":
        return [Stage("url", UrlRecognizer(suffixes), _url_signs)]
    if entity_type == "NATIONAL_ID":
        dni_shape = _searches(r"\d[\d.]{6}")
        return [Stage("spanish_id", SpanishIdRecognizer(), dni_shape, views=(JOINED,))]
    if entity_type == "PASSPORT":
        passport_word = _says("pass", "pasaporte", "paspoort")  # pass(port), passeport...
        return [Stage("passport", PassportNumberRecognizer(), passport_word)]
    if entity_type == "MEDICAL_RECORD_NUMBER":
        mrn_cue = _says("mrn", "record", "patient", "chart", "hospital")
        return [Stage("mrn", MedicalRecordNumberRecognizer(), mrn_cue)]
    return []


def _invalid_number_stages(entity_type: str, config: DetectionConfig) -> list[Stage]:
    """What the strict SSN and card recognizers reject, kept when the settings say redact."""
    if config.invalid_numbers is not InvalidNumbers.REDACT:
        return []
    if entity_type == "US_SSN":
        return [Stage("us_ssn:invalid", InvalidSsnRecognizer(), _searches(r"\d{3}[ .\-]\d{2}"))]
    if entity_type == "CREDIT_CARD":
        card_shape = _searches(r"\d{4}[ \-]?\d{4}[ \-]?\d{4}")
        return [Stage("credit_card:invalid", InvalidCardRecognizer(), card_shape)]
    return []


def _configured_stages(entity_type: str, config: DetectionConfig) -> list[Stage]:
    # As for the graph's patterns: a check digit keeps joined numbers honest.
    return [
        Stage(
            f"detection:{r.id}",
            ConfiguredRecognizer(r, config.invalid_numbers),
            views=() if r.validator is Checksum.NONE else (JOINED,),
        )
        for r in config.recognizers
        if r.entity_type == entity_type
    ]


def _deny_list_stages(
    lists: Sequence[ValueList], declared: frozenset[str]
) -> dict[str | None, tuple[Stage, ...]]:
    """Per tenant (None: every tenant), one stage per entity type its deny lists name."""
    by_scope: dict[str | None, dict[str, list[ValueList]]] = {}
    for value_list in lists:
        if value_list.entity_type in declared and value_list.values:
            scope = by_scope.setdefault(value_list.tenant, {})
            scope.setdefault(value_list.entity_type, []).append(value_list)
    return {
        tenant: tuple(
            Stage(f"deny_list:{entity}", ValueListRecognizer(entity, found))
            for entity, found in sorted(scoped.items())
        )
        for tenant, scoped in by_scope.items()
    }


def _allowed_values(lists: Sequence[ValueList]) -> dict[str | None, frozenset[str]]:
    out: dict[str | None, set[str]] = {}
    for value_list in lists:
        out.setdefault(value_list.tenant, set()).update(v.casefold() for v in value_list.values)
    return {tenant: frozenset(values) for tenant, values in out.items()}


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
        config: DetectionConfig | None = None,
    ) -> None:
        self.min_score = min_score
        config = config or DetectionConfig()
        self.config = config
        suffixes = suffixes or offline_suffix_extractor()
        stages: list[Stage] = []
        declared: list[str] = []
        unsupported: list[str] = []
        problems: list[Problem] = []
        for spec in sorted(entity_types, key=lambda s: s.id):
            declared.append(spec.id)
            built = _builtin_stages(spec.id, suffixes, config)
            built += _invalid_number_stages(spec.id, config)
            built += _configured_stages(spec.id, config)
            if spec.recognizer is not None:
                try:
                    custom = GraphPatternRecognizer(spec.id, spec.recognizer)
                except ValueError as exc:
                    problems.append(
                        Problem("<graph>", "", f"entity_types.{spec.id}.recognizer", str(exc))
                    )
                    continue
                # A checksum keeps joined numbers honest; a bare pattern reads the text only.
                checked = spec.recognizer.validator in _CHECKSUM_VALIDATORS
                built.append(Stage(f"graph:{spec.id}", custom, views=(JOINED,) if checked else ()))
            denied = any(v.entity_type == spec.id and v.values for v in config.deny_lists)
            if not built and not denied and spec.id not in GUARD_ENTITY_TYPES:
                unsupported.append(spec.id)
            stages.extend(built)
        if problems:
            raise InvalidPolicyData(problems)
        self.entity_types: frozenset[str] = frozenset(declared)
        # Deny and allow lists, per tenant: the global ones joined to each tenant's own
        # here, so a request only looks its tenant up.
        deny = _deny_list_stages(config.deny_lists, self.entity_types)
        allow = _allowed_values(config.allow_lists)
        everyone_deny, everyone_allow = deny.get(None, ()), allow.get(None, frozenset())
        self._tenant_stages: dict[str | None, tuple[Stage, ...]] = {
            tenant: (*stages, *everyone_deny, *deny.get(tenant, ()))
            for tenant in {None, *deny, *allow}
        }
        self._tenant_allowed: dict[str | None, frozenset[str]] = {
            tenant: everyone_allow | allow.get(tenant, frozenset())
            for tenant in self._tenant_stages
        }
        self.unsupported: tuple[str, ...] = tuple(unsupported)
        """Declared entity types with no built-in and no custom recognizer (the leak guard's
        types are found per request, from the system prompt: engine.threats.prompt_leak)."""
        self.stages: tuple[Stage, ...] = tuple(stages)
        self._reads_views = any(stage.views for stage in stages)
        self._analyzer: AnalyzerEngine | None = None

    @classmethod
    def for_snapshot(cls, snapshot: Snapshot, **kwargs: Any) -> Detector:
        """The detector for a snapshot's entity types and detection settings."""
        return cls(snapshot.entity_types.values(), config=snapshot.detection, **kwargs)

    @classmethod
    def with_builtins(cls, extra: Iterable[EntityTypeSpec] = (), **kwargs: Any) -> Detector:
        """A detector for every built-in entity type, plus `extra` specs."""
        specs = {entity: EntityTypeSpec(id=entity, indicates=()) for entity in BUILTIN_ENTITY_TYPES}
        specs.update({spec.id: spec for spec in extra})
        return cls(specs.values(), **kwargs)

    def detect(self, text: str, tenant: str | None = None) -> tuple[Detection, ...]:
        """Entities in `text` (already normalized), without overlaps, by position.

        `tenant` selects the deny and allow lists of the detection settings that apply
        (those of every tenant, and the tenant's own)."""
        scope = tenant if tenant in self._tenant_stages else None
        results: list[RecognizerResult] = []
        views = self._views(text)
        for stage in self._tenant_stages[scope]:
            results += _scored(stage, text)
            for name in stage.views:
                view = views.get(name)
                if view is not None:
                    results += _on_view(stage, view)
        allowed = self._tenant_allowed[scope]
        if allowed:  # before overlaps are resolved: an allowed value hides nothing else
            results = [r for r in results if text[r.start : r.end].casefold() not in allowed]
        return self._finish(text, results)

    def _views(self, text: str) -> DigitViews:
        return digit_views(text) if self._reads_views else DigitViews()

    def detect_with_analyzer(self, text: str) -> tuple[Detection, ...]:
        """The same recognizers through Presidio's AnalyzerEngine and a blank spaCy
        pipeline: slower, kept to check that `detect` agrees with Presidio."""
        results = self.analyzer.analyze(text=text, language="en", score_threshold=self.min_score)
        views = self._views(text)
        for name in (JOINED, SPACED):
            view = views.get(name)
            entities = sorted(
                {e for s in self.stages if name in s.views for e in s.recognizer.supported_entities}
            )
            if view is not None and entities:
                found = self.analyzer.analyze(
                    text=view.text,
                    language="en",
                    entities=entities,
                    score_threshold=self.min_score,
                )
                results += _mapped(found, view.view)
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


_CHECKSUM_VALIDATORS = frozenset({"luhn", "iban", "mod97"})


def _scored(stage: Stage, text: str) -> list[RecognizerResult]:
    """The stage's results on `text`, with context words counted."""
    results = stage.run(text)
    if stage.recognizer.context:
        for result in results:
            if result.score < 1.0:
                result.score = _boost_with_context(
                    text, result.score, result.start, stage.recognizer.context
                )
    return results


def _on_view(stage: Stage, view: DigitView) -> list[RecognizerResult]:
    """The stage's results on the windows of `view` that differ from the text it
    reads, context words counted over the whole view, in the text's offsets."""
    results: list[RecognizerResult] = []
    for low, high in view.windows:
        if stage.prefilter is not None and not stage.prefilter(view.text[low:high]):
            continue
        for result in stage.recognizer.analyze(view.text[low:high], [], cast(NlpArtifacts, None)):
            result.start += low
            result.end += low
            if stage.recognizer.context and result.score < 1.0:
                result.score = _boost_with_context(
                    view.text, result.score, result.start, stage.recognizer.context
                )
            results.append(result)
    return _mapped(results, view.view)


def _mapped(results: list[RecognizerResult], view: NormalizedText) -> list[RecognizerResult]:
    """Results found on a digit view, moved to the offsets of the text it reads."""
    for result in results:
        result.start, result.end = view.to_original(result.start, result.end)
    return results


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
