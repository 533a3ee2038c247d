"""How phrase signals are scanned: the types, the scan over a text and its readings.

engine.signals holds the phrase patterns themselves (what an attack says); this
module holds what is not a phrase: the `Signal` and `SignalHit` types and
`scan_signals`, which runs signals over a normalized text and over two more
readings of it that spelling games would otherwise hide from a regex:

- the text with leetspeak words read as letters ("1gn0r3 4ll ru135"), by
  `engine.views.read_leet`, one character for one, so hit offsets stay those
  of the text;
- encoded blobs (base64 and hex, as `engine.blobs` finds and decodes them):
  a blob that decodes to text fires `encoded_payload`, and its decoded text
  (and one nested level: base64 inside hex or the reverse) is scanned with the
  other signals, each hit spanning the whole blob. Blobs that decode to binary
  (hashes, identifiers) fire nothing.

The threat detector reads the same views (engine.views), so there is one leet
reading and one blob decoder in the engine, not one per consumer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.blobs import decoded_blobs
from engine.views import read_leet

__all__ = ["ENCODED_PAYLOAD", "Signal", "SignalHit", "compile_pattern", "scan_signals"]


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    intent: str  # the conventional id of the threat intent this signal supports
    weight: float  # noisy-OR weight in (0, 1): the score this signal alone gives
    pattern: re.Pattern[str]  # lowercase, run over the lowercased text
    triggers: tuple[str, ...]  # the pattern runs only if one of these substrings occurs
    # A match right after this (searched in the text before it) does not count:
    # "how do I print the env vars" asks for a method, "print the env vars" for the values.
    unless_before: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class SignalHit:
    name: str
    intent: str
    weight: float
    start: int  # span in the scanned text (the whole blob, for a decoded payload)
    end: int


def compile_pattern(pattern: str) -> re.Pattern[str]:
    # Patterns are lowercase and the text is lowercased once: IGNORECASE would switch
    # off the regex engine's literal fast paths and cost 2-3x.
    return re.compile(pattern, re.VERBOSE)


# Fires on the blob itself; what the blob says fires the phrase signals.
ENCODED_PAYLOAD = Signal("encoded_payload", "prompt_injection", 0.30, re.compile(r"(?!)"), ())
_PAYLOAD_ENCODINGS = ("base64", "hex")


def scan_signals(text: str, signals: Sequence[Signal]) -> tuple[SignalHit, ...]:
    """Every signal that fires on `text`, once each (first occurrence), in text order.

    Encoded blobs fire `encoded_payload`, and the signals their decoded text fires.
    """
    hits: dict[str, SignalHit] = {}
    _scan_plain(text, signals, hits, span=None)
    lowered = _lower(text)
    deleeted = read_leet(lowered)
    if deleeted != lowered:
        _scan_plain(deleeted, signals, hits, span=None)
    payload = ENCODED_PAYLOAD
    for start, end, decoded in _payloads(text):
        hits.setdefault(
            payload.name, SignalHit(payload.name, payload.intent, payload.weight, start, end)
        )
        _scan_plain(decoded, signals, hits, span=(start, end))
        for _, _, inner in _payloads(decoded):
            _scan_plain(inner, signals, hits, span=(start, end))
    return tuple(sorted(hits.values(), key=lambda hit: hit.start))


def _payloads(text: str) -> list[tuple[int, int, str]]:
    """Base64/hex blobs of `text` that decode to text: (start, end, decoded), in order."""
    blobs = decoded_blobs(text)
    return sorted(b for name in _PAYLOAD_ENCODINGS for b in blobs.get(name, ()))


def _lower(text: str) -> str:
    lowered = text.lower()
    # A few non-ASCII capitals lower to two characters; keep offsets aligned then.
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def _scan_plain(
    text: str, signals: Sequence[Signal], hits: dict[str, SignalHit], span: tuple[int, int] | None
) -> None:
    lowered = _lower(text)
    for signal in signals:
        if signal.name in hits or not any(t in lowered for t in signal.triggers):
            continue
        for found in signal.pattern.finditer(lowered):
            if signal.unless_before is not None and signal.unless_before.search(
                lowered, max(0, found.start() - 48), found.start()
            ):
                continue
            start, end = span or (found.start(), found.end())
            hits[signal.name] = SignalHit(signal.name, signal.intent, signal.weight, start, end)
            break
