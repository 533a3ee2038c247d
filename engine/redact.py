"""Redaction actions on detected spans: pure functions, no I/O, no clock.

`redact(text, choices, key=..., caller_id=...)` rewrites a normalized text
given, for each detection, the label that governs it and the action a policy
chose; it returns the new text, one `Replacement` per rewritten span (offsets in
the normalized text: map them back with `NormalizedText.to_original`), and the
pseudonyms it made, so that the answer can be restored for the same caller.

Actions:
- REDACT: a typed placeholder, ``[EMAIL_ADDRESS]``.
- MASK: every character but separators and the last few becomes ``*`` (the
  last 4 for values of 8+ such characters, fewer for shorter ones, so at most
  half is shown): ``**** **** **** 1111``; for an email the local part is
  masked and the domain kept: ``**********@example.com``.
- HASH: ``<EMAIL_ADDRESS:7f3a9c21>``, the first 8 hex digits of an HMAC-SHA256
  under the caller's key of a canonical form of the value (emails lower-cased,
  separators removed from numbers), so the same value links across requests
  and formats without being readable.
- PSEUDONYMIZE: ``<PERSON_4f2a1b>``, from an HMAC-SHA256 of caller id, entity
  type and value: stable for one caller across requests, different for
  another caller, reversible through the returned mapping (`restore`, or
  `PseudonymRestorer` for streamed answers).
- ALLOW and CONSTRAIN leave the span alone; DENY and DROP (which act on whole
  requests and items, not spans) are treated as REDACT if they reach a span:
  fail closed.

Overlapping spans are merged first: the merged span takes the most
restrictive action among them (then the higher score, the longer span). A
replacement never contains the value it replaces; restoring is the only way
back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from engine.model import Detection, Effect, Restrictiveness

__all__ = [
    "PLACEHOLDER_PATTERN",
    "Choice",
    "PseudonymRestorer",
    "Redacted",
    "Replacement",
    "keyed_hash",
    "mask",
    "pseudonym",
    "redact",
    "restore",
    "typed_placeholder",
]

Choice = tuple[Detection, str, Effect]
"""A detection, the label that governs it, and the action chosen for that label."""

PLACEHOLDER_PATTERN = re.compile(r"<[A-Z][A-Z0-9_]*_[0-9a-f]{6,64}>")
"""What a pseudonym looks like; `restore` replaces only those it has a mapping for."""

_PSEUDONYM_HEX = 6
_HASH_HEX = 8
_MASK_CHAR = "*"
_MASK_KEEP = 4
_MASK_SEPARATORS = frozenset(" \t\n-./()")
_CANONICAL_DROP = re.compile(r"[\s\-.()/]")
_NUMBER_TYPES = frozenset({"CREDIT_CARD", "IBAN_CODE", "US_SSN", "PHONE_NUMBER"})


@dataclass(frozen=True, slots=True)
class Replacement:
    """One rewritten span; `start`/`end` index the text given to `redact`."""

    start: int
    end: int
    entity_type: str
    label: str
    action: Effect
    replacement: str
    labels: tuple[str, ...] = ()  # every label that asked for a change here, sorted


@dataclass(frozen=True, slots=True)
class Redacted:
    text: str
    replacements: tuple[Replacement, ...]
    # placeholder -> original value, for `restore`. Never log it.
    pseudonyms: Mapping[str, str] = field(default_factory=dict, repr=False)


# --------------------------------------------------------------------------- actions


def typed_placeholder(entity_type: str) -> str:
    return f"[{entity_type}]"


def mask(value: str, entity_type: str) -> str:
    """Star all but separators and the last few characters; emails keep their domain."""
    if entity_type == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.rpartition("@")
        if local:
            return _never_containing(_MASK_CHAR * len(local) + "@" + domain, value)
    maskable = [i for i, ch in enumerate(value) if ch not in _MASK_SEPARATORS]
    if len(maskable) < 2:
        maskable = list(range(len(value)))
    keep = min(_MASK_KEEP, len(maskable) // 2)
    hidden = set(maskable[: len(maskable) - keep])
    masked = "".join(_MASK_CHAR if i in hidden else ch for i, ch in enumerate(value))
    return _never_containing(masked, value)


def keyed_hash(value: str, entity_type: str, key: bytes) -> str:
    """``<TYPE:8 hex>``: HMAC-SHA256 of the canonical value under `key`."""
    digest = _hmac(key, "hash", entity_type, _canonical(value, entity_type))
    for length in (_HASH_HEX, 16, 32, 64):
        candidate = f"<{entity_type}:{digest[:length]}>"
        if value not in candidate:
            return candidate
    return _never_containing(typed_placeholder(entity_type), value)


def pseudonym(
    value: str, entity_type: str, key: bytes, caller_id: str, length: int = _PSEUDONYM_HEX
) -> str:
    """``<TYPE_hex>``: stable per (caller, type, value), unreadable without the mapping."""
    digest = _hmac(key, "pseudonym", caller_id, entity_type, value)
    return f"<{entity_type}_{digest[:length]}>"


def _hmac(key: bytes, *parts: str) -> str:
    # Length-prefixed parts, so no two different part lists share an input.
    message = b"".join(len(p.encode()).to_bytes(4, "big") + p.encode() for p in parts)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _canonical(value: str, entity_type: str) -> str:
    if entity_type == "EMAIL_ADDRESS":
        return value.strip().lower()
    if entity_type in _NUMBER_TYPES:
        return _CANONICAL_DROP.sub("", value).upper()
    return value


def _never_containing(replacement: str, value: str) -> str:
    """`replacement`, unless it would show `value`: then a fill of another character."""
    if not value or value not in replacement:
        return replacement
    fill = 0x2588  # FULL BLOCK, then its neighbours
    while chr(fill) in value:
        fill += 1
    return chr(fill) * len(value)


# --------------------------------------------------------------------------- redact


def _effective(action: Effect) -> Effect | None:
    """The span action an effect amounts to; None leaves the span alone. A span cannot
    be dropped like a context item (nor a text denied span by span): it is redacted."""
    if action in (Effect.ALLOW, Effect.CONSTRAIN):
        return None
    if action in (Effect.DENY, Effect.DROP):
        return Effect.REDACT
    return action


def redact(
    text: str,
    choices: Iterable[Choice],
    *,
    key: bytes,
    caller_id: str,
) -> Redacted:
    """Rewrite `text` according to `choices`; see the module docstring."""
    acting = sorted(
        (
            (detection, label, effective)
            for detection, label, action in choices
            if (effective := _effective(action)) is not None
            and 0 <= detection.start < detection.end <= len(text)
        ),
        key=lambda c: (c[0].start, c[0].end, c[0].entity_type, c[1]),
    )
    groups: list[list[tuple[Detection, str, Effect]]] = []
    group_end = -1
    for choice in acting:
        if groups and choice[0].start < group_end:
            groups[-1].append(choice)
            group_end = max(group_end, choice[0].end)
        else:
            groups.append([choice])
            group_end = choice[0].end

    pieces: list[str] = []
    replacements: list[Replacement] = []
    pseudonyms: dict[str, str] = {}
    taken: dict[str, tuple[str, str]] = {}  # placeholder -> (entity type, value), this request
    memo: dict[tuple[str, str, str], str] = {}  # repeated values: one HMAC each
    position = 0
    for group in groups:
        start = min(d.start for d, _, _ in group)
        end = max(d.end for d, _, _ in group)
        detection, label, action = max(
            group,
            key=lambda c: (
                Restrictiveness.of(c[2]),
                c[0].score,
                c[0].end - c[0].start,
                -c[0].start,
                c[0].entity_type,
                c[1],
            ),
        )
        value = text[start:end]
        entity_type = detection.entity_type
        if action is Effect.MASK:
            replacement = mask(value, entity_type)
        elif action is Effect.HASH:
            memo_key = ("hash", entity_type, value)
            if memo_key not in memo:
                memo[memo_key] = keyed_hash(value, entity_type, key)
            replacement = memo[memo_key]
        elif action is Effect.PSEUDONYMIZE:
            memo_key = ("pseudonym", entity_type, value)
            if memo_key not in memo:
                memo[memo_key] = _unique_pseudonym(value, entity_type, key, caller_id, taken)
            replacement = memo[memo_key]
            pseudonyms[replacement] = value
        else:
            action = Effect.REDACT
            replacement = _never_containing(typed_placeholder(entity_type), value)
        pieces.append(text[position:start])
        pieces.append(replacement)
        position = end
        replacements.append(
            Replacement(
                start=start,
                end=end,
                entity_type=entity_type,
                label=label,
                action=action,
                replacement=replacement,
                labels=tuple(sorted({lab for _, lab, _ in group})),
            )
        )
    pieces.append(text[position:])
    return Redacted("".join(pieces), tuple(replacements), pseudonyms)


def _unique_pseudonym(
    value: str, entity_type: str, key: bytes, caller_id: str, taken: dict[str, tuple[str, str]]
) -> str:
    """The value's pseudonym, lengthened in the rare case that another value of
    this request already has it (24 bits collide after a few thousand values)."""
    for length in range(_PSEUDONYM_HEX, 65, 2):
        candidate = pseudonym(value, entity_type, key, caller_id, length)
        owner = taken.get(candidate)
        if (owner is None or owner == (entity_type, value)) and value not in candidate:
            taken[candidate] = (entity_type, value)
            return candidate
    raise AssertionError("SHA-256 prefixes of distinct inputs cannot all collide")


# --------------------------------------------------------------------------- restore


def restore(text: str, mapping: Mapping[str, str]) -> str:
    """Put the originals back for every placeholder in `mapping`; leave others."""
    if not mapping:
        return text
    return PLACEHOLDER_PATTERN.sub(lambda m: mapping.get(m.group(), m.group()), text)


class PseudonymRestorer:
    """Restores pseudonyms in a streamed answer, chunk by chunk.

    A placeholder may be split across chunks ("<PERS" + "ON_4f2a1b>"): a chunk's
    tail that could still become a known placeholder is held back until the
    next chunk (or `flush`) decides it.
    """

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self._mapping = dict(mapping)
        self._prefixes = frozenset(
            placeholder[:i] for placeholder in self._mapping for i in range(1, len(placeholder))
        )
        self._longest = max((len(p) for p in self._mapping), default=0)
        self._pending = ""

    def feed(self, chunk: str) -> str:
        """The restored text that is certain so far."""
        buffer = self._pending + chunk
        cut = len(buffer)
        for index in range(max(0, len(buffer) - self._longest + 1), len(buffer)):
            if buffer[index] == "<" and buffer[index:] in self._prefixes:
                cut = index
                break
        self._pending = buffer[cut:]
        return restore(buffer[:cut], self._mapping)

    def flush(self) -> str:
        """The held-back tail at the end of the stream (it was no placeholder)."""
        tail, self._pending = self._pending, ""
        return restore(tail, self._mapping)

    def restore_all(self, chunks: Sequence[str]) -> str:
        """Convenience: feed every chunk, then flush."""
        return "".join(self.feed(chunk) for chunk in chunks) + self.flush()
