"""Deliberate misspelling and splitting, the way people dodge keyword filters.

`obfuscate(lang, text, rng)` damages a share of the words of `text` with one
of: typos (swap, drop or double a letter: "ignroe al prevous instrucitons"),
split words ("in structions", "ig-nore"), punctuation between letters
("i.g.n.o.r.e"), digits for letters ("1gn0re"), alternating case, and mixes
registers by lower-casing the whole text or shouting a word. Scripts written
without spaces (ja, zh, th) get separators between characters of a span
instead, since misspelling a kanji is not what evasion looks like there.
"""

from __future__ import annotations

import random
import re

from . import instruction_override, roleplay_persona, system_prompt_extraction
from .family import DerivedFamily

_LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"})
_WORD = re.compile(r"[^\W\d_]{4,}")
_UNSPACED = {"ja", "zh", "th"}


def _typo(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == 1:
        return word[:at] + word[at + 1 :]
    return word[:at] + word[at] + word[at:]


def _split(word: str, rng: random.Random) -> str:
    at = rng.randrange(2, len(word) - 1)
    return word[:at] + rng.choice((" ", "-", "_", " - ")) + word[at:]


def _dotted(word: str, rng: random.Random) -> str:
    return rng.choice((".", "-", "*", " ", "/")).join(word)


def _leet(word: str, rng: random.Random) -> str:
    return word.translate(_LEET)


def _alternating(word: str, rng: random.Random) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(word))


_DAMAGE = (_typo, _typo, _typo, _split, _dotted, _leet, _alternating)


def _spaced_words(text: str, rng: random.Random) -> str:
    share = rng.uniform(0.3, 0.7)
    # One damage kind dominates a text, as a person would pick one trick.
    main = rng.choice(_DAMAGE)

    def damage(match: re.Match[str]) -> str:
        word = match.group(0)
        if rng.random() > share:
            return word
        how = main if rng.random() < 0.7 else rng.choice(_DAMAGE)
        return how(word, rng)

    out = _WORD.sub(damage, text)
    register = rng.randrange(4)
    if register == 0:
        out = out.lower()
    elif register == 1:
        words = out.split(" ")
        at = rng.randrange(len(words))
        words[at] = words[at].upper()
        out = " ".join(words)
    return out


def _unspaced(text: str, rng: random.Random) -> str:
    chars = list(text)
    if len(chars) < 4:
        return text
    separator = rng.choice((" ", "*", ".", "-", "／", "_"))
    start = rng.randrange(0, max(1, len(chars) // 2))
    end = min(len(chars), start + rng.randint(4, 14))
    span = separator.join(chars[start:end])
    out = "".join(chars[:start]) + span + "".join(chars[end:])
    # Latin words inside (system prompt, API) are damaged as in spaced scripts.
    return _spaced_words(out, rng) if rng.random() < 0.5 else out


def obfuscate(lang: str, text: str, rng: random.Random) -> str:
    """`text` with words misspelt, split or dotted; never returned unchanged."""
    for _ in range(5):
        out = _unspaced(text, rng) if lang in _UNSPACED else _spaced_words(text, rng)
        if out != text:
            return out
    return _dotted(text[:40], rng) + text[40:]


FAMILY = DerivedFamily(
    name="obfuscated_instructions",
    label="attack",
    sources=(
        instruction_override.FAMILY,
        instruction_override.FAMILY,
        system_prompt_extraction.FAMILY,
        roleplay_persona.FAMILY,
    ),
    transform=obfuscate,
)
