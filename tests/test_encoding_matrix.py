"""Values split by control characters, odd separators and look-alikes: none gets through.

The matrix (tests/encoding_matrix.py) runs on the pure core with the reference
enterprise: the retail chatbot's decision (inbound: nothing of the value is
forwarded, its label is recorded) and its output filter (outbound: whole answers,
and streamed answers cut at every boundary inside the value). The other tests pin
the pieces: control characters in `normalize`, the digit views, the IBAN reader,
redaction spans over the caller's original characters, the stream's hold, and
ordinary numbers in prose that must stay unredacted.
"""

from __future__ import annotations

import pytest

from engine.detect import Detector
from engine.digit_views import digit_views
from engine.normalize import normalize
from tests.encoding_matrix import (
    VALUES,
    Value,
    answer_filter,
    cases,
    inbound,
    inbound_leak,
    outbound_leak,
    stream_cases,
    stream_leak,
    streamed,
)


def _ids(values: tuple[Value, ...]) -> list[str]:
    return [v.name for v in values]


# --------------------------------------------------------------------------- the matrix


def test_the_matrix_covers_every_dimension() -> None:
    every = list(cases())
    assert len(every) > 10_000
    assert {c.value.entity_type for c in every} >= {
        "EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "PHONE_NUMBER", "US_SSN", "NATIONAL_ID",
    }  # fmt: skip
    assert len({c.separator for c in every}) == 8
    assert len({c.control for c in every}) == 11
    assert len({c.lookalike for c in every}) == 4
    assert len({c.position for c in every}) == 4
    assert len({c.text for c in every}) == len(every)


@pytest.mark.parametrize("value", VALUES, ids=_ids(VALUES))
def test_when_a_value_is_disguised_in_a_prompt_then_it_is_not_forwarded_and_its_label_recorded(
    value: Value,
) -> None:
    leaks = [(c.id, why) for c in cases() if c.value == value and (why := inbound_leak(c))]
    assert leaks == []


@pytest.mark.parametrize("value", VALUES, ids=_ids(VALUES))
def test_when_a_value_is_disguised_in_an_answer_then_the_caller_never_reads_it(
    value: Value,
) -> None:
    leaks = [(c.id, why) for c in cases() if c.value == value and (why := outbound_leak(c))]
    assert leaks == []


@pytest.mark.parametrize("value", VALUES, ids=_ids(VALUES))
def test_when_a_disguised_value_streams_cut_anywhere_then_no_piece_of_it_leaves(
    value: Value,
) -> None:
    leaks = [(c.id, why) for c in stream_cases() if c.value == value and (why := stream_leak(c))]
    assert leaks == []


# --------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    "control", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x9b"]
)
def test_when_a_control_character_splits_a_value_then_normalize_removes_it(control: str) -> None:
    text = f"jane.doe{control}@example{control}.com"
    normalized = normalize(text)
    assert normalized.text == "jane.doe@example.com"
    assert normalized.invisible_removed == 2
    assert normalized.to_original(0, len(normalized.text)) == (0, len(text))


def test_when_text_has_tabs_newlines_and_nel_then_they_stay_line_structure() -> None:
    assert normalize("a\tb\nc\r\nd\x85e").text == "a\tb\nc\r\nd\ne"
    assert normalize("plain ascii").identity_offsets


def test_when_controls_are_removed_then_normalize_stays_idempotent() -> None:
    for case in list(cases())[::97]:
        once = normalize(case.text).text
        assert normalize(once).text == once


def test_when_a_control_separates_a_letter_from_its_accent_then_they_compose() -> None:
    assert normalize("e\x00\u0301").text == "\u00e9"


# --------------------------------------------------------------------------- views


def test_when_digits_are_split_by_odd_separators_then_the_views_read_them_whole() -> None:
    text = "card 4111\n1111\r\n1111\t1111 ssn 536\t90\t4399"
    views = digit_views(text)
    assert views.joined is not None
    assert views.spaced is not None
    assert "4111111111111111" in views.joined.text
    assert "536 90 4399" in views.spaced.text
    start = views.joined.text.index("4111")
    assert views.joined.view.to_original(start, start + 16) == (5, 25)


def test_when_numbers_in_prose_are_short_or_listed_then_the_views_leave_them() -> None:
    assert digit_views("In 2023 we sold 1.5 2.5 3.5 units, rooms 1 2 3 4 5 6 7 8.").joined is None
    assert digit_views("no numbers here").spaced is None


@pytest.mark.parametrize(
    "text",
    [
        "Years on file:\n1996\n1997\n1998\n1999\n",  # Luhn-valid; no 1-series card has 16 digits
        "Scores 12.5 13.5 14.5 15.5 16.5 17.5 today",
        "Build 2024.01.15.1030 shipped",
        "Rooms 101 102 103 104 105 are free",
        "Totals: 1,234 5,678 9,012 3,456",
    ],
)
def test_when_prose_holds_ordinary_numbers_then_no_card_or_iban_is_seen(text: str) -> None:
    detector = Detector.with_builtins()
    found = {d.entity_type for d in detector.detect(normalize(text).text)}
    assert not found & {"CREDIT_CARD", "IBAN_CODE", "US_SSN", "NATIONAL_ID"}


@pytest.mark.parametrize(
    "text",
    [
        "GB 82 WE ST 12 34 56 98 76 54 32 OK",
        "DE89\n3704\n0044\n0532\n0130\n00 thanks",
        "FR14 2004 1010 0505 0001 3M02 606",
    ],
)
def test_when_an_iban_is_grouped_any_way_then_it_is_read_to_its_length(text: str) -> None:
    detector = Detector.with_builtins()
    found = [d for d in detector.detect(normalize(text).text) if d.entity_type == "IBAN_CODE"]
    assert len(found) == 1
    assert not found[0].text.endswith(("O", "K", "thanks"))


def test_when_split_numbers_are_found_then_the_analyzer_path_agrees() -> None:
    detector = Detector.with_builtins()
    text = normalize("Card 44 54-79-45-11 39 09-33, ssn 536\t90\t4399, dni 12-345-678Z.").text
    fast = [(d.entity_type, d.start, d.end) for d in detector.detect(text)]
    assert fast == [(d.entity_type, d.start, d.end) for d in detector.detect_with_analyzer(text)]
    assert {e for e, _, _ in fast} == {"CREDIT_CARD", "US_SSN", "NATIONAL_ID"}


# --------------------------------------------------------------------------- spans and labels


def test_when_a_card_hides_control_characters_then_the_redaction_covers_the_original_span() -> None:
    text = "Refund to 4111\x001111\x1b1111\x7f1111 please."
    decision = inbound(text)
    assert "cardholder_data" in decision.labels
    assert "pci" in decision.labels
    (redaction,) = [r for r in decision.redactions if r.entity_type == "CREDIT_CARD"]
    assert text[redaction.start : redaction.end] == "4111\x001111\x1b1111\x7f1111"
    forwarded = decision.messages[0].content
    assert forwarded == "Refund to ************1111 please."


def test_when_an_answer_hides_control_characters_in_an_email_then_they_go_with_it() -> None:
    out = answer_filter().filter("Write to jane.doe\x00@example\x1b.com today.")
    assert out.text == "Write to [EMAIL_ADDRESS] today."


def test_when_removed_characters_pad_a_card_past_the_hold_then_it_is_still_held_whole() -> None:
    pad = "\x00" * 300
    prose = "Thanks for waiting. " * 20
    text = prose + "Card: " + pad.join(["4111", "1111", "1111", "1111"]) + " ok. " + "Bye. " * 80
    out = streamed(text, list(range(1, len(text))), hold=256, step=64)
    assert "4111" not in out.replace("\x00", "")
    assert out.startswith(prose[:100])  # what came before the card was not held forever
