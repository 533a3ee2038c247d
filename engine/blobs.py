"""Encoded blobs in a text, and what they decode to when that reads as text.

`engine.views` makes one view per encoding from `decoded_blobs(text)`. A blob
counts when its decoding is UTF-8 text, 90% printable and a quarter letters:
hashes, keys and random identifiers decode to binary and are dropped.

    base64, base32, hex  a run of 16+ characters of the base64 alphabet (which
                         holds the others), tried in the narrowest alphabet it
                         fits; hex also as \\x41 escapes or spaced pairs
    url                  a token with 3+ percent escapes
    html                 3+ character references in a row ("&#73;&#103;...")

One regex scan finds the base64/base32/hex runs; the other forms are looked for
only when their marker ("\\x", " ", "%", "&") is in the text.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Callable
from urllib.parse import unquote

__all__ = ["ENCODINGS", "decoded_blobs"]

ENCODINGS = ("base64", "base32", "hex", "url", "html")

# One scan finds the blobs of every alphabet (base64's holds base32's and hex's);
# each is then tried in the narrowest alphabet it fits.
_BLOB = re.compile(r"(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{16,}={0,6}(?![A-Za-z0-9+/=_-])")
_HEX_DIGITS = re.compile(r"(?:0[xX])?(?:[0-9A-Fa-f]{2}){8,}")
_BASE32_DIGITS = re.compile(r"[A-Z2-7]+=*")
# Hex written as escapes, or as spaced pairs; printable ASCII is 0x20-0x7e, so
# every pair starts with a digit 2-7 and the scan rarely gets past one character.
_HEX_ESCAPES = re.compile(r"(?:\\x[0-9A-Fa-f]{2}){4,}")
_SPACED_HEX = re.compile(
    r"(?<![0-9A-Fa-f])(?:[2-7][0-9A-Fa-f][ :]){7,}[2-7][0-9A-Fa-f](?![0-9A-Fa-f])"
)
_URL_TOKEN = re.compile(r"(?<!\S)(?=(?:[^\s%]*%[0-9A-Fa-f]{2}){3})\S+")
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_HTML_RUN = re.compile(rf"{_ENTITY}(?:\s?{_ENTITY}){{2,}}")
_URL_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_MAX_BLOB = 65536  # characters of one blob worth decoding


def _printable_text(raw: bytes) -> str | None:
    """`raw` as text when it reads as text: UTF-8, 90% printable, with letters."""
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return decoded if _reads_as_text(decoded) else None


def _reads_as_text(decoded: str) -> bool:
    if not decoded:
        return False
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in decoded)
    letters = sum(ch.isalpha() for ch in decoded)
    return printable >= 0.9 * len(decoded) and letters >= max(3, len(decoded) // 4)


def _decode_base64(blob: str) -> str | None:
    if blob.isalpha() and (blob.islower() or blob.isupper()):
        return None  # a long word or constant, not a payload
    body = blob.rstrip("=").replace("-", "+").replace("_", "/")
    if len(body) % 4 == 1:
        return None
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4), validate=True)
    except (ValueError, binascii.Error):
        return None
    return _printable_text(raw)


def _decode_base32(blob: str) -> str | None:
    body = blob.rstrip("=")
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except (ValueError, binascii.Error):
        return None
    return _printable_text(raw)


def _decode_hex(blob: str) -> str | None:
    digits = re.sub(r"\\x|[ :]", "", blob.removeprefix("0x").removeprefix("0X"))
    try:
        raw = bytes.fromhex(digits)
    except ValueError:
        return None
    return _printable_text(raw)


def _decode_url(token: str) -> str | None:
    decoded = unquote(token, errors="strict") if _URL_ESCAPE.search(token) else token
    return decoded if decoded != token and _reads_as_text(decoded) else None


def _decode_html(run: str) -> str | None:
    decoded = html.unescape(run)
    return decoded if decoded != run and _reads_as_text(decoded) else None


def _decode_blob(blob: str) -> tuple[str, str] | None:
    """(encoding, text) of a blob from `_BLOB`, in the narrowest alphabet it fits."""
    if _HEX_DIGITS.fullmatch(blob):
        decoded = _decode_hex(blob)
        if decoded is not None:
            return "hex", decoded
    if _BASE32_DIGITS.fullmatch(blob):
        decoded = _decode_base32(blob)
        if decoded is not None:
            return "base32", decoded
    decoded = _decode_base64(blob)
    return None if decoded is None else ("base64", decoded)


def decoded_blobs(text: str) -> dict[str, list[tuple[int, int, str]]]:
    """Encoding -> the (start, end, decoded text) of each blob that reads as text, in order."""
    found: dict[str, list[tuple[int, int, str]]] = {}
    for match in _BLOB.finditer(text):
        decoded = _decode_blob(match.group()[:_MAX_BLOB])
        if decoded is not None:
            found.setdefault(decoded[0], []).append((*match.span(), decoded[1]))
    others: list[tuple[str, str, re.Pattern[str], Callable[[str], str | None]]] = [
        ("\\x", "hex", _HEX_ESCAPES, _decode_hex),
        (" ", "hex", _SPACED_HEX, _decode_hex),
        ("%", "url", _URL_TOKEN, _decode_url),
        ("&", "html", _HTML_RUN, _decode_html),
    ]
    for hint, name, pattern, decode in others:
        if hint not in text:
            continue
        for match in pattern.finditer(text):
            try:
                decoded_text = decode(match.group()[:_MAX_BLOB])
            except UnicodeDecodeError:
                decoded_text = None
            if decoded_text is not None:
                found.setdefault(name, []).append((*match.span(), decoded_text))
    return {name: sorted(found[name]) for name in ENCODINGS if name in found}
