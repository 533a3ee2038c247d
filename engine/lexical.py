"""Character n-gram matching for prompts in scripts MiniLM cannot read.

A prompt in Hindi, Thai, Japanese or Chinese (engine.scripts.minilm_reads is
False) is matched against the exemplars written in those scripts by TF-IDF over
character n-grams instead of the embedding. Characters carry meaning in these
scripts (a Han character or two is a word; Thai and Japanese write words without
spaces, so word tokenizers need a dictionary), so n-grams of 1 to `max_n`
characters find the shared words and stems of a paraphrase without a tokenizer,
a vocabulary or a model, in every script at once. What it cannot do is meaning
across languages or synonyms it has not seen: it matches a Thai request to Thai
exemplars only, so each intent needs exemplars in each such language
(examples/enterprise/intents.yaml).

Why not a static embedding over a multilingual tokenizer (wordllama): measured,
its Llama-2 tokenizer splits Thai and most Devanagari into single characters or
bytes, and two unrelated Thai requests embed at 0.79-0.89, the collapse MiniLM
has (docs/intent.md, "Languages").

Weights: sublinear term frequency ``1 + log(tf)`` times ``idf = log((1 + N) /
(1 + df)) + 1`` over the N exemplars, rows L2-normalized, so a dot product is a
cosine in [0, 1]. The similarity of an intent is its best exemplar (max), as in
engine.intent. Postings are kept per n-gram (an inverted index): a query touches
only the exemplars that share an n-gram with it, a few hundred multiply-adds.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["MAX_N", "CharNgramIndex", "ngrams"]

MAX_N = 3
"""Longest n-gram; 1-3 measured best on the dev split (docs/intent.md, "Languages")."""


def _units(text: str) -> str:
    """Casefolded letters, marks and digits; any run of other characters is one space."""
    out: list[str] = []
    gap = True
    for ch in text.casefold():
        if unicodedata.category(ch)[0] in "LMN":
            out.append(ch)
            gap = False
        elif not gap:
            out.append(" ")
            gap = True
    return "".join(out).strip()


def ngrams(text: str, max_n: int = MAX_N) -> Counter[str]:
    """Character n-grams of 1..`max_n` characters of `text`'s letters and digits.

    Words are padded with a space on each side, so that a word's start and end are
    grams of their own; a single space is never a gram."""
    units = _units(text)
    counts: Counter[str] = Counter()
    if not units:
        return counts
    padded = f" {units} "
    for n in range(1, max_n + 1):
        for i in range(len(padded) - n + 1):
            gram = padded[i : i + n]
            if gram.strip():
                counts[gram] += 1
    return counts


class CharNgramIndex:
    """TF-IDF character n-gram vectors of some exemplars, each owned by an intent.

    Immutable after construction and safe to share between threads.
    """

    def __init__(
        self, exemplars: Sequence[str], owners: Sequence[int], n_intents: int, max_n: int = MAX_N
    ) -> None:
        """`owners[i]` is the position (0..n_intents-1) of exemplar i's intent."""
        if len(exemplars) != len(owners):
            raise ValueError(f"{len(exemplars)} exemplars but {len(owners)} owners")
        self.max_n = max_n
        self.n_intents = n_intents
        self._owner: npt.NDArray[np.int64] = np.asarray(owners, dtype=np.int64)
        grams = [ngrams(text, max_n) for text in exemplars]
        df: Counter[str] = Counter()
        for counts in grams:
            df.update(counts.keys())
        total = len(exemplars)
        self._idf = {gram: math.log((1 + total) / (1 + d)) + 1.0 for gram, d in df.items()}
        rows: dict[str, list[int]] = {}
        weights: dict[str, list[float]] = {}
        for row, counts in enumerate(grams):
            vector = self._weigh(counts)
            for gram, weight in vector.items():
                rows.setdefault(gram, []).append(row)
                weights.setdefault(gram, []).append(weight)
        self._postings = {
            gram: (np.asarray(rows[gram], dtype=np.int64), np.asarray(weights[gram], np.float32))
            for gram in rows
        }
        self.size = total

    def _weigh(self, counts: Counter[str]) -> dict[str, float]:
        """Sublinear tf * idf, L2-normalized; n-grams no exemplar has are dropped."""
        vector = {
            gram: (1.0 + math.log(tf)) * self._idf[gram]
            for gram, tf in counts.items()
            if gram in self._idf
        }
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {gram: w / norm for gram, w in vector.items()} if norm > 0 else {}

    def similarities(self, text: str) -> npt.NDArray[np.float32]:
        """Best cosine per intent (0 for an intent with no exemplar sharing an n-gram).

        The query is weighted with the exemplars' idf, over the n-grams they know: a
        gram no exemplar has cannot raise any similarity, and leaving it out of the
        norm keeps a long prompt with one known phrase comparable to a short one."""
        best = np.zeros(self.n_intents, dtype=np.float32)
        if self.size == 0:
            return best
        scores = np.zeros(self.size, dtype=np.float32)
        for gram, weight in self._weigh(ngrams(text, self.max_n)).items():
            rows, weights = self._postings[gram]
            scores[rows] += weight * weights
        np.maximum.at(best, self._owner, scores)
        return best
