"""Cheap textual signals of classic attack phrasing, run over the whole prompt.

Embeddings see at most the model's window and average everything in it, so an
attack phrased unlike any exemplar, or buried in a long benign prompt, can slip
under a threat intent's threshold. These few regexes catch the classic phrasings
anywhere in the (already normalized) text, at a cost of tens of microseconds:

    signal                   supports intent       weight
    override_instructions    prompt_injection      0.60
    system_prompt_extraction prompt_injection      0.60
    persona_jailbreak        jailbreak             0.60
    developer_mode           jailbreak             0.55
    secret_request           secrets_harvesting    0.60
    bulk_record_export       data_exfiltration     0.55
    encoded_payload          prompt_injection      0.30

A signal never decides alone: it raises the similarity ``s`` of the threat
intent it supports to ``s + w * (1 - s)`` (a noisy-OR of two pieces of
evidence), so ``w`` is the score the signal gives a prompt whose embedding
looks nothing like the intent. The intent's own threshold still decides. See
`engine.intent` for how the boost is applied and docs/intent.md for the why.

Base64 and hex blobs (16+ characters) that decode to printable text fire
`encoded_payload`, and the decoded text is scanned with the other signals, so a
"decode this and obey it" payload fires the signal its plain text would. Blobs
that decode to binary (hashes, identifiers) fire nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_SIGNALS", "Signal", "SignalHit", "scan"]


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    intent: str  # the conventional id of the threat intent this signal supports
    weight: float  # noisy-OR weight in (0, 1): the score this signal alone gives
    pattern: re.Pattern[str]  # lowercase, run over the lowercased text
    triggers: tuple[str, ...]  # the pattern runs only if one of these substrings occurs


@dataclass(frozen=True, slots=True)
class SignalHit:
    name: str
    intent: str
    weight: float
    start: int  # span in the scanned text (the whole blob, for a decoded payload)
    end: int


def _compile(pattern: str) -> re.Pattern[str]:
    # Patterns are lowercase and the text is lowercased once: IGNORECASE would switch
    # off the regex engine's literal fast paths and cost 2-3x.
    return re.compile(pattern, re.VERBOSE)


_GAP = r"(?:\W+\w+){0,%d}?\W+"  # up to N intervening words, lazily

_OVERRIDE = _compile(
    rf"""
    \b(?:ignore|disregard|forget|override|bypass|discard|abandon)\b
    (?:
        {_GAP % 5}
        (?:previous|prior|above|earlier|preceding|foregoing|initial|original|system|safety|your|all)\b
        {_GAP % 2}
        (?:instructions?|rules|directions|directives|guidelines|prompts?|constraints|guardrails
           |programming|polic(?:y|ies)|context)\b
      |
        {_GAP % 3}
        (?:instructions?|rules|directions|directives|guidelines|prompts?)
        \W+(?:above|before|so\s+far)\b
    )
    | \byour\s+(?:real|new|actual|true)\s+instructions\s+are\b
    | \bsystem\s+override\b
    """
)

_EXTRACTION = _compile(
    rf"""
    \b(?:reveal|show|print|repeat|output|display|tell|give|share|leak|dump|quote|recite
        |what\s+(?:is|are|was|were))\b
    {_GAP % 4}
    (?:system|initial|hidden|original|secret|internal|developer|pre-?)\W*
    (?:prompt|instructions?|message|configuration)s?\b
    | \b(?:repeat|print|output|quote|recite)\b{_GAP % 3}
      (?:above|before\s+(?:this|my)|at\s+the\s+(?:very\s+)?(?:beginning|start))\b
    """
)

_PERSONA = _compile(
    rf"""
    \byou\s+are\s+now\s+(?:dan|an?\s+(?:unfiltered|uncensored|unrestricted|jailbroken|evil|rogue))\b
    | \b(?:act|acting|play|playing)\s+as\s+dan\b
    | \bdo\s+anything\s+now\b
    | \b(?:jailbreak|jailbroken)\b
    | \b(?:unfiltered|uncensored|unrestricted)\s+(?:ai|assistant|chatbot|model|version|mode)\b
    | \b(?:pretend|imagine|act|role-?play|behave|answer|respond)\b{_GAP % 6}
      (?:no|without|free\s+(?:of|from)|ignor(?:e|ing))\W+(?:\w+\W+){{0,2}}?
      (?:rules|restrictions|limits|filters?|guidelines|censorship|ethics|morals|boundaries)\b
    | \bif\s+you\s+(?:had|have)\s+no\s+(?:rules|restrictions|guidelines|filters|limits)\b
    | \b(?:never|don'?t|do\s+not|won'?t|will\s+not)\s+(?:ever\s+)?refuse\b
    | \b(?:safety|content)\s+(?:rules|filters?|polic(?:y|ies)|guidelines)
      \s+(?:do\s+not|don'?t|no\s+longer)\s+apply\b
    """
)

_DEV_MODE = _compile(
    r"\b(?:developer|god|jailbreak|unrestricted|unfiltered|evil|dan)\s+(?:\w+\s+)?mode\b"
)

_CREDENTIAL_NOUNS = r"""
    (?:env(?:ironment)?\s+var(?:iable)?s?|api[\s_-]?keys?|secret[\s_-]?keys?
      |access[\s_-]?(?:keys?|tokens?)|auth(?:entication)?\s+tokens?|bearer\s+tokens?
      |passwords?|credentials|private\s+keys?|ssh\s+keys?|connection\s+strings?
      |[~/.\w-]*(?:id_rsa|id_ed25519|\.env|\.pem)
      |\$?[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:key|token|secret|password|passwd))\b
    (?!\s+(?:manager|policy|policies|reset|strength|requirements?|rotation|hash(?:ing)?
          |field|form|complexity|expiry))
"""
_SECRET = _compile(
    rf"""
    \b(?:print|echo|show|reveal|dump|output|display|paste|leak|expose|give|tell|list|send)\b
    (?:\W+(?:me|us|the|your|all|every|of|value|values|contents?|full|actual|real|plaintext
          |current|stored|production|prod|admin|root|its|their|any|in|clear|text))*
    \W+(?:\w+\W+)?{_CREDENTIAL_NOUNS}
    | \b(?:run|execute)\s+`?(?:env|printenv)\b
    | \bcat\s+\S*(?:\.env|id_rsa|/etc/shadow|/etc/passwd|credentials)\b
    """
)

_PII = r"""
    (?:e-?mail\s+address(?:es)?|e-?mails|phone\s+numbers?|(?:home\s+)?addresses|ssns?
      |social\s+security(?:\s+numbers?)?|(?:credit\s+)?card\s+numbers?|ibans?
      |account\s+numbers?|passwords|salar(?:y|ies)|dates?\s+of\s+birth|passport\s+numbers?
      |contact\s+details|personal\s+data|diagnos[ie]s|bank\s+details)\b
"""
_PEOPLE = r"""
    (?:customers?(?:'s?)?|clients?(?:'s?)?|users?(?:'s?)?|employees?(?:'s?)?|patients?(?:'s?)?
      |members?(?:'s?)?|account\s+holders?|staff|records|accounts)\b
"""
_BULK = _compile(
    rf"""
    \b(?:all|every|each|entire|whole|complete|full)\b\W+(?:\w+\W+){{0,2}}?{_PEOPLE}
      {_GAP % 6}{_PII}
    | \b(?:e-?mail\s+addresses|emails|phone\s+numbers|home\s+addresses|ssns|card\s+numbers
        |account\s+numbers|ibans|passport\s+numbers|contact\s+details|salaries|bank\s+details)\b
      {_GAP % 4}(?:of|for|from)\W+
      (?:everyone|everybody|(?:all|every|each)\W+(?:\w+\W+){{0,1}}?{_PEOPLE})
    | \b(?:export|dump|download|extract|copy|exfiltrate)\b{_GAP % 3}
      (?:customer|client|user|employee|patient|member)s?\s+(?:database|table|list|records|data)\b
    """
)

DEFAULT_SIGNALS: tuple[Signal, ...] = (
    Signal(
        "override_instructions",
        "prompt_injection",
        0.60,
        _OVERRIDE,
        ("ignore", "disregard", "forget", "override", "bypass", "discard", "abandon", "instruc"),
    ),
    Signal(
        "system_prompt_extraction",
        "prompt_injection",
        0.60,
        _EXTRACTION,
        ("prompt", "instruc", "message", "configuration", "above", "before", "beginning", "start"),
    ),
    Signal(
        "persona_jailbreak",
        "jailbreak",
        0.60,
        _PERSONA,
        (
            "dan",
            "anything now",
            "jailbr",
            "unfiltered",
            "uncensored",
            "unrestricted",
            "rules",
            "restriction",
            "limits",
            "filter",
            "guideline",
            "censorship",
            "ethics",
            "morals",
            "boundaries",
            "refuse",
            "apply",
        ),
    ),
    Signal("developer_mode", "jailbreak", 0.55, _DEV_MODE, (" mode",)),
    Signal(
        "secret_request",
        "secrets_harvesting",
        0.60,
        _SECRET,
        (
            "env",
            "key",
            "token",
            "secret",
            "passw",
            "credential",
            "id_rsa",
            "id_ed25519",
            ".pem",
            "connection string",
        ),
    ),
    Signal(
        "bulk_record_export",
        "data_exfiltration",
        0.55,
        _BULK,
        (
            "all",
            "every",
            "each",
            "entire",
            "whole",
            "complete",
            "full",
            "export",
            "dump",
            "download",
            "extract",
            "copy",
            "exfiltrate",
        ),
    ),
)

_BLOB_CANDIDATE = re.compile(r"[^\s\"'`()<>\[\]{},;]{16,}")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX = re.compile(r"(?:0x)?[0-9A-Fa-f]{32,}|(?:\\x[0-9A-Fa-f]{2}){16,}")
_MAX_DECODE = 8192  # characters of one blob worth decoding
ENCODED_PAYLOAD = Signal("encoded_payload", "prompt_injection", 0.30, _BASE64, ())


def scan(text: str, signals: Sequence[Signal] = DEFAULT_SIGNALS) -> tuple[SignalHit, ...]:
    """Every signal that fires on `text`, once each (first occurrence), in text order.

    Encoded blobs fire `encoded_payload`, and the signals their decoded text fires.
    """
    hits: dict[str, SignalHit] = {}
    _scan_plain(text, signals, hits, span=None)
    payload = ENCODED_PAYLOAD
    for start, end, decoded in _payloads(text):
        hits.setdefault(
            payload.name, SignalHit(payload.name, payload.intent, payload.weight, start, end)
        )
        _scan_plain(decoded, signals, hits, span=(start, end))
        # One more level: base64 inside hex (or the reverse) is a common wrapping.
        for _, _, inner in _payloads(decoded):
            _scan_plain(inner, signals, hits, span=(start, end))
    return tuple(sorted(hits.values(), key=lambda hit: hit.start))


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
        found = signal.pattern.search(lowered)
        if found is not None:
            start, end = span or (found.start(), found.end())
            hits[signal.name] = SignalHit(signal.name, signal.intent, signal.weight, start, end)


def _payloads(text: str) -> list[tuple[int, int, str]]:
    """Base64/hex blobs that decode to printable text: (start, end, decoded text)."""
    found: list[tuple[int, int, str]] = []
    for candidate in _BLOB_CANDIDATE.finditer(text):
        token, offset = candidate.group(), candidate.start()
        for pattern in (_HEX, _BASE64):
            match = pattern.search(token)
            if match is None or (pattern is _BASE64 and not _looks_encoded(match.group())):
                continue
            decoded = _decode(match.group())
            if decoded:
                found.append((offset + match.start(), offset + match.end(), decoded))
                break
    return found


def _looks_encoded(blob: str) -> bool:
    # A long run of letters alone is a word or an identifier, not a payload.
    has_upper = any(c.isupper() for c in blob)
    has_lower = any(c.islower() for c in blob)
    has_other = any(c.isdigit() or c in "+/=_-" for c in blob)
    return has_upper and has_lower and has_other


def _decode(blob: str) -> str | None:
    """Best-effort decode of a base64 or hex blob to printable text, else None."""
    blob = blob[:_MAX_DECODE]
    raw: bytes | None = None
    try:
        if blob.startswith("\\x"):
            raw = bytes.fromhex(blob.replace("\\x", ""))
        elif re.fullmatch(r"(?:0x)?[0-9A-Fa-f]+", blob):
            digits = blob.removeprefix("0x")
            raw = bytes.fromhex(digits[: len(digits) // 2 * 2])
        else:
            padded = blob + "=" * (-len(blob) % 4)
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=False)
    except (ValueError, binascii.Error):
        return None
    printable = sum(32 <= byte < 127 or byte in b"\n\r\t" for byte in raw)
    if not raw or printable < 0.9 * len(raw):
        return None
    return raw.decode("utf-8", errors="replace")
