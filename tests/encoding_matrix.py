"""The encoding matrix: structured values written the ways an evader writes them.

Every structured recognizer's value (e-mail, payment cards, IBANs, phone numbers,
SSNs, Spanish DNI) is rendered with each separator (space, dash, dot, tab, newline,
CR, none, 2-digit splits), each control or format character (NUL, SOH, BS, VT,
ESC, DEL, ZWSP, soft hyphen, bidi marks) slipped in at every group boundary and
inside the first group, each look-alike writing (fullwidth, Arabic-Indic digits;
fullwidth and Cyrillic letters for e-mails) and each position in a sentence.

A case leaks when six consecutive characters of the value (or all of it, when
shorter), compared on letters and digits only after normalization, are still in
what went out. Masking keeps the last four digits of a card, so it does not count
as a leak; a partial detection that lets the rest through does.

Used by tests/test_encoding_matrix.py and bench/encoding_leaks.py (which prints
the matrix size and the leak count, so the figure can be taken on any branch).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import cast

from engine.analyze import EngineState, analyze
from engine.decide import decide
from engine.decision import Decision, IntentMatch
from engine.detect import Detector
from engine.intent import IntentIndex
from engine.model import ChatMessage, DecisionRequest, IntentCategory, Principal, Snapshot
from engine.normalize import normalize
from engine.output_filter import OutputFilter, OutputRules, StreamFilter
from graph.snapshot import build_snapshot
from lifecycle.case_run import FixedIntent
from loaders.graph_mapping import to_graph
from loaders.policy_load import read_bundle

__all__ = [
    "CONTROLS",
    "LEAK_WINDOW",
    "POSITIONS",
    "SEPARATORS",
    "VALUES",
    "Case",
    "Value",
    "cases",
    "leaked",
]

LEAK_WINDOW = 6


@dataclass(frozen=True, slots=True)
class Value:
    """One structured value, as groups its usual writing separates."""

    name: str
    entity_type: str
    label: str  # the label the decision must record
    groups: tuple[str, ...]
    digits_split: bool = True  # a 2-digit split is a sensible writing of it
    separated: bool = True  # separators apply (not to e-mail addresses)
    bare: bool = True  # written without separators, it is still this entity

    @property
    def canonical(self) -> str:
        return _alnum("".join(self.groups))


VALUES: tuple[Value, ...] = (
    Value("visa", "CREDIT_CARD", "cardholder_data", ("4111", "1111", "1111", "1111")),
    Value("mastercard", "CREDIT_CARD", "cardholder_data", ("4454", "7945", "1139", "0933")),
    Value("amex", "CREDIT_CARD", "cardholder_data", ("3782", "822463", "10005")),
    Value("mc_2series", "CREDIT_CARD", "cardholder_data", ("2221", "0000", "0000", "0009")),
    Value(
        "iban_de", "IBAN_CODE", "financial_account", ("DE89", "3704", "0044", "0532", "0130", "00")
    ),
    Value(
        "iban_gb", "IBAN_CODE", "financial_account", ("GB82", "WEST", "1234", "5698", "7654", "32")
    ),
    Value("phone_uk", "PHONE_NUMBER", "phone_number", ("+44", "20", "7946", "0958")),
    Value("phone_us", "PHONE_NUMBER", "phone_number", ("+1", "415", "555", "2671")),
    # Nine bare digits are an SSN only after a context word ("SSN", "social security"):
    # a firewall that redacted every 9-digit number would redact order ids and phones.
    Value("ssn", "US_SSN", "government_id", ("536", "90", "4399"), digits_split=False, bare=False),
    Value("dni", "NATIONAL_ID", "government_id", ("12", "345", "678Z"), digits_split=False),
    Value(
        "email",
        "EMAIL_ADDRESS",
        "email_address",
        ("jane", ".", "doe", "@", "example", ".", "com"),
        digits_split=False,
        separated=False,
    ),
)

SEPARATORS: dict[str, str] = {
    "space": " ",
    "dash": "-",
    "dot": ".",
    "tab": "\t",
    "newline": "\n",
    "cr": "\r",
    "none": "",
    "split2": "",  # 2-digit groups, separators as in the issue: 44 54-79-45-11 39 09-33
}
_SPLIT2_SEPARATORS = (" ", "-", "-", "-", " ", " ", "-")

CONTROLS: dict[str, str] = {
    "no_control": "",
    "nul": "\x00",
    "soh": "\x01",
    "bs": "\x08",
    "vt": "\x0b",
    "esc": "\x1b",
    "del": "\x7f",
    "zwsp": "\u200b",
    "soft_hyphen": "\u00ad",
    "lrm": "\u200e",
    "rlo": "\u202e",
}

LOOKALIKES = ("plain", "fullwidth", "arabic_indic", "cyrillic")

POSITIONS: dict[str, str] = {
    "start": "{} is the one on file.",
    "middle": "Please use {} for the refund.",
    "end": "The one on file is {}",
    "sentence": "Noted (details: {}), thanks.",
}

_CYRILLIC = str.maketrans({"a": "\u0430", "e": "\u0435", "o": "\u043e"})
_FULLWIDTH = {chr(c): chr(c - 0x21 + 0xFF01) for c in range(0x21, 0x7F)}
_ARABIC_INDIC = {str(d): chr(0x0660 + d) for d in range(10)}


@dataclass(frozen=True, slots=True)
class Case:
    value: Value
    separator: str
    control: str
    lookalike: str
    position: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.value.name}-{self.separator}-{self.control}-{self.lookalike}-{self.position}"


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", normalize(text).text.lower())


def leaked(value: Value, out: str) -> bool:
    """Whether `out` still carries LEAK_WINDOW consecutive characters of `value`."""
    canonical = value.canonical
    seen = _alnum(out)
    width = min(LEAK_WINDOW, len(canonical))
    return any(canonical[i : i + width] in seen for i in range(len(canonical) - width + 1))


def _groups(value: Value, separator: str) -> tuple[list[str], list[str]]:
    """The value's groups and the separators between them."""
    if separator != "split2":
        groups = list(value.groups)
        return groups, [SEPARATORS[separator]] * (len(groups) - 1)
    head = [value.groups[0]] if value.groups[0].startswith("+") else []
    rest = "".join(value.groups[len(head) :])
    groups = head + [rest[i : i + 2] for i in range(0, len(rest), 2)]
    seps = [_SPLIT2_SEPARATORS[i % len(_SPLIT2_SEPARATORS)] for i in range(len(groups) - 1)]
    return groups, seps


def _look(piece: str, lookalike: str) -> str:
    if lookalike == "fullwidth":
        return "".join(_FULLWIDTH.get(ch, ch) for ch in piece)
    if lookalike == "arabic_indic":
        return "".join(_ARABIC_INDIC.get(ch, ch) for ch in piece)
    if lookalike == "cyrillic":
        return piece.translate(_CYRILLIC)
    return piece


def render(value: Value, separator: str, control: str, lookalike: str) -> str:
    groups, seps = _groups(value, separator)
    mark = CONTROLS[control]
    pieces = [_look(g, lookalike) for g in groups]
    if mark and len(pieces[0]) >= 2:
        pieces[0] = pieces[0][:2] + mark + pieces[0][2:]
    out = pieces[0]
    for sep, piece in zip(seps, pieces[1:], strict=True):
        out += sep + mark + piece
    return out


def _sensible(value: Value, separator: str, lookalike: str) -> bool:
    if not value.separated and separator != "none":
        return False
    if separator == "split2" and not value.digits_split:
        return False
    if separator == "none" and not value.bare:
        return False
    if lookalike == "cyrillic":
        return value.entity_type == "EMAIL_ADDRESS"
    if lookalike == "arabic_indic":
        return value.entity_type != "EMAIL_ADDRESS"
    return True


def cases() -> Iterator[Case]:
    """The whole matrix, in a stable order."""
    for value, separator, control, lookalike, position in itertools.product(
        VALUES, SEPARATORS, CONTROLS, LOOKALIKES, POSITIONS
    ):
        if not _sensible(value, separator, lookalike):
            continue
        text = POSITIONS[position].format(render(value, separator, control, lookalike))
        yield Case(value, separator, control, lookalike, position, text)


# --------------------------------------------------------------------------- harness

ENTERPRISE = Path(__file__).resolve().parents[1] / "examples" / "enterprise"
SECRET = b"encoding-matrix-secret"
# The retail chatbot redacts every personal value and masks cards: whatever of a
# value reaches its provider or its caller is a leak.
RETAIL = Principal("retail-chatbot-eu", "nw-retail", frozenset({"retail_chatbot_eu"}))
STREAM_PROSE = "Thank you for your patience while we looked into this for you. " * 3


@cache
def world() -> tuple[Snapshot, Detector]:
    snapshot = build_snapshot(to_graph(read_bundle(ENTERPRISE)), version="m", content_hash="m")
    return snapshot, Detector.for_snapshot(snapshot)


def inbound(text: str) -> Decision:
    """The decision for `text` as the retail chatbot's prompt."""
    snapshot, detector = world()
    request = DecisionRequest(RETAIL, (ChatMessage("user", text),))
    match = IntentMatch("customer_support_reply", IntentCategory.BUSINESS, 0.9)
    state = EngineState(snapshot, detector, cast(IntentIndex, FixedIntent(match)))
    return decide(
        request,
        snapshot,
        {},
        analyze(request, state),
        decision_id="dec_encoding_matrix",
        now=datetime(2026, 1, 1, tzinfo=UTC),
        secret=SECRET,
    )


@cache
def answer_filter() -> OutputFilter:
    """The output filter of an allowed retail chatbot request."""
    snapshot, detector = world()
    decision = inbound("My card never arrived.")
    return OutputFilter(
        detector,
        OutputRules.for_decision(decision, snapshot),
        key=SECRET,
        caller_id=decision.principal_id,
        pseudonyms=decision.pseudonyms,
    )


def inbound_leak(case: Case) -> str | None:
    """Why the case leaks inbound (value forwarded, or its label not recorded), or None."""
    decision = inbound(case.text)
    forwarded = " ".join(m.content for m in decision.messages)
    if leaked(case.value, forwarded):
        return f"forwarded: {forwarded!r}"
    if case.value.label not in decision.labels:
        return f"label {case.value.label} not recorded: {decision.labels}"
    return None


def outbound_leak(case: Case) -> str | None:
    out = answer_filter().filter(case.text)
    return f"answered: {out.text!r}" if leaked(case.value, out.text) else None


def streamed(text: str, cuts: list[int], *, hold: int = 64, step: int = 16) -> str:
    stream = StreamFilter(answer_filter(), hold=hold, step=step)
    bounds = [0, *cuts, len(text)]
    pieces = [stream.feed(text[a:b]).text for a, b in itertools.pairwise(bounds)]
    return "".join(pieces) + stream.flush().text


# Streaming one character per chunk scans the window at every character: only
# for these (a control character, a format character, none), to keep it fast.
_EVERY_CHARACTER_CONTROLS = frozenset({"no_control", "nul", "zwsp"})


def stream_leak(case: Case) -> str | None:
    """The answer streamed in two chunks cut at every boundary inside the value (and
    one character per chunk), after enough prose that the filter emits around it."""
    text = STREAM_PROSE + case.text
    start = len(STREAM_PROSE)
    splits = [[i] for i in range(start, len(text))]
    if case.separator == "newline" and case.control in _EVERY_CHARACTER_CONTROLS:
        splits.append(list(range(1, len(text))))
    for cuts in splits:
        out = streamed(text, cuts)
        if leaked(case.value, out):
            return f"cuts {cuts[:3]}: {out[start - 8 :]!r}"
    return None


def stream_cases() -> Iterator[Case]:
    """The streaming subset: every value x control, spaced (or plain) and fullwidth."""
    for case in cases():
        if (
            case.position == "middle"
            and case.lookalike in ("plain", "fullwidth")
            and case.separator in ("space", "newline", "none")
        ):
            yield case
