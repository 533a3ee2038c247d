"""Threat categories an enterprise declares in its policy files, learned from its examples.

A policy file may add a category the shipped detector does not know (a health
insurer's "patient_reidentification"), with positive exemplars and optional
negatives: look-alikes that must not fire. For each one a logistic head is fitted
on the sentence embeddings the intent index already computes (engine.embedding,
MiniLM): its positives against its negatives plus a benign reference sample
shipped in the package (engine/data/benign_reference.jsonl, see its .md), so the
head learns what sets the category apart from ordinary prompts, not merely from
the few negatives someone thought of.

Why a linear head on embeddings rather than another n-gram model: an enterprise
gives eight to a few dozen examples. An embedding generalizes from so few to
paraphrases; the n-gram model needs thousands of texts per head.

Fitting is deterministic (Newton's method from zero, folds by position in the
canonical exemplar order) and is done twice per PolicySet: at load time, where
its stratified k-fold cross-validation (k = min(5, #positives)) is reported and a
category that recalls too little is refused, and when the engine state is built
for that version. Never per request.

Weights: the positives together weigh as much as the reference sample together,
and each own negative as much as one positive (someone chose it because it is a
near miss). A head's score is therefore "probability under balanced classes":
0.5 is where the category and ordinary prompts are equally likely, and the
cross-validated figures are reported at that point (`FIRES_AT`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import numpy.typing as npt

from engine.embedding import Embedder, Vectors
from engine.model import ThreatCategorySpec
from engine.threats.detector import ThreatFinding

__all__ = [
    "BENIGN_REFERENCE",
    "CUSTOM_VIEW",
    "FIRES_AT",
    "MIN_CV_RECALL",
    "MIN_POSITIVES",
    "CategoryFit",
    "CustomHead",
    "CustomThreatHeads",
    "ThreatCategoryFitter",
    "fit_head",
    "read_benign_reference",
]

BENIGN_REFERENCE = Path(__file__).resolve().parents[1] / "data" / "benign_reference.jsonl"
MIN_POSITIVES = 8  # below that a k-fold estimate is noise; loaders.spec enforces it too
MIN_CV_RECALL = 0.5  # a head that misses half of its own held-out examples is refused
FIRES_AT = 0.5  # the score at which cross-validated recall and false positives are counted
CUSTOM_VIEW = "embedding"  # ThreatFinding.view of a custom head's finding
MAX_FOLDS = 5

_L2 = 1e-3  # weak: 384 unit-norm features, a few dozen positives; stronger underfits them
_MAX_NEWTON_STEPS = 50
_TOLERANCE = 1e-8

Float64s = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class CategoryFit:
    """How a category's head did under cross-validation: what `govroute load` prints."""

    category: str
    positives: int
    negatives: int  # the category's own look-alikes
    reference: int  # benign reference texts
    folds: int
    recall: float  # held-out positives scoring >= FIRES_AT
    false_positive_rate: float  # held-out negatives and reference texts scoring >= FIRES_AT
    negatives_fired: int  # own negatives scoring >= FIRES_AT when held out

    @property
    def accepted(self) -> bool:
        return self.positives >= MIN_POSITIVES and self.recall >= MIN_CV_RECALL

    def describe(self) -> str:
        own = (
            f", {self.negatives_fired}/{self.negatives} own negatives fired"
            if self.negatives
            else ""
        )
        return (
            f"threat category {self.category}: {self.positives} positives, "
            f"{self.negatives} negatives + {self.reference} reference; "
            f"{self.folds}-fold CV at {FIRES_AT:.2f}: recall {self.recall:.2f}, "
            f"false-positive rate {self.false_positive_rate:.4f}{own}"
        )


@dataclass(frozen=True, slots=True)
class CustomHead:
    category: str
    weights: Float64s  # (dim,)
    bias: float
    fit: CategoryFit

    def probability(self, vectors: Vectors) -> float:
        """The best score over `vectors` (a text's windows), 0.0 when there are none."""
        if len(vectors) == 0:
            return 0.0
        return float(_sigmoid(vectors.astype(np.float64) @ self.weights + self.bias).max())


@dataclass(frozen=True, slots=True)
class CustomThreatHeads:
    """The fitted heads of one PolicySet version; immutable, shared between requests."""

    version: str  # changes with any exemplar and with the reference sample
    heads: tuple[CustomHead, ...]

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(h.category for h in self.heads)

    def assess(
        self, vectors: Mapping[str, Vectors], lengths: Mapping[str, int]
    ) -> dict[str, dict[str, ThreatFinding]]:
        """Per segment, each head's finding; `lengths` are the segments' original lengths
        (the span shown is the whole segment: an embedding does not say which words)."""
        return {
            key: {
                head.category: ThreatFinding(
                    head.category, head.probability(rows), key, CUSTOM_VIEW, 0, lengths[key]
                )
                for head in self.heads
            }
            for key, rows in vectors.items()
        }


def read_benign_reference(path: Path = BENIGN_REFERENCE) -> tuple[str, ...]:
    with path.open(encoding="utf-8") as handle:
        return tuple(str(json.loads(line)["text"]) for line in handle if line.strip())


class ThreatCategoryFitter:
    """Fits heads with one embedder; the reference sample is embedded once, when first needed.

    One per process (the API's Runtime, a load): a new PolicySet version refits its
    heads without embedding the 1,500 reference texts again.
    """

    def __init__(self, embedder: Embedder, reference: Sequence[str] | None = None) -> None:
        self.embedder = embedder
        self._reference = tuple(reference) if reference is not None else None

    @cached_property
    def reference_texts(self) -> tuple[str, ...]:
        return self._reference if self._reference is not None else read_benign_reference()

    @cached_property
    def reference_vectors(self) -> Vectors:
        return self.embedder.embed(self.reference_texts)

    def fit(self, categories: Iterable[ThreatCategorySpec]) -> CustomThreatHeads:
        specs = sorted(categories, key=lambda c: c.id)
        heads = tuple(
            fit_head(
                spec.id,
                self.embedder.embed(sorted(spec.positives)),
                self.embedder.embed(sorted(spec.negatives)) if spec.negatives else None,
                self.reference_vectors,
            )
            for spec in specs
        )
        return CustomThreatHeads(self._version(specs), heads)

    def _version(self, specs: Sequence[ThreatCategorySpec]) -> str:
        digest = hashlib.sha256()
        for text in self.reference_texts if specs else ():
            digest.update(text.encode("utf-8") + b"\0")
        for spec in specs:
            digest.update(
                json.dumps([spec.id, sorted(spec.positives), sorted(spec.negatives)]).encode()
            )
        return f"custom-{digest.hexdigest()[:12]}"


def fit_head(
    category: str, positives: Vectors, negatives: Vectors | None, reference: Vectors
) -> CustomHead:
    """Cross-validate, then fit on everything. Rows are in a fixed order, so folds are too."""
    own = negatives if negatives is not None else _empty(positives.shape[1])
    x = np.vstack([positives, own, reference]).astype(np.float64)
    group = np.concatenate(
        [np.zeros(len(positives), int), np.ones(len(own), int), np.full(len(reference), 2)]
    )
    y = (group == 0).astype(np.float64)
    folds = min(MAX_FOLDS, len(positives))
    held_out = np.zeros(len(x))
    # Stratified: every group is dealt round-robin into the folds, in its own order.
    fold_of = np.concatenate([np.arange(np.sum(group == g)) % max(folds, 1) for g in (0, 1, 2)])
    if folds >= 2:
        for fold in range(folds):
            test = fold_of == fold
            w, b = _fit(x[~test], y[~test], group[~test])
            held_out[test] = _sigmoid(x[test] @ w + b)
    fired = held_out >= FIRES_AT
    negative = group != 0
    fit = CategoryFit(
        category=category,
        positives=len(positives),
        negatives=len(own),
        reference=len(reference),
        folds=folds,
        recall=float(fired[group == 0].mean()) if folds >= 2 else 0.0,
        false_positive_rate=float(fired[negative].mean()) if folds >= 2 and negative.any() else 0.0,
        negatives_fired=int(fired[group == 1].sum()),
    )
    weights, bias = _fit(x, y, group)
    return CustomHead(category, weights, bias, fit)


def _fit(x: Float64s, y: Float64s, group: npt.NDArray[np.int_]) -> tuple[Float64s, float]:
    """L2-regularized weighted logistic regression by Newton's method (bias unpenalized)."""
    n_pos = max(int(np.sum(group == 0)), 1)
    n_ref = max(int(np.sum(group == 2)), 1)
    sample = np.where(group == 2, 1.0 / n_ref, 1.0 / n_pos)
    sample /= sample.sum()
    design = np.hstack([x, np.ones((len(x), 1))])
    penalty = np.full(design.shape[1], _L2)
    penalty[-1] = 0.0
    theta = np.zeros(design.shape[1])
    for _ in range(_MAX_NEWTON_STEPS):
        p = _sigmoid(design @ theta)
        gradient = design.T @ (sample * (p - y)) + penalty * theta
        curvature = sample * p * (1.0 - p)
        hessian = (design * curvature[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian + 1e-12 * np.eye(len(theta)), gradient)
        theta -= step
        if float(np.abs(step).max()) < _TOLERANCE:
            break
    return theta[:-1], float(theta[-1])


def _sigmoid(z: Float64s) -> Float64s:
    out: Float64s = 0.5 * (1.0 + np.tanh(0.5 * z))  # overflow-free
    return out


def _empty(dim: int) -> Vectors:
    return np.zeros((0, dim), dtype=np.float32)
