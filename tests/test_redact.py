"""Redaction actions: what replaces a span, and the way back for pseudonyms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.detect import Detector
from engine.model import Detection, Effect
from engine.normalize import normalize
from engine.redact import (
    PLACEHOLDER_PATTERN,
    Choice,
    PseudonymRestorer,
    keyed_hash,
    mask,
    pseudonym,
    redact,
    restore,
)

KEY = b"tenant-key-for-tests"


def detection(text: str, value: str, entity_type: str, score: float = 0.9) -> Detection:
    start = text.index(value)
    return Detection(entity_type, start, start + len(value), score, value)


TEXT = "Mail ana@example.com or call (212) 555-0198; card 4111 1111 1111 1111."
EMAIL = detection(TEXT, "ana@example.com", "EMAIL_ADDRESS")
PHONE = detection(TEXT, "(212) 555-0198", "PHONE_NUMBER")
CARD = detection(TEXT, "4111 1111 1111 1111", "CREDIT_CARD")


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        (Effect.REDACT, "Mail [EMAIL_ADDRESS] or call [PHONE_NUMBER]; card [CREDIT_CARD]."),
        (Effect.MASK, "Mail ***@example.com or call (***) ***-0198; card **** **** **** 1111."),
        (Effect.ALLOW, TEXT),
        (Effect.CONSTRAIN, TEXT),
        (Effect.DROP, "Mail [EMAIL_ADDRESS] or call [PHONE_NUMBER]; card [CREDIT_CARD]."),
        (Effect.DENY, "Mail [EMAIL_ADDRESS] or call [PHONE_NUMBER]; card [CREDIT_CARD]."),
    ],
)
def test_when_action_applied_then_text_rewritten(action: Effect, expected: str) -> None:
    result = redact(
        TEXT, [(d, "pii", action) for d in (EMAIL, PHONE, CARD)], key=KEY, caller_id="u"
    )
    assert result.text == expected


def test_when_hashed_then_typed_keyed_digest() -> None:
    result = redact(TEXT, [(EMAIL, "pii", Effect.HASH)], key=KEY, caller_id="u")
    (replacement,) = result.replacements
    assert replacement.replacement.startswith("<EMAIL_ADDRESS:")
    assert len(replacement.replacement) == len("<EMAIL_ADDRESS:>") + 8
    assert replacement.replacement == keyed_hash("ana@example.com", "EMAIL_ADDRESS", KEY)
    assert keyed_hash("ana@example.com", "EMAIL_ADDRESS", b"other") != replacement.replacement


def test_when_hashing_formats_of_one_number_then_same_digest() -> None:
    assert keyed_hash("4111 1111 1111 1111", "CREDIT_CARD", KEY) == keyed_hash(
        "4111-1111-1111-1111", "CREDIT_CARD", KEY
    )
    assert keyed_hash("Ana@Example.com", "EMAIL_ADDRESS", KEY) == keyed_hash(
        "ana@example.com", "EMAIL_ADDRESS", KEY
    )


def test_when_pseudonymized_then_stable_per_caller_and_different_across_callers() -> None:
    first = redact(TEXT, [(EMAIL, "pii", Effect.PSEUDONYMIZE)], key=KEY, caller_id="alice")
    again = redact(TEXT, [(EMAIL, "pii", Effect.PSEUDONYMIZE)], key=KEY, caller_id="alice")
    other = redact(TEXT, [(EMAIL, "pii", Effect.PSEUDONYMIZE)], key=KEY, caller_id="bob")
    assert first.text == again.text != other.text
    (placeholder,) = first.pseudonyms
    assert PLACEHOLDER_PATTERN.fullmatch(placeholder)
    assert placeholder.startswith("<EMAIL_ADDRESS_")
    assert first.pseudonyms == {placeholder: "ana@example.com"}
    assert restore(first.text, first.pseudonyms) == TEXT


def test_when_same_value_twice_then_same_pseudonym() -> None:
    text = "Ana Lopez met Ana Lopez."
    choices: list[Choice] = [
        (Detection("PERSON", 0, 9, 0.9, "Ana Lopez"), "pii", Effect.PSEUDONYMIZE),
        (Detection("PERSON", 14, 23, 0.9, "Ana Lopez"), "pii", Effect.PSEUDONYMIZE),
    ]
    result = redact(text, choices, key=KEY, caller_id="alice")
    placeholder = pseudonym("Ana Lopez", "PERSON", KEY, "alice")
    assert result.text == f"{placeholder} met {placeholder}."
    assert result.pseudonyms == {placeholder: "Ana Lopez"}


def test_when_spans_overlap_then_merged_under_most_restrictive_action() -> None:
    text = "write to john.smith@example.com today"
    email = detection(text, "john.smith@example.com", "EMAIL_ADDRESS", 1.0)
    person = Detection("PERSON", 9, 19, 0.85, "john.smith")
    result = redact(
        text,
        [(email, "contact", Effect.MASK), (person, "identity", Effect.REDACT)],
        key=KEY,
        caller_id="u",
    )
    assert result.text == "write to [PERSON] today"
    (replacement,) = result.replacements
    assert (replacement.start, replacement.end) == (9, 31)
    assert replacement.action is Effect.REDACT
    assert replacement.label == "identity"
    assert replacement.labels == ("contact", "identity")


def test_when_same_span_has_two_labels_then_one_replacement_with_both() -> None:
    result = redact(
        TEXT,
        [(CARD, "pci", Effect.MASK), (CARD, "financial", Effect.PSEUDONYMIZE)],
        key=KEY,
        caller_id="u",
    )
    (replacement,) = result.replacements
    assert replacement.action is Effect.MASK
    assert replacement.labels == ("financial", "pci")
    assert result.pseudonyms == {}


def test_when_replacements_reported_then_offsets_index_the_input() -> None:
    result = redact(
        TEXT, [(d, "pii", Effect.REDACT) for d in (CARD, EMAIL)], key=KEY, caller_id="u"
    )
    assert [(r.start, r.end, r.entity_type) for r in result.replacements] == [
        (EMAIL.start, EMAIL.end, "EMAIL_ADDRESS"),
        (CARD.start, CARD.end, "CREDIT_CARD"),
    ]


def test_when_detected_in_normalized_text_then_original_offsets_recoverable() -> None:
    original = "card: ４１１１ １１１１ １１１１ １１１１!"
    normalized = normalize(original)
    detections = Detector.with_builtins().detect(normalized.text)
    result = redact(
        normalized.text, [(d, "pci", Effect.MASK) for d in detections], key=KEY, caller_id="u"
    )
    (replacement,) = result.replacements
    start, end = normalized.to_original(replacement.start, replacement.end)
    assert original[:start] == "card: "
    assert original[end:] == "!"
    assert result.text == "card: **** **** **** 1111!"


@pytest.mark.parametrize(
    ("value", "entity_type", "expected"),
    [
        ("4111111111111111", "CREDIT_CARD", "************1111"),
        ("536-22-8841", "US_SSN", "***-**-8841"),
        ("abc12", "API_KEY", "***12"),
        ("a@b.co", "EMAIL_ADDRESS", "*@b.co"),
        ("x", "PERSON", "*"),
        ("Ana Lopez", "PERSON", "*** *opez"),
        ("*****abcd", "API_KEY", "\u2588" * 9),
    ],
)
def test_mask_keeps_at_most_four_trailing_characters(
    value: str, entity_type: str, expected: str
) -> None:
    assert mask(value, entity_type) == expected


def test_when_value_is_the_entity_name_then_placeholder_does_not_show_it() -> None:
    text = "the word EMAIL here"
    result = redact(
        text,
        [(detection(text, "EMAIL", "EMAIL_ADDRESS"), "pii", Effect.REDACT)],
        key=KEY,
        caller_id="u",
    )
    assert "EMAIL" not in result.text


# --------------------------------------------------------------------------- streaming


def test_when_placeholder_split_across_chunks_then_restored() -> None:
    mapping = {"<PERSON_4f2a1b>": "Ana Lopez", "<EMAIL_ADDRESS_09ab12>": "ana@example.com"}
    restorer = PseudonymRestorer(mapping)
    out = [
        restorer.feed("Hello <PER"),
        restorer.feed("SON_4f2"),
        restorer.feed("a1b>, mail <EMAIL_ADDRESS_09ab12"),
        restorer.feed("> or <PERSON_ffffff> <"),
        restorer.flush(),
    ]
    assert out[0] == "Hello "
    assert out[1] == ""
    assert "".join(out) == "Hello Ana Lopez, mail ana@example.com or <PERSON_ffffff> <"


def test_when_no_mapping_then_restorer_passes_text_through() -> None:
    restorer = PseudonymRestorer({})
    assert restorer.feed("a <b") == "a <b"
    assert restorer.flush() == ""


# --------------------------------------------------------------------------- properties

_VALUE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789@.+-"
_FILLER_ALPHABET = " ,;!?\n"  # shares nothing with values, placeholders or masks
_ENTITY_TYPES = ("EMAIL_ADDRESS", "PERSON", "CREDIT_CARD", "API_KEY", "CUSTOM_ID")
_ACTIONS = (Effect.REDACT, Effect.MASK, Effect.HASH, Effect.PSEUDONYMIZE)


@st.composite
def texts_with_choices(draw: st.DrawFn) -> tuple[str, list[Choice]]:
    parts: list[str] = []
    choices: list[Choice] = []
    position = 0
    for _ in range(draw(st.integers(1, 5))):
        filler = draw(st.text(_FILLER_ALPHABET, min_size=1, max_size=5))
        value = draw(st.text(_VALUE_ALPHABET, min_size=5, max_size=24))
        entity_type = draw(st.sampled_from(_ENTITY_TYPES))
        action = draw(st.sampled_from(_ACTIONS))
        position += len(filler)
        parts += [filler, value]
        choices.append(
            (Detection(entity_type, position, position + len(value), 0.9, value), "l", action)
        )
        position += len(value)
    parts.append(draw(st.text(_FILLER_ALPHABET, max_size=3)))
    return "".join(parts), choices


@settings(max_examples=150, deadline=None)
@given(texts_with_choices())
def test_rewritten_text_never_contains_a_replaced_value(case: tuple[str, list[Choice]]) -> None:
    text, choices = case
    result = redact(text, choices, key=KEY, caller_id="caller")
    for detection_, _, _ in choices:
        assert detection_.text not in result.text
    for replacement in result.replacements:
        assert text[replacement.start : replacement.end] not in replacement.replacement


@settings(max_examples=150, deadline=None)
@given(texts_with_choices(), st.data())
def test_restore_of_pseudonymized_text_gives_back_the_text(
    case: tuple[str, list[Choice]], data: st.DataObject
) -> None:
    text, choices = case
    pseudonymized = [(d, label, Effect.PSEUDONYMIZE) for d, label, _ in choices]
    result = redact(text, pseudonymized, key=KEY, caller_id="caller")
    assert restore(result.text, result.pseudonyms) == text
    cuts = sorted(data.draw(st.lists(st.integers(0, len(result.text)), max_size=8)))
    chunks = [result.text[a:b] for a, b in zip([0, *cuts], [*cuts, len(result.text)], strict=True)]
    assert PseudonymRestorer(result.pseudonyms).restore_all(chunks) == text


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=5, max_size=30), st.sampled_from(_ENTITY_TYPES))
def test_mask_and_hash_never_show_the_value(value: str, entity_type: str) -> None:
    assert value not in mask(value, entity_type)
    assert value not in keyed_hash(value, entity_type, KEY)
