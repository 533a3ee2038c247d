"""The trained threat model: linear heads over hashed character n-grams, scored per window.

An artifact (``engine/data/threat_model/``, built by training/threat/train.py)
holds one logistic head per threat category plus an ``attack`` head (any
category), a Platt calibration per head fitted on held-out folds, and the
featurization parameters. Loading checks all of it, so a truncated or
mismatched file stops start-up with a message instead of scoring nonsense.

Scoring a text: every window of `window` characters (stride `stride`; a text
that fits is one window), and every window of `short_window` characters (stride
half that) of a longer text, gets, per head, ``bias + sum(w[ngram]) /
sqrt(#ngrams)`` (see engine.threats.features for why that normalization),
computed for all windows at once from cumulative sums. A head's score is its
best window's calibrated probability, so an instruction buried in a long pasted
document is judged on a window that holds it rather than diluted by the rest:
the short windows are about the length of a one-sentence attack, which 450
characters of quarterly figures around it would otherwise outweigh. The span
that drove a score is the maximum-sum run of per-character weights in that
window: what an auditor is shown, never used to decide.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from engine.errors import InvalidArtifact
from engine.threats.categories import ANY_ATTACK
from engine.threats.features import NGRAM_SIZES, ngrams
from engine.threats.spelling import LEXICON_FILE, Lexicon

__all__ = ["ANY_ATTACK", "DEFAULT_ARTIFACT", "HeadScore", "ThreatModel"]

DEFAULT_ARTIFACT = Path(__file__).resolve().parents[1] / "data" / "threat_model"

_WEIGHTS_FILE = "weights.npz"
_META_FILE = "meta.json"


@dataclass(frozen=True, slots=True)
class HeadScore:
    """One head's verdict on one text: calibrated probability and the span behind it."""

    head: str
    probability: float
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ThreatModel:
    version: str
    heads: tuple[str, ...]
    bits: int
    window: int
    stride: int
    short_window: int
    weights: npt.NDArray[np.float32]  # (2**bits, len(heads))
    bias: npt.NDArray[np.float32]  # (len(heads),)
    calibration: npt.NDArray[np.float32]  # (len(heads), 2): p = sigmoid(a * logit + b)
    meta: dict[str, Any]
    # The training texts' vocabulary, which the respelled view corrects typos into.
    lexicon: Lexicon = field(default_factory=Lexicon.empty)

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, directory: Path = DEFAULT_ARTIFACT) -> ThreatModel:
        """Read an artifact written by `save`; refuses one that does not hang together."""
        where = str(directory)
        try:
            meta = json.loads((directory / _META_FILE).read_text(encoding="utf-8"))
            with np.load(directory / _WEIGHTS_FILE, allow_pickle=False) as arrays:
                weights = arrays["weights"].astype(np.float32)
                bias = arrays["bias"].astype(np.float32)
                calibration = arrays["calibration"].astype(np.float32)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            raise InvalidArtifact(where, [f"cannot be read: {type(exc).__name__}: {exc}"]) from exc
        heads = tuple(meta.get("heads", ()))
        bits = int(meta.get("bits", 0))
        problems: list[str] = []
        if tuple(meta.get("ngram_sizes", ())) != NGRAM_SIZES:
            problems.append(f"trained on n-gram sizes {meta.get('ngram_sizes')}, not {NGRAM_SIZES}")
        if weights.shape != (2**bits, len(heads)):
            problems.append(f"weights are {weights.shape}, expected {(2**bits, len(heads))}")
        if bias.shape != (len(heads),) or calibration.shape != (len(heads), 2):
            problems.append("bias or calibration does not match the heads")
        if ANY_ATTACK not in heads:
            problems.append(f"no '{ANY_ATTACK}' head")
        if meta.get("weights_sha256") != _digest(weights, bias, calibration):
            problems.append("weights do not match the digest in meta.json (a partial copy?)")
        lexicon = Lexicon.load(directory / LEXICON_FILE)
        if meta.get("lexicon_sha256", _lexicon_digest(Lexicon.empty())) != _lexicon_digest(lexicon):
            problems.append(f"{LEXICON_FILE} does not match the digest in meta.json")
        if problems:
            raise InvalidArtifact(where, problems)
        return cls(
            version=str(meta["version"]),
            heads=heads,
            bits=bits,
            window=int(meta["window"]),
            stride=int(meta["stride"]),
            short_window=int(meta["short_window"]),
            weights=weights,
            bias=bias,
            calibration=calibration,
            meta=meta,
            lexicon=lexicon,
        )

    def save(self, directory: Path) -> None:
        """Write the artifact; weights as float16 (the model is used in float32)."""
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / _WEIGHTS_FILE,
            weights=self.weights.astype(np.float16),
            bias=self.bias,
            calibration=self.calibration,
        )
        self.lexicon.save(directory / LEXICON_FILE)
        stored = self.weights.astype(np.float16).astype(np.float32)
        meta = {
            **self.meta,
            "version": self.version,
            "heads": list(self.heads),
            "bits": self.bits,
            "ngram_sizes": list(NGRAM_SIZES),
            "window": self.window,
            "stride": self.stride,
            "short_window": self.short_window,
            "weights_sha256": _digest(stored, self.bias, self.calibration),
            "lexicon_sha256": _lexicon_digest(self.lexicon),
            "lexicon_words": len(self.lexicon),
        }
        (directory / _META_FILE).write_text(
            json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )

    # ------------------------------------------------------------------ scoring

    def score(self, text: str) -> tuple[HeadScore, ...]:
        """Each head's best-window probability for `text`, in `heads` order."""
        grams = ngrams(text, self.bits)
        if len(grams) == 0:
            return tuple(
                HeadScore(h, self._calibrate(i, float(self.bias[i])), 0, 0)
                for i, h in enumerate(self.heads)
            )
        contrib = self.weights[grams.buckets]  # (occurrences, heads)
        lows, highs = self._windows(grams.starts, len(text))
        totals = np.vstack([np.zeros((1, len(self.heads)), np.float32), np.cumsum(contrib, 0)])
        counts = np.maximum(highs - lows, 1).astype(np.float32)[:, None]
        logits = self.bias + (totals[highs] - totals[lows]) / np.sqrt(counts)
        a, b = self.calibration[:, 0], self.calibration[:, 1]
        # Clipped: float32 sigmoid saturates long before, and exp must not overflow.
        probabilities = 1.0 / (1.0 + np.exp(-np.clip(a * logits + b, -60.0, 60.0)))
        best = np.argmax(probabilities, axis=0)
        out = []
        for i, head in enumerate(self.heads):
            w = int(best[i])
            lo, hi = int(lows[w]), int(highs[w])
            start, end = _span(contrib[lo:hi, i], grams.starts[lo:hi], grams.ends[lo:hi])
            out.append(HeadScore(head, float(probabilities[w, i]), start, end))
        return tuple(out)

    def _calibrate(self, head: int, logit: float) -> float:
        a, b = self.calibration[head]
        return float(1.0 / (1.0 + np.exp(-np.clip(a * logit + b, -60.0, 60.0))))

    def _windows(
        self, starts: npt.NDArray[np.int64], length: int
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Occurrence ranges [low, high) of each window, from the sorted n-gram starts."""
        lows, highs = [np.array([0], np.int64)], [np.array([starts.shape[0]], np.int64)]
        for size, stride in (
            (self.window, self.stride),
            (self.short_window, self.short_window // 2),
        ):
            if length <= size:
                continue
            last = length - size
            begins = np.minimum(np.arange(0, last + stride, stride, dtype=np.int64), last)
            lows.append(np.searchsorted(starts, begins, side="left"))
            highs.append(np.searchsorted(starts, begins + size - (NGRAM_SIZES[0] - 1), side="left"))
        if length > self.window:
            lows, highs = lows[1:], highs[1:]  # the whole text is not a window of its own
        return np.concatenate(lows).astype(np.int64), np.concatenate(highs).astype(np.int64)


def _span(
    weights: npt.NDArray[np.float32],
    starts: npt.NDArray[np.int64],
    ends: npt.NDArray[np.int64],
) -> tuple[int, int]:
    """The run of occurrences whose weights, above their mean, sum highest (Kadane by cumsum)."""
    if weights.shape[0] == 0:
        return 0, 0
    centred = np.concatenate([[0.0], np.cumsum(weights - weights.mean())])
    floor = np.minimum.accumulate(centred)
    end = int(np.argmax(centred - floor))
    if end == 0:
        return int(starts[0]), int(ends[0])
    begin = int(np.flatnonzero(centred[: end + 1] == floor[end])[-1])
    return int(starts[begin]), int(ends[begin:end].max())


def _digest(*arrays: npt.NDArray[np.float32]) -> str:
    sha = hashlib.sha256()
    for array in arrays:
        sha.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
    return sha.hexdigest()


def _lexicon_digest(lexicon: Lexicon) -> str:
    sha = hashlib.sha256()
    for word, count in sorted(lexicon.counts.items()):
        sha.update(f"{word}\t{count}\n".encode())
    return sha.hexdigest()
