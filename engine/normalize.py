"""Text normalization, so that detection cannot be evaded by encoding tricks.

`normalize(text)` returns the text every detector and matcher sees, with a map
back to the caller's original offsets:

1. invisible characters are removed: format characters (category Cf: zero-width
   space/joiners, word joiner, BOM, soft hyphen, bidi overrides and isolates,
   tag characters), a few invisible fillers of other categories (variation
   selectors, Hangul fillers, the combining grapheme joiner) and the control
   characters (category Cc: NUL, SOH, BS, VT, FF, ESC, DEL, C1) other than tab,
   line feed and carriage return (NEL becomes a line feed);
2. Unicode NFKC: fullwidth forms, ligatures, mathematical alphanumerics,
   circled, squared and super/subscript characters become their plain forms;
3. whitespace, dash and quote variants become ASCII (' ', '-', "'", '"'), digits
   of every script become ASCII digits, and Latin look-alikes that only serve to
   disguise (dotless i, small capitals, IPA script a and g) become plain letters;
4. Cyrillic, Greek, Armenian, Cherokee and Lisu homoglyphs of Latin letters
   (about 190: а е о р с х і ј, α ε η ι ο ρ τ υ ω, Α Β Ε Η, օ ս ո ր, Ꭺ Ᏼ Ꮯ, ꓮ ꓐ ...)
   become the Latin letter, but only where that cannot be legitimate text:
   - a whitespace-delimited token that holds a Latin letter and a homoglyph is
     mapped ("pаssword" with a Cyrillic a, "jоhn@ехаmple.com");
   - a token made only of homoglyphs (a "twin-only" token: "то", "και", "ехес")
     is mapped unless real prose of its script is next to it: the nearest token
     beyond its run of twin-only tokens, on either side, holds a letter without
     a Latin twin (д, ж, и, λ, σ, π, ա, ի, ...). A text with no such letter at all
     is mapped entirely; a text with no Latin letter at all is left alone.

   Why this still tells real prose apart once ε, η, μ, τ, ω and the like are in
   the table: it never looks at a letter ratio, only at tokens. Short real
   words are often twin-only (Greek "και", "είναι", Russian "как", "он"), but
   every sentence of real Greek, Russian, Ukrainian, Bulgarian, Serbian or
   Armenian has words with letters of its own next to them, which keep them
   untouched; a disguised English prompt has Latin letters in almost every
   token, so its fully disguised short words sit between Latin tokens. Costs:
   a text that is only twin-only words ("сор", "Она тут") is read as Latin; a
   real word right next to Latin text ("Он said") is read as Latin; a
   Latin-stemmed token with a Cyrillic suffix ("iPhone-у") loses the suffix's
   script; and a prompt disguised in every letter, with one genuine Cyrillic
   letter added, is left alone (no Latin letter remains). The threat detector
   also scans `engine.views`' skeleton view, which maps every homoglyph, so
   this conservative rule protects what is forwarded without blinding it.

Mathematical alphanumerics (𝐚, 𝔞, 𝕒, and the Greek ones: 𝛂 -> α -> a) need no
table: step 2 folds them before step 4 looks at homoglyphs.

The table is curated here rather than taken from a dependency: the packages on
PyPI (confusable-homoglyphs, confusables) answer "is this string confusable?"
from the full Unicode confusables data, with per-character Python lookups; what
the request path needs is a one-pass `str.translate` to a skeleton for the few
scripts attackers actually use, which a 190-entry table does in C.

Numbers split by separators that are legitimately text (tabs, newlines, dots,
every two digits) are read whole again by `engine.digit_views`, on this output.

Nothing is rejected here: oversized input is the API's business.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["NormalizedText", "homoglyph_letters", "homoglyph_skeleton", "normalize"]


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text and the way back to the caller's original offsets.

    ``starts[i]`` / ``ends[i]`` are the original span that normalized character
    ``i`` came from (several normalized characters may share one span, e.g. the
    "f" and "i" of a decomposed ligature). ``None`` means offsets are unchanged:
    character ``i`` came from original character ``i``.
    """

    text: str
    original_length: int
    starts: tuple[int, ...] | None = field(default=None, repr=False)
    ends: tuple[int, ...] | None = field(default=None, repr=False)
    invisible_removed: int = 0
    confusables_mapped: int = 0

    @property
    def identity_offsets(self) -> bool:
        return self.starts is None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span [start, end) of `text` to the span of the original text.

        The original span covers every original character that contributed to
        the normalized span, including invisible characters removed inside it.
        An empty span maps to an empty span at the corresponding position.
        """
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"span [{start}, {end}) is outside the normalized text (0..{n})")
        if self.starts is None or self.ends is None:
            return start, end
        if start == end:
            position = self.starts[start] if start < n else self.original_length
            return position, position
        return self.starts[start], self.ends[end - 1]


# --------------------------------------------------------------------------- tables

# Invisible characters outside category Cf (which is removed wholesale).
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))
)

# Control characters (category Cc) but the three that shape ordinary text (tab,
# line feed, carriage return) and NEL (a line break, mapped to "\n" below). Removed,
# not read as separators: a NUL, ESC or DEL inside "jane.doe@example.com" or a card
# number has no meaning but to split it, and VT or FF between two words is rare
# enough that joining the words costs less than letting them split a value.
_CONTROLS_REMOVED = frozenset(
    chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r\x85"
)
_ASCII_CONTROL = re.compile(
    "[" + "".join(re.escape(c) for c in sorted(_CONTROLS_REMOVED) if c < "\x80") + "]"
)

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u2035": "'", "\u2039": "'", "\u203a": "'", "\u02bc": "'", "\u02bb": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2033": '"', "\u2036": '"', "\u00ab": '"', "\u00bb": '"', "\u301d": '"',
    "\u301e": '"',
}  # fmt: skip

# Latin-script look-alikes with no business in ordinary text: always mapped.
_LATIN_LOOKALIKES = {
    "\u0131": "i", "\u0237": "j", "\u0251": "a", "\u0261": "g", "\u0269": "i",
    "\u026a": "i", "\u01c0": "l", "\u1d00": "a", "\u0299": "b", "\u1d04": "c",
    "\u1d05": "d", "\u1d07": "e", "\u0262": "g", "\u029c": "h", "\u1d0a": "j",
    "\u1d0b": "k", "\u029f": "l", "\u1d0d": "m", "\u0274": "n", "\u1d0f": "o",
    "\u1d18": "p", "\u0280": "r", "\ua731": "s", "\u1d1b": "t", "\u1d1c": "u",
    "\u1d20": "v", "\u1d21": "w", "\u028f": "y", "\u1d22": "z", "\ua730": "f",
    "\ua7af": "q", "\u1d29": "p",
}  # fmt: skip

# Homoglyphs of Latin letters in the scripts attackers use: every letter of
# Cyrillic, Greek, Armenian, Cherokee and Lisu whose usual glyph reads as a Latin
# letter, lower and upper case. Mapped under the token rule of the module
# docstring. Letters that only evoke a Latin letter with a tail or a bar (Greek
# ζ, Cyrillic ц, ђ) are left out: they do not fool a reader, so an attacker
# gains nothing and genuine prose keeps more letters of its own.
_CONFUSABLES = {
    # Cyrillic lower case
    "а": "a", "в": "b", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l",
    "ү": "y", "ь": "b", "к": "k", "п": "n", "г": "r", "т": "t", "м": "m", "н": "h",
    "ѵ": "v", "ѡ": "w", "ҽ": "e", "ё": "ë", "ї": "ï", "ѐ": "è", "ӓ": "ä", "ӧ": "ö",
    # Cyrillic upper case
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q",
    "Ԝ": "W", "Һ": "H", "Ӏ": "I", "Ү": "Y", "Ѵ": "V", "Ԁ": "D", "Ԍ": "G", "Ь": "b",
    "Ѡ": "W", "Ё": "Ë", "Ї": "Ï", "Ѐ": "È", "Ӓ": "Ä", "Ӧ": "Ö",
    # Greek upper case
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϳ": "J", "Ϝ": "F",
    "Ϻ": "M",
    # Greek lower case. NFKC has already turned ϵ ϰ ϱ ϒ into ε κ ρ Υ, and the
    # lunate sigmas, perfect c and C look-alikes, into ς and Σ: ς is mapped for
    # their sake; Σ is not, it does not look like C.
    "α": "a", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "ς": "c", "ϳ": "j",
    "ά": "á", "έ": "é", "ί": "í", "ό": "ó", "ύ": "ú", "ϊ": "ï", "ϋ": "ü",
    # Armenian
    "օ": "o", "ս": "u", "հ": "h", "ո": "n", "ց": "g", "զ": "q", "յ": "j", "ռ": "n",
    "ր": "n", "Տ": "S", "Օ": "O", "Ս": "U", "Լ": "L", "Ո": "n",
    # Cherokee upper case (lower case, which looks like small capitals, below)
    "Ꭰ": "D", "Ꭱ": "R", "Ꭲ": "T", "Ꭵ": "i", "Ꭺ": "A", "Ꭻ": "J", "Ꭼ": "E", "Ꮃ": "W",
    "Ꮇ": "M", "Ꮋ": "H", "Ꮍ": "y", "Ꮐ": "G", "Ꮒ": "h", "Ꮓ": "Z", "Ꮟ": "b", "Ꮢ": "R",
    "Ꮤ": "W", "Ꮩ": "V", "Ꮪ": "S", "Ꮮ": "L", "Ꮯ": "C", "Ꮲ": "P", "Ꮶ": "K", "Ᏼ": "B",
    # Lisu (its letters are Latin capitals, some turned)
    "ꓐ": "B", "ꓑ": "P", "ꓓ": "D", "ꓔ": "T", "ꓖ": "G", "ꓗ": "K", "ꓙ": "J", "ꓚ": "C",
    "ꓜ": "Z", "ꓝ": "F", "ꓟ": "M", "ꓠ": "N", "ꓡ": "L", "ꓢ": "S", "ꓣ": "R", "ꓦ": "V",
    "ꓧ": "H", "ꓪ": "W", "ꓫ": "X", "ꓬ": "Y", "ꓮ": "A", "ꓰ": "E", "ꓲ": "I", "ꓳ": "O",
    "ꓴ": "U",
}  # fmt: skip


def _cherokee_small(capital: str) -> str:
    """The small letter of a Cherokee capital (Unicode 8 encoded them in two blocks)."""
    codepoint = ord(capital)
    return chr(codepoint - 0x13A0 + 0xAB70 if codepoint < 0x13F0 else codepoint + 8)


_CONFUSABLES |= {
    _cherokee_small(capital): latin.lower()
    for capital, latin in list(_CONFUSABLES.items())
    if "\u13a0" <= capital <= "\u13f5"
}
_CONFUSABLE_TABLE = str.maketrans(_CONFUSABLES)

# Letters of the homoglyph scripts that have no Latin twin: their presence means
# the text really is written in that script.
_HOMOGLYPH_SCRIPT_RANGES = ((0x0370, 0x03FF), (0x0400, 0x052F), (0x0530, 0x058F),
                            (0x13A0, 0x13FF), (0x1C80, 0x1C8F), (0x1F00, 0x1FFF),
                            (0x2DE0, 0x2DFF), (0xA4D0, 0xA4FF), (0xA640, 0xA69F),
                            (0xAB70, 0xABBF))  # fmt: skip
_GENUINE_FOREIGN_LETTER = re.compile(
    "["
    + "".join(
        re.escape(chr(cp))
        for lo, hi in _HOMOGLYPH_SCRIPT_RANGES
        for cp in range(lo, hi + 1)
        if unicodedata.category(chr(cp)).startswith("L") and chr(cp) not in _CONFUSABLES
    )
    + "]"
)
_CONFUSABLE_LETTER = re.compile("[" + "".join(re.escape(c) for c in _CONFUSABLES) + "]")
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_LETTER = re.compile(f"[{_LATIN}]")
# Whitespace-delimited tokens holding a Latin letter, a homoglyph or a genuine
# letter of a homoglyph script: the tokens the rule looks at. The lookahead is
# possessive, so the scan stays linear.
_LETTERS_OF_INTEREST = (
    _LATIN + _CONFUSABLE_LETTER.pattern[1:-1] + _GENUINE_FOREIGN_LETTER.pattern[1:-1]
)
_TOKEN_OF_INTEREST = re.compile(
    rf"(?<!\S)(?=[^\s{_LETTERS_OF_INTEREST}]*+[{_LETTERS_OF_INTEREST}])\S+"
)


def _always_mapping(ch: str) -> str | None:
    """The unconditional mapping of one character: itself, a replacement, or None."""
    if ch in _INVISIBLE or ch in _CONTROLS_REMOVED:
        return None
    category = unicodedata.category(ch)
    if category == "Cf":
        return None
    if ch.isascii():
        return ch
    if category == "Zs" or ch == "\u2800":
        return " "
    if category in ("Zl", "Zp") or ch == "\x85":
        return "\n"
    if category == "Pd" or ch in "\u2212\u2043\u2796":
        return "-"
    if ch in _QUOTES:
        return _QUOTES[ch]
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    return _LATIN_LOOKALIKES.get(ch, ch)


def _bmp_class(codepoints: set[int]) -> str:
    ranges: list[list[int]] = []
    for codepoint in sorted(c for c in codepoints if c < 0x10000):
        if ranges and ranges[-1][1] == codepoint - 1:
            ranges[-1][1] = codepoint
        else:
            ranges.append([codepoint, codepoint])
    return "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)


def _scan_unicode() -> tuple[dict[int, str | None], frozenset[str], frozenset[int]]:
    """One pass over this Python's Unicode database, at import (about 0.13 s).

    Returns the unconditional mapping of every character it changes; the
    starters that canonical composition may merge into the preceding character
    (second characters of two-character canonical decompositions, plus Hangul
    medial vowels and final consonants); and the "dirty" characters: those
    mapped, not NFKC-stable on their own, or that may merge with a neighbour.
    Clean characters are copied as they are. Planes 0-2 and the tag and
    variation-selector block of plane 14 are scanned; any other astral
    character counts as dirty and is looked at individually.
    """
    table: dict[int, str | None] = {}
    compose_second: set[str] = set()
    dirty: set[int] = set()
    for codepoint in (*range(0x30000), *range(0xE0000, 0xE1000)):
        ch = chr(codepoint)
        mapped = _always_mapping(ch)
        if mapped != ch:
            table[codepoint] = mapped
            dirty.add(codepoint)
        decomposition = unicodedata.decomposition(ch)
        if decomposition:
            if not decomposition.startswith("<"):
                parts = decomposition.split()
                if len(parts) == 2:
                    compose_second.add(chr(int(parts[1], 16)))
            if unicodedata.normalize("NFKC", ch) != ch:
                dirty.add(codepoint)
        elif unicodedata.combining(ch):
            dirty.add(codepoint)
    compose_second.update(chr(c) for c in range(0x1161, 0x1176))
    compose_second.update(chr(c) for c in range(0x11A8, 0x11C3))
    dirty.update(ord(c) for c in compose_second)
    return table, frozenset(compose_second), frozenset(dirty)


_ALWAYS, _COMPOSE_WITH_PREVIOUS, _DIRTY_CODEPOINTS = _scan_unicode()


def _removed(ch: str) -> bool:
    return _ALWAYS.get(ord(ch), ch) is None


def _map_always(piece: str) -> str:
    return piece.translate(_ALWAYS)


@lru_cache(maxsize=8192)
def _starts_cluster(ch: str) -> bool:
    """Whether NFKC can never merge `ch` with what precedes it."""
    first = unicodedata.normalize("NFKD", ch)[0]
    return unicodedata.combining(first) == 0 and first not in _COMPOSE_WITH_PREVIOUS


def _joins_previous(ch: str) -> bool:
    """Part of the preceding cluster: removed (it may separate a letter from its
    combining mark) or mergeable into the preceding character by NFKC."""
    return ch != "" and (_removed(ch) or (ch >= "\x80" and not _starts_cluster(ch)))


def _settle(piece: str) -> str:
    """NFKC then the unconditional mappings, until neither changes the piece."""
    for _ in range(4):
        mapped = _map_always(unicodedata.normalize("NFKC", piece))
        if mapped == piece:
            break
        piece = mapped
    return piece


# Dirty characters that form a cluster of their own whenever the next character
# cannot join them (the common case: a fullwidth letter, a curly quote, a
# zero-width space), with their settled output ("" when removed).
_SIMPLE = {
    chr(codepoint): _settle(chr(codepoint)) if _ALWAYS.get(codepoint, "") is not None else ""
    for codepoint in _DIRTY_CODEPOINTS
    if _starts_cluster(chr(codepoint))
}
_SIMPLE_TABLE = {ord(ch): out for ch, out in _SIMPLE.items() if ord(ch) < 0x10000}
# Classes of BMP characters compile to constant-time bitmaps; astral characters
# are all treated as dirty and complex, and looked at one by one.
_ASTRAL = "\\U00010000-\\U0010ffff"
_DIRTY_RUN = re.compile(f"(?:[{_bmp_class(set(_DIRTY_CODEPOINTS))}]|[{_ASTRAL}])+")
_COMPLEX = re.compile(
    f"[{_bmp_class({c for c in _DIRTY_CODEPOINTS if chr(c) not in _SIMPLE})}]|[{_ASTRAL}]"
)
_NOT_ONE_TO_ONE = re.compile(
    f"[{_bmp_class({ord(ch) for ch, out in _SIMPLE.items() if len(out) != 1})}]"
)


def _confusable_tokens(text: str) -> list[tuple[int, int]]:
    """Spans of `text` whose homoglyphs must become Latin (see the module rule)."""
    if _CONFUSABLE_LETTER.search(text) is None:
        return []
    if _GENUINE_FOREIGN_LETTER.search(text) is None:
        return [(0, len(text))]
    if _LATIN_LETTER.search(text) is None:
        return []
    return _disguised_tokens(text)


# How a token of interest reads, for the token rule.
_LATIN_SIDE, _FOREIGN, _TWINS_ONLY = 0, 1, 2


def _disguised_tokens(text: str) -> list[tuple[int, int]]:
    """Tokens to map in a text holding Latin, homoglyph and genuine foreign letters.

    A token with a Latin letter is mapped when it holds a homoglyph. A run of
    twin-only tokens (homoglyphs and nothing else of these scripts) is mapped
    unless the nearest token on either side, beyond the run, has a letter of its
    own script without a Latin twin: then the run is a short word of real prose.
    Only reached by mixed-script texts, so a loop over their tokens is affordable.
    """
    tokens: list[tuple[int, int, int, bool]] = []  # start, end, kind, holds a homoglyph
    for match in _TOKEN_OF_INTEREST.finditer(text):
        token = match.group()
        has_homoglyph = _CONFUSABLE_LETTER.search(token) is not None
        if _LATIN_LETTER.search(token) is not None:
            kind = _LATIN_SIDE
        elif _GENUINE_FOREIGN_LETTER.search(token) is not None:
            kind = _FOREIGN
        else:
            kind = _TWINS_ONLY
        tokens.append((*match.span(), kind, has_homoglyph))
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        start, end, kind, has_homoglyph = tokens[index]
        if kind != _TWINS_ONLY:
            if kind == _LATIN_SIDE and has_homoglyph:
                spans.append((start, end))
            index += 1
            continue
        run_end = index
        while run_end < len(tokens) and tokens[run_end][2] == _TWINS_ONLY:
            run_end += 1
        before = tokens[index - 1][2] if index > 0 else _LATIN_SIDE
        after = tokens[run_end][2] if run_end < len(tokens) else _LATIN_SIDE
        if before != _FOREIGN and after != _FOREIGN:
            spans.extend((token[0], token[1]) for token in tokens[index:run_end])
        index = run_end
    return spans


def _map_confusables(text: str) -> tuple[str, int]:
    spans = _confusable_tokens(text)
    if not spans:
        return text, 0
    pieces: list[str] = []
    mapped = 0
    last = 0
    for lo, hi in spans:
        token = text[lo:hi]
        skeleton = token.translate(_CONFUSABLE_TABLE)
        mapped += sum(1 for a, b in zip(token, skeleton, strict=True) if a != b)
        pieces.append(text[last:lo])
        pieces.append(skeleton)
        last = hi
    pieces.append(text[last:])
    return "".join(pieces), mapped


# --------------------------------------------------------------------------- skeleton

# Runs, not single letters: `findall` then builds a few strings per word, not one
# per letter (about 35 us for 150 words of Russian).
_HOMOGLYPH_RUN = re.compile(_CONFUSABLE_LETTER.pattern + "+")
_GENUINE_FOREIGN_RUN = re.compile(_GENUINE_FOREIGN_LETTER.pattern + "+")


def homoglyph_skeleton(text: str) -> str:
    """`text` with every homoglyph of the table read as its Latin letter, whatever
    the token rule says; one character for one, so offsets are unchanged."""
    return text.translate(_CONFUSABLE_TABLE)


def homoglyph_letters(text: str) -> tuple[int, int]:
    """(homoglyphs, letters without a Latin twin) of the homoglyph scripts in `text`."""
    return (
        sum(map(len, _HOMOGLYPH_RUN.findall(text))),
        sum(map(len, _GENUINE_FOREIGN_RUN.findall(text))),
    )


# --------------------------------------------------------------------------- normalize


def normalize(text: str) -> NormalizedText:
    """Normalize `text` for detection; see the module docstring for the steps.

    Idempotent: ``normalize(normalize(t).text).text == normalize(t).text``.
    """
    if text.isascii() and _ASCII_CONTROL.search(text) is None:
        return NormalizedText(text, len(text))
    return _normalize_dirty_clusters(text) or _normalize_every_cluster(text)


def _normalize_dirty_clusters(text: str) -> NormalizedText | None:
    """Copy clean runs as they are; normalize only the clusters around dirty characters.

    A cluster starts at a character NFKC can never merge with its predecessor,
    so normalizing clusters one by one equals normalizing the whole, and each
    output character knows the original span of its cluster (its first to last
    kept character). Returns None in the rare case where mapping homoglyphs let
    a letter merge with a following combining mark; the general path handles it.
    """
    n = len(text)
    pieces: list[str] = []
    clusters: list[tuple[int, int, int, int, int]] = []  # first, last, kept span, output length
    one_to_one = True  # every output character came from the original one at its index
    removed = 0
    emitted = 0  # original text before this index is already in `pieces`
    for run in _DIRTY_RUN.finditer(text):
        # A run is followed by a clean character, which never joins what precedes it.
        run_start, run_end = run.span()
        chunk = run.group()
        if _COMPLEX.search(chunk) is None:
            pieces.append(text[emitted:run_start])
            pieces.append(chunk.translate(_SIMPLE_TABLE))
            if _NOT_ONE_TO_ONE.search(chunk) is not None:
                one_to_one = False
                for index in range(run_start, run_end):
                    length = len(_SIMPLE[text[index]])
                    removed += length == 0
                    clusters.append((index, index + 1, index, index + 1, length))
            else:
                clusters.append((run_start, run_end, -1, -1, 0))  # character by character
            emitted = run_end
            continue
        index = run_start
        while index < run_end:
            ch = text[index]
            simple = _SIMPLE.get(ch)
            if simple is not None and not _joins_previous(text[index + 1 : index + 2]):
                pieces.append(text[emitted:index])
                pieces.append(simple)
                removed += not simple
                one_to_one = one_to_one and len(simple) == 1
                clusters.append((index, index + 1, index, index + 1, len(simple)))
                index = emitted = index + 1
                continue
            first = index
            while first > emitted and _joins_previous(text[first]):
                first -= 1
            last = index + 1
            while last < n and _joins_previous(text[last]):
                last += 1
            pieces.append(text[emitted:first])
            kept = [i for i in range(first, last) if not _removed(text[i])]
            removed += last - first - len(kept)
            out = _settle("".join(text[i] for i in kept)) if kept else ""
            one_to_one = one_to_one and len(out) == 1 and last - first == 1
            pieces.append(out)
            if kept:
                clusters.append((first, last, kept[0], kept[-1] + 1, len(out)))
            else:
                clusters.append((first, last, first, first, 0))
            index = emitted = last
    if not clusters:
        normalized = text
    else:
        pieces.append(text[emitted:])
        normalized = "".join(pieces)
    normalized, confusables = _map_confusables(normalized)
    if confusables and not unicodedata.is_normalized("NFKC", normalized):
        return None
    if normalized == text:
        return NormalizedText(text, n)
    if one_to_one:
        return NormalizedText(normalized, n, confusables_mapped=confusables)
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for first, last, kept_start, kept_end, length in clusters:
        if kept_start < 0:
            continue  # a run mapped character by character: offsets unchanged
        starts.extend(range(position, first))
        ends.extend(range(position + 1, first + 1))
        starts.extend([kept_start] * length)
        ends.extend([kept_end] * length)
        position = last
    starts.extend(range(position, n))
    ends.extend(range(position + 1, n + 1))
    return NormalizedText(normalized, n, tuple(starts), tuple(ends), removed, confusables)


def _normalize_every_cluster(text: str) -> NormalizedText:
    """The general path: cluster by cluster over the whole text, homoglyphs included."""
    clusters: list[tuple[int, int, str]] = []  # (original start, original end, output)
    chars: list[str] = []
    cluster_start = cluster_end = 0
    removed = 0
    for index, ch in enumerate(text):
        if _removed(ch):
            removed += 1
            continue
        if chars and _starts_cluster(ch):
            clusters.append((cluster_start, cluster_end, _settle("".join(chars))))
            chars = []
        if not chars:
            cluster_start = index
        chars.append(ch)
        cluster_end = index + 1
    if chars:
        clusters.append((cluster_start, cluster_end, _settle("".join(chars))))

    joined = "".join(out for _, _, out in clusters)
    spans = _confusable_tokens(joined)
    confusables = 0
    starts: list[int] = []
    ends: list[int] = []
    pieces: list[str] = []
    position = 0  # index in `joined` of the current cluster's first character
    for original_start, original_end, out in clusters:
        skeleton = (
            "".join(
                ch.translate(_CONFUSABLE_TABLE) if _inside(spans, position + i) else ch
                for i, ch in enumerate(out)
            )
            if spans
            else out
        )
        position += len(out)
        if skeleton != out:
            confusables += sum(1 for a, b in zip(out, skeleton, strict=True) if a != b)
            out = _settle(skeleton)
        pieces.append(out)
        starts.extend([original_start] * len(out))
        ends.extend([original_end] * len(out))
    normalized = "".join(pieces)
    if normalized == text:
        return NormalizedText(text, len(text))
    return NormalizedText(normalized, len(text), tuple(starts), tuple(ends), removed, confusables)


def _inside(spans: list[tuple[int, int]], index: int) -> bool:
    position = bisect_right(spans, (index, len(spans) and 1 << 62)) - 1
    return position >= 0 and spans[position][0] <= index < spans[position][1]


def apply_edits(
    text: str, edits: Sequence[tuple[int, int, str]]
) -> tuple[str, tuple[int, ...], tuple[int, ...]]:
    """`text` with each (start, end, replacement) applied (sorted, not overlapping), and
    for every character of the result the span of `text` it came from (starts, ends):
    unchanged characters keep their offsets, a replacement's map to the span it replaces."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for start, end, replacement in edits:
        pieces.append(text[position:start])
        starts.extend(range(position, start))
        ends.extend(range(position + 1, start + 1))
        pieces.append(replacement)
        starts.extend([start] * len(replacement))
        ends.extend([end] * len(replacement))
        position = end
    pieces.append(text[position:])
    starts.extend(range(position, len(text)))
    ends.extend(range(position + 1, len(text) + 1))
    return "".join(pieces), tuple(starts), tuple(ends)
