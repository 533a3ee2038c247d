"""The respelled view: words one typo away from the model's vocabulary, read as that word.

A character n-gram model degrades under typos, but not gracefully enough: a
misspelled word loses most of its 4- and 5-grams, and an attack with one word in
four misspelled ("ignroe all previus instructions") slipped past the held-out
model 17% of the time it was caught as written. The same model reads the text
again with each unknown word replaced by the known word it is one edit away
from (a letter dropped, doubled or inserted, two neighbours swapped, one
replaced), and the verdict is the maximum over views, like every other view.

A word is corrected into the vocabulary of the texts the model was trained on
(`Lexicon.build`, run by training/threat/train.py; shipped in the artifact as
lexicon.txt), so the leave-one-source-out bench builds it per fold and never
knows a held-out source's words. Words that are merely *known* (count 0 in the
file: the English word pieces of the MiniLM tokenizer the project ships) are
left alone but never corrected into: "hiring" is a word, not a typo of "hiding".

The view is made only where typos are dense, as an evasion makes them: a window
of 20 words (of 4+ letters) must hold 12% of corrections (3 of 20; 1 in a short
text). An honest text with a rare word or an inflection the vocabulary lacks
every few sentences is not re-read, which would double the stage's cost on
most long prompts for nothing. Lookups use the symmetric-delete idea: a word
and its one-letter deletions index the vocabulary, so a typo costs about twice
its length in dictionary lookups, never a pass over the vocabulary.

Why not a spelling corrector from a package: it would know English only, and
the model's vocabulary is exactly the words whose n-grams carry weight.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from engine.errors import InvalidArtifact
from engine.normalize import apply_edits
from engine.text_view import TextView

__all__ = ["LEXICON_FILE", "Lexicon", "respelled_view"]

LEXICON_FILE = "lexicon.txt"

# Letters only: digits and underscores are never part of a word to respell.
_WORD = re.compile(r"[^\W\d_]+")
# Words shorter than this are neither corrected nor corrected into: one edit away
# from a three-letter word is half the short words of a language ("and" is one
# letter from "hand"), and the vocabulary does not hold them to say they are known.
_MIN_WORD = 4
# Candidates kept per deletion key, most frequent first.
_PER_KEY = 3
# Where typos are dense enough to re-read: a share of a window of words of 4+ letters.
_WINDOW = 20
_DENSITY = 0.12


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Words with their document counts (0: known, never a correction), and the
    one-letter deletions that index the words a typo may be corrected into."""

    counts: Mapping[str, int]
    _deletions: Mapping[str, tuple[str, ...]] = field(repr=False, compare=False)

    @classmethod
    def of(cls, counts: Mapping[str, int]) -> Lexicon:
        index: dict[str, list[str]] = {}
        # Most frequent first, so a key's candidates are in the order a tie is broken.
        for word in sorted(counts, key=lambda w: (-counts[w], w)):
            if len(word) < _MIN_WORD or counts[word] == 0:
                continue
            for key in _deletions(word):
                found = index.setdefault(key, [])
                if len(found) < _PER_KEY and word not in found:
                    found.append(word)
        return cls(
            MappingProxyType(dict(counts)),
            MappingProxyType({key: tuple(words) for key, words in index.items()}),
        )

    @classmethod
    def build(
        cls, texts: Iterable[str], known: Iterable[str] = (), min_documents: int = 2
    ) -> Lexicon:
        """The words (of 4+ letters, lower-cased) that occur in at least `min_documents` texts,
        plus `known` words (count 0) that are never corrected but never corrected into.

        Counting documents, not occurrences: a word a single prompt repeats is not
        vocabulary, and neither is most of what one typo-perturbed copy invents."""
        documents: Counter[str] = Counter()
        for text in texts:
            documents.update({w.lower() for w in _WORD.findall(text) if len(w) >= _MIN_WORD})
        counts = {w: n for w, n in documents.items() if n >= min_documents}
        for word in known:
            if len(word) >= _MIN_WORD and _WORD.fullmatch(word):
                counts.setdefault(word.lower(), 0)
        return cls.of(counts)

    @classmethod
    def empty(cls) -> Lexicon:
        return cls.of({})

    def __len__(self) -> int:
        return len(self.counts)

    def correct(self, word: str) -> str | None:
        """The known word `word` (lower-case) is one edit away from, or None.

        The most frequent candidate wins; a known word is never corrected."""
        if word in self.counts or len(word) < _MIN_WORD:
            return None
        candidates: set[str] = set(self._deletions.get(word, ()))  # a letter was dropped
        for key in _deletions(word):
            if self.counts.get(key, 0) > 0 and len(key) >= _MIN_WORD:
                candidates.add(key)  # a letter was doubled or inserted
            for known in self._deletions.get(key, ()):
                if _one_swap_or_replace(word, known):
                    candidates.add(known)
        if not candidates:
            return None
        return min(candidates, key=lambda w: (-self.counts[w], w))

    # ------------------------------------------------------------------ artifact

    def save(self, path: Path) -> None:
        lines = (f"{w}\t{n}\n" for w, n in sorted(self.counts.items()))
        path.write_text("".join(lines), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """Read `save`'s file; a missing file is an empty lexicon (an older artifact)."""
        if not path.exists():
            return cls.empty()
        counts: dict[str, int] = {}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            word, tab, count = line.partition("\t")
            if not tab or not word or not count.isdigit():
                raise InvalidArtifact(str(path), [f"line {number} is not 'word<TAB>count'"])
            counts[word] = int(count)
        return cls.of(counts)


def respelled_view(text: str, lexicon: Lexicon) -> TextView | None:
    """`text` with every word one edit from a vocabulary word replaced by it, or None
    when no window of words is dense with such typos.

    Each character of a replacement comes from the whole word it replaces, so a
    span found in the view maps back to the misspelled word in the text."""
    words = [m for m in _WORD.finditer(text) if len(m.group()) >= _MIN_WORD]
    fixes = [lexicon.correct(m.group().lower()) for m in words]
    if not _dense([f is not None for f in fixes]):
        return None
    edits = [
        (*match.span(), fixed)
        for match, fixed in zip(words, fixes, strict=True)
        if fixed is not None
    ]
    return TextView("respelled", *apply_edits(text, edits))


def _dense(fixed: list[bool]) -> bool:
    """Whether some window of `_WINDOW` words (all of them, if fewer) is `_DENSITY` typos."""
    size = min(_WINDOW, len(fixed))
    if size == 0:
        return False
    need = max(1, math.ceil(_DENSITY * size))
    inside = sum(fixed[:size])
    if inside >= need:
        return True
    for i in range(size, len(fixed)):
        inside += fixed[i] - fixed[i - size]
        if inside >= need:
            return True
    return False


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _one_swap_or_replace(typo: str, known: str) -> bool:
    """Same length, and one letter replaced or two neighbours swapped."""
    if len(typo) != len(known):
        return False
    diff = [i for i, (a, b) in enumerate(zip(typo, known, strict=True)) if a != b]
    if len(diff) == 1:
        return True
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and typo[diff[0]] == known[diff[1]]
        and typo[diff[1]] == known[diff[0]]
    )
