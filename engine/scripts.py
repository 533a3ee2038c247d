"""Which writing system a text is in, and whether MiniLM can read it.

all-MiniLM-L6-v2's WordPiece vocabulary was built from English text: Latin words
(and Cyrillic or Greek ones, less well) become word pieces, but Devanagari, Thai
and most Han and kana characters become ``[UNK]`` or lone characters with no
trained meaning. Two unrelated Thai sentences embed at cosine 1.00 (both are all
``[UNK]``), so for such a prompt the embedding says nothing and exemplars in that
script only pull every prompt of the script to one intent (docs/intent.md,
"Languages"). `minilm_reads` tells the two cases apart from the characters alone,
in one pass over the text, before anything is embedded.

Only letters count (category L* and the combining marks M*, which Devanagari and
Thai vowels are): digits, punctuation, spaces, and Latin words inside a Thai or
Japanese request ("SQL", "Python", "KYC") do not make it readable.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum

__all__ = ["UNREAD_SHARE", "Script", "dominant_script", "minilm_reads"]

# A text whose letters are at least this share in scripts MiniLM does not read goes
# to the character matcher (engine.lexical). A Thai request with "SQL" and "dbt" in it
# is still ~85% Thai letters; an English prompt quoting one Chinese name is ~5%.
UNREAD_SHARE = 0.5


class Script(StrEnum):
    LATIN = "latin"  # also Cyrillic, Greek and the other alphabets MiniLM splits into pieces
    DEVANAGARI = "devanagari"
    THAI = "thai"
    HAN = "han"  # Chinese characters, in a text without kana
    KANA = "kana"  # hiragana and katakana: Japanese, Han characters included
    HANGUL = "hangul"
    OTHER = "other"  # Arabic, Hebrew, other Indic and South-East Asian scripts


# Code point ranges of the scripts MiniLM's vocabulary does not cover; everything
# else that is a letter counts as readable (LATIN).
_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0590, 0x08FF, Script.OTHER),  # Hebrew, Arabic, Syriac, Thaana, NKo
    (0x0900, 0x097F, Script.DEVANAGARI),
    (0x0980, 0x0DFF, Script.OTHER),  # Bengali to Sinhala
    (0x0E00, 0x0E7F, Script.THAI),
    (0x0E80, 0x109F, Script.OTHER),  # Lao, Tibetan, Myanmar
    (0x1100, 0x11FF, Script.HANGUL),  # jamo
    (0x1780, 0x17FF, Script.OTHER),  # Khmer
    (0x2E80, 0x303F, Script.HAN),  # radicals, ideographic marks
    (0x3040, 0x30FF, Script.KANA),
    (0x3100, 0x9FFF, Script.HAN),  # bopomofo, CJK unified ideographs
    (0xA960, 0xA97F, Script.HANGUL),
    (0xAC00, 0xD7FF, Script.HANGUL),  # syllables
    (0xF900, 0xFAFF, Script.HAN),
    (0xFF66, 0xFF9F, Script.KANA),  # halfwidth katakana (NFKC maps most of them)
    (0x20000, 0x3FFFF, Script.HAN),
)


def _script_of(ch: str) -> Script | None:
    """The script of one letter or mark, None for anything else."""
    if unicodedata.category(ch)[0] not in "LM":
        return None
    code = ord(ch)
    if code < 0x0590:
        return Script.LATIN
    for low, high, script in _RANGES:
        if low <= code <= high:
            return script
    return Script.LATIN


def _counts(text: str) -> dict[Script, int]:
    counts: dict[Script, int] = {}
    for ch in text:
        script = _script_of(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


def dominant_script(text: str) -> Script:
    """The script most of `text`'s letters are in (LATIN for a text without letters).

    Japanese writes with Han characters and kana together: any kana makes the Han
    letters count as KANA, so a Japanese sentence heavy in kanji is still Japanese."""
    counts = _counts(text)
    if not counts:
        return Script.LATIN
    if Script.KANA in counts:
        counts[Script.KANA] += counts.pop(Script.HAN, 0)
    return max(counts, key=lambda script: (counts[script], script == Script.LATIN))


def minilm_reads(text: str, unread_share: float = UNREAD_SHARE) -> bool:
    """Whether fewer than `unread_share` of `text`'s letters are in scripts MiniLM
    cannot read (a text without letters is readable: nothing is lost)."""
    counts = _counts(text)
    total = sum(counts.values())
    if total == 0:
        return True
    unread = total - counts.get(Script.LATIN, 0)
    return unread < unread_share * total
