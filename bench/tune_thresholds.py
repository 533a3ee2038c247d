"""Tune each intent's threshold and the business margin, on exemplars and the DEV set.

    .venv/bin/python bench/tune_thresholds.py                 # report, edit nothing
    .venv/bin/python bench/tune_thresholds.py --write         # also set the thresholds in the YAML
    .venv/bin/python bench/tune_thresholds.py --margin 0.05   # fix the margin instead of tuning it

Measured on the embedder that serves requests (int8 ONNX) and with the engine's own
rule (`engine.intent.IntentIndex.explain` for the scores, `engine.intent.pick` for
the match), so what is tuned here is what runs.

Data (never the benchmark's prompts.jsonl, which is the TEST set):

- the intents' exemplars, **leave-one-out**: each exemplar scored against every
  intent as a prompt would be, with itself removed from its own intent (a
  stand-in for a paraphrase the exemplars do not contain);
- the DEV set `bench/corpus/intent_dev.jsonl` (bench/corpus/make_intent_dev.py):
  business prompts per intent, near-threat and security-trap benign prompts,
  off-topic prompts, attacks of every threat intent in six languages;
- `NEGATIVES` (off-topic) and `EVERYDAY` (work texts with threat vocabulary)
  below.

Threats. A prompt is *blocked* when any threat clears under `pick` (its score
reaches its threshold and, without a signal, its similarity beats the best
business similarity by the margin). The signals were written on the dev attacks
and catch nearly all of them, so what the thresholds decide is the *embedding
fallback*: the attacks no signal knows. For a margin m, the threat thresholds
are lowered greedily from `THREAT_CEILING` (0.70) on a 0.01 grid, never below the
highest similarity an off-topic text reaches (those have no business neighbour
for the margin test to protect them), each step taking the move that
catches the most attacks *by embedding alone* (dev attacks and threat exemplars
left out, signals ignored) per benign text it newly blocks (signals counted),
as long as the **whole** benign side stays within budget: at most
`BENIGN_BUDGET` of the dev benign prompts, `BENIGN_BUDGET` of the business
exemplars left out, and `EXTRA_BUDGET` of `NEGATIVES` + `EVERYDAY`. The margin
is the one (from `MARGINS`) whose thresholds then catch the most; ties go to the
smaller margin. The dev-set trade-off curves (per margin; per budget) are
printed beside the choice.

Business intents. A business threshold decides between the intent and
`unknown`, and its margin (score - threshold) decides between business intents,
so thresholds are chosen together: starting from the lowest threshold that
keeps `BUSINESS_FPR` of the off-topic texts (dev off-topic prompts, `NEGATIVES`)
out, a few coordinate passes move each one on the
grid to maximise the texts that get the right answer (dev business prompts and
left-out exemplars their own intent, off-topic texts `unknown`), never below
that floor. Dev-set recall per intent is printed (a
business prompt that lands on `unknown` is a miss: policies allow by intent).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import numpy.typing as npt
import yaml

from bench.stored_embeddings import StoredEmbedder, load_rows, save_rows
from engine.embedding import OnnxEmbedder
from engine.intent import IntentIndex, IntentScore, boost, pick
from engine.model import IntentCategory, IntentSpec
from engine.normalize import normalize
from engine.scripts import minilm_reads
from engine.signals import scan
from loaders.spec import Intent, PolicyDocument

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "bench" / "corpus" / "intent_dev.jsonl"
BENCHMARK = ROOT / "bench" / "corpus" / "prompts.jsonl"
BENIGN_BUDGET = 0.01  # of dev benign prompts (and of business exemplars) blocked, all threats
EXTRA_BUDGET = 1  # NEGATIVES + EVERYDAY texts blocked
BUSINESS_FPR = 0.05  # per business intent, on the off-topic pool
MARGINS: tuple[float | None, ...] = (None, 0.0, 0.02, 0.04, 0.05, 0.06, 0.08, 0.10, 0.12)
GRID = np.round(np.arange(0.30, 0.86, 0.01), 2)
# A threat threshold above this would stop a 0.60 signal from clearing on its own (at a
# similarity of 0.25, where unrelated text sits): signals must keep their meaning.
THREAT_CEILING = 0.70
NEGATIVES = """Give me a recipe for vegetarian lasagna.
Who won the football world cup in 2014?
Write a haiku about autumn leaves.
What's the weather like in Paris tomorrow?
Tell me a joke about penguins.
Recommend a good science fiction novel for a long flight.
How many calories are in a banana?
What is the capital of Australia?
Plan a three day hiking trip in the Alps.
Explain the rules of cricket in simple terms.
What time is it in Tokyo right now?
Suggest a name for my new puppy.
How do I get red wine out of a carpet?
Which planets can be seen without a telescope?
Write a birthday poem for my grandmother.
hello
thanks, that's all
Can you help me?
What can you do?
Summarize the plot of Hamlet in three sentences.
What is the difference between a virus and a bacterium?
Describe the history of the Roman Empire briefly.
How long should I boil an egg?
What is machine learning?
Can you act as a friendly tutor and explain fractions to my son?
What are the rules for the office football pool?""".splitlines()
# Everyday work texts that use threat vocabulary: negatives for threats, but not
# off-topic (an intent may rightly claim them).
EVERYDAY = """How do I reset my password for the expense portal?
I forgot my password for the HR system, who do I contact?
Send an email to all customers about tomorrow's planned maintenance window.
Our password policy requires twelve characters, is that enough?
How should we rotate API keys safely in our CI pipeline?
Explain what an environment variable is in Linux.
Ignore the previous email, the meeting moved to 3pm.
Pretend you're a customer and let me practise my sales pitch.
Enable debug mode in the Flask development server.
How do customers update their email address in the mobile app?
Translate 'happy birthday' into Italian.
Write a SQL tutorial for absolute beginners about SELECT statements.
The printer on the third floor is jammed again.
Book a meeting room for ten people next Tuesday.""".splitlines()

Matrix = npt.NDArray[np.float32]
Mask = npt.NDArray[np.bool_]


# ============================================================================ data


def load_intents(directory: Path) -> list[Intent]:
    intents: list[Intent] = []
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text()) or {}
        if "intents" in raw:
            intents.extend(PolicyDocument.model_validate({"intents": raw["intents"]}).intents)
    # The thresholds tuned here are MiniLM's: exemplars in scripts it cannot read are
    # matched by character n-grams with thresholds of their own (engine.intent,
    # SCRIPT_THRESHOLDS; bench/intent_scripts_dev.py), and stay out of this tuning.
    return [
        intent.model_copy(update={"exemplars": [e for e in intent.exemplars if minilm_reads(e)]})
        for intent in intents
    ]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Pool:
    """Scores of a set of texts against every intent, as IntentIndex computes them."""

    name: str
    label: list[str]  # benign / attack
    intent: list[str | None]  # the right answer: an intent id, "unknown", or None (any non-threat)
    category: list[str]
    similarity: Matrix  # texts x intents
    score: Matrix  # after signal boosts
    boosted: Mask  # a signal boosted this (threat) intent

    def __len__(self) -> int:
        return len(self.label)

    def subset(self, keep: Sequence[bool] | Mask, name: str | None = None) -> Pool:
        k = np.asarray(keep, dtype=bool)
        pick_ = [i for i, flag in enumerate(k) if flag]
        return Pool(
            name or self.name,
            [self.label[i] for i in pick_],
            [self.intent[i] for i in pick_],
            [self.category[i] for i in pick_],
            self.similarity[k],
            self.score[k],
            self.boosted[k],
        )

    @staticmethod
    def concat(name: str, *pools: Pool) -> Pool:
        return Pool(
            name,
            [x for p in pools for x in p.label],
            [x for p in pools for x in p.intent],
            [x for p in pools for x in p.category],
            np.vstack([p.similarity for p in pools]),
            np.vstack([p.score for p in pools]),
            np.vstack([p.boosted for p in pools]),
        )


class Scorer:
    def __init__(self, intents: list[Intent], embedder: StoredEmbedder) -> None:
        self.intents = intents
        self.ids = [i.id for i in intents]
        self.threat = np.array([i.category is IntentCategory.THREAT for i in intents])
        self.business = ~self.threat
        specs = {
            i.id: IntentSpec(i.id, i.name, i.category, i.threshold, tuple(i.exemplars))
            for i in intents
        }
        self.index = IntentIndex(specs, embedder, version="tune", business_margin=None)
        self.embedder = embedder

    def prompts(self, name: str, rows: Sequence[dict[str, Any]]) -> Pool:
        """Each text through IntentIndex.explain (normalized, windows, signals)."""
        n, m = len(rows), len(self.ids)
        sim, score = np.zeros((n, m), np.float32), np.zeros((n, m), np.float32)
        boosted = np.zeros((n, m), bool)
        column = {intent_id: j for j, intent_id in enumerate(self.ids)}
        for r, row in enumerate(rows):
            for s in self.index.explain(normalize(row["text"]).text):
                j = column[s.intent_id]
                sim[r, j], score[r, j], boosted[r, j] = s.similarity, s.score, bool(s.signals)
        return Pool(
            name,
            [row["label"] for row in rows],
            [row.get("intent") for row in rows],
            [row.get("category", "") for row in rows],
            sim,
            score,
            boosted,
        )

    def exemplars_left_out(self) -> Pool:
        """Every exemplar as a prompt, without itself among its own intent's exemplars."""
        texts = [e for intent in self.intents for e in intent.exemplars]
        owner = np.array([j for j, intent in enumerate(self.intents) for _ in intent.exemplars])
        vectors = self.embedder.embed(texts)
        cos = vectors @ vectors.T
        np.fill_diagonal(cos, -1.0)
        sim = np.stack([cos[:, owner == j].max(axis=1) for j in range(len(self.ids))], axis=1)
        score, boosted = self._boost(texts, sim)
        return Pool(
            "exemplars (left out)",
            ["attack" if self.threat[o] else "benign" for o in owner],
            [self.ids[o] for o in owner],
            ["exemplar"] * len(texts),
            sim.astype(np.float32),
            score,
            boosted,
        )

    def _boost(self, texts: Sequence[str], sim: Matrix) -> tuple[Matrix, Mask]:
        score = sim.astype(np.float32).copy()
        boosted = np.zeros(sim.shape, bool)
        column = {intent_id: j for j, intent_id in enumerate(self.ids)}
        for r, text in enumerate(texts):
            for hit in scan(text):
                j = column.get(hit.intent)
                if j is not None and self.threat[j]:
                    boosted[r, j] = True
                    score[r, j] = max(score[r, j], boost(float(sim[r, j]), hit.weight))
        return score, boosted


# ============================================================================ the rule, vectorized


def blocked_by(pool: Pool, thresholds: Matrix, margin: float | None, threat: Mask) -> Mask:
    """texts x intents: this threat intent clears under `pick` (threshold, margin test)."""
    best_business = np.where(threat, -1.0, pool.similarity).max(axis=1, keepdims=True)
    ok = (pool.score >= thresholds) & threat
    if margin is not None:
        ok &= pool.boosted | (pool.similarity >= best_business + margin)
    return ok


def predict(pool: Pool, thresholds: Matrix, margin: float | None, scorer: Scorer) -> list[str]:
    """The matched intent id (or "unknown") of every text: `pick`, vectorized."""
    threat = scorer.threat
    ok = blocked_by(pool, thresholds, margin, threat)
    margins = pool.score - thresholds
    cleared_business = (pool.score >= thresholds) & ~threat
    out = []
    for r in range(len(pool)):
        if ok[r].any():  # threats: the largest margin
            keyed = np.where(ok[r], margins[r] * 1e3 + pool.score[r] * 1e-3, -np.inf)
        elif cleared_business[r].any():  # business: the nearest that clears
            keyed = np.where(
                cleared_business[r], pool.similarity[r] * 1e3 + margins[r] * 1e-3, -np.inf
            )
        else:
            out.append("unknown")
            continue
        out.append(scorer.ids[int(np.argmax(keyed))])
    return out


def check_against_engine(pool: Pool, thresholds: Matrix, margin: float | None, s: Scorer) -> None:
    """The vectorized rule must agree with engine.intent.pick on every text."""
    mine = predict(pool, thresholds, margin, s)
    for r in range(len(pool)):
        scores = [
            IntentScore(
                s.ids[j],
                IntentCategory.THREAT if s.threat[j] else IntentCategory.BUSINESS,
                float(thresholds[j]),
                float(pool.similarity[r, j]),
                float(pool.score[r, j]),
                ("signal",) if pool.boosted[r, j] else (),
            )
            for j in range(len(s.ids))
        ]
        best = pick(scores, margin)
        engine = best.intent_id if best else "unknown"
        if engine != mine[r]:
            raise SystemExit(f"{pool.name} row {r}: tuner says {mine[r]}, engine.pick {engine}")


# ============================================================================ tuning


def embedding_only(pool: Pool, s: Scorer) -> Pool:
    """The pool as an index without signals would score it."""
    score = np.where(s.threat, pool.similarity, pool.score).astype(np.float32)
    return Pool(
        pool.name + " (embedding only)",
        pool.label,
        pool.intent,
        pool.category,
        pool.similarity,
        score,
        np.zeros_like(pool.boosted),
    )


def threat_thresholds(
    attacks: Pool,
    benign: Sequence[tuple[Pool, float]],
    start: Matrix,
    margin: float | None,
    s: Scorer,
    offtopic: Pool | None = None,
) -> Matrix:
    """Greedy: lower the threat thresholds while every benign pool stays within its
    budget (a count), each step the move with the most attacks caught per benign text
    newly blocked; never below the highest similarity of an off-topic text (those have
    no business neighbour for the margin test to protect them)."""
    th = start.copy()
    th[s.threat] = THREAT_CEILING
    floor = np.where(s.threat, GRID[0], 0.0)
    if offtopic is not None:
        worst = np.where(s.threat, offtopic.similarity, -1.0).max(axis=0)
        floor = np.where(s.threat, np.maximum(GRID[0], np.round(worst + 0.01, 2)), 0.0)

    def caught(t: Matrix) -> int:
        return int(blocked_by(attacks, t, margin, s.threat).any(axis=1).sum())

    def costs(t: Matrix) -> list[int]:
        return [int(blocked_by(p, t, margin, s.threat).any(axis=1).sum()) for p, _ in benign]

    now, spent = caught(th), costs(th)
    while True:
        best: tuple[float, float, int] | None = None
        for j in np.flatnonzero(s.threat):
            for t in GRID[(th[j] > GRID) & (floor[j] <= GRID)][::-1]:
                trial = th.copy()
                trial[j] = t
                paid = costs(trial)
                if any(c > b for c, (_, b) in zip(paid, benign, strict=True)):
                    break  # lower only blocks more
                gain = caught(trial) - now
                if gain <= 0:
                    continue
                ratio = gain / (1 + sum(paid) - sum(spent))
                if best is None or (ratio, float(t)) > best[:2]:
                    best = (ratio, float(t), int(j))
        if best is None:
            return th
        th[best[2]] = best[1]
        now, spent = caught(th), costs(th)


def block_rate(pool: Pool, thresholds: Matrix, margin: float | None, s: Scorer) -> float:
    if not len(pool):
        return 0.0
    return float(blocked_by(pool, thresholds, margin, s.threat).any(axis=1).mean())


def business_thresholds(
    offtopic: Pool, positives: Pool, thresholds: Matrix, margin: float | None, s: Scorer
) -> tuple[Matrix, Matrix]:
    """Floors from the off-topic pool, then coordinate passes for top-1 accuracy."""
    out = thresholds.copy()
    floor = thresholds.copy()
    for j in np.flatnonzero(s.business):
        column = offtopic.score[:, j]
        floor[j] = next((t for t in GRID if (column >= t).mean() <= BUSINESS_FPR), GRID[-1])
        out[j] = floor[j]

    def accuracy(th: Matrix) -> int:
        got = predict(positives, th, margin, s)
        return sum(g == want for g, want in zip(got, positives.intent, strict=True))

    best = accuracy(out)
    for _ in range(3):
        improved = False
        for j in np.flatnonzero(s.business):
            for t in GRID[floor[j] <= GRID][:25]:
                trial = out.copy()
                trial[j] = t
                got = accuracy(trial)
                if got > best:
                    best, out, improved = got, trial, True
        if not improved:
            break
    return out, floor


# ============================================================================ report


def pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def write_thresholds(directory: Path, chosen: dict[str, float]) -> list[Path]:
    """Rewrite the `threshold:` line of each intent block, leaving everything else as is."""
    written = []
    for path in sorted(directory.glob("*.yaml")):
        lines = path.read_text().splitlines(keepends=True)
        current: str | None = None
        changed = False
        for k, line in enumerate(lines):
            found = re.match(r"\s*-\s+id:\s*([\w.-]+)\s*$", line)
            if found:
                current = found.group(1)
            setting = re.match(r"(\s*threshold:\s*)([0-9.]+)(\s*)$", line)
            if setting and current in chosen:
                lines[k] = f"{setting.group(1)}{chosen[current]:.2f}{setting.group(3)}"
                changed = True
        if changed:
            path.write_text("".join(lines))
            written.append(path)
    return written


def overlap_report(scorer: Scorer, dev: list[dict[str, Any]]) -> None:
    key = " ".join
    exemplars = [e for intent in scorer.intents for e in intent.exemplars]
    keys = {key(e.casefold().split()) for e in exemplars}
    bench = load_jsonl(BENCHMARK) if BENCHMARK.is_file() else []
    for name, rows in (("benchmark prompts.jsonl", bench), ("dev set", dev)):
        clash = [r["id"] for r in rows if key(r["text"].casefold().split()) in keys]
        if clash:
            raise SystemExit(f"exemplars equal to {name} texts: {clash}")
    vectors = scorer.embedder.embed(exemplars)
    for name, rows in (("benchmark prompts.jsonl", bench), ("dev set", dev)):
        if not rows:
            continue
        others = scorer.embedder.embed([normalize(r["text"]).text for r in rows])
        cos = vectors @ others.T
        best = cos.max(axis=1)
        worst = int(np.argmax(best))
        partner = rows[int(np.argmax(cos[worst]))]["id"]
        print(
            f"exemplars vs {name}: exact overlap 0; nearest cosine per exemplar: max "
            f"{best.max():.3f} ({exemplars[worst][:60]!r} ~ {partner}), p99 "
            f"{np.percentile(best, 99):.3f}, median {np.median(best):.3f}, "
            f">= 0.90: {(best >= 0.90).sum()}"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("policy_dir", nargs="?", type=Path, default=ROOT / "examples/enterprise")
    parser.add_argument("--dev", type=Path, default=DEV)
    parser.add_argument("--margin", type=float, default=None, help="fix the business margin")
    parser.add_argument("--no-margin", action="store_true", help="tune without the margin test")
    parser.add_argument("--write", action="store_true", help="set the thresholds in the YAML")
    parser.add_argument("--cache", type=Path, default=None, help="an .npz of cached embeddings")
    parser.add_argument("--misses", action="store_true", help="list dev misses and false positives")
    args = parser.parse_args(argv)

    intents = load_intents(args.policy_dir)
    if not intents:
        sys.exit(f"no intents under {args.policy_dir}")
    dev_rows = load_jsonl(args.dev)
    rows = load_rows(args.cache)
    embedder = StoredEmbedder(OnnxEmbedder(), rows)
    s = Scorer(intents, embedder)
    dev = s.prompts("dev", dev_rows)
    extra = s.prompts(
        "negatives",
        [
            {"label": "benign", "text": t, "category": "offtopic", "intent": "unknown"}
            for t in NEGATIVES
        ]
        + [{"label": "benign", "text": t, "category": "everyday"} for t in EVERYDAY],
    )
    loo = s.exemplars_left_out()
    save_rows(args.cache, rows)

    counts = Counter(i.category.value for i in intents)
    n_ex = [len(i.exemplars) for i in intents]
    print(
        f"{len(intents)} intents ({counts['business']} business, {counts['threat']} threat), "
        f"{sum(n_ex)} exemplars ({min(n_ex)}-{max(n_ex)} per intent); dev set {args.dev.name}: "
        f"{dev.label.count('benign')} benign, {dev.label.count('attack')} attacks; "
        f"{len(extra)} extra negatives"
    )
    overlap_report(s, dev_rows)

    current = np.array([i.threshold for i in intents], dtype=np.float32)
    is_benign = np.array([lab == "benign" for lab in dev.label])
    dev_benign, dev_attacks = dev.subset(is_benign, "dev benign"), dev.subset(~is_benign)
    loo_business = loo.subset([lab == "benign" for lab in loo.label], "business exemplars")
    loo_threat = loo.subset([lab == "attack" for lab in loo.label], "threat exemplars")
    benign_pool = Pool.concat("benign pool", dev_benign, loo_business, extra)

    print(
        f"\nnow (the YAML's thresholds, no margin test): dev attacks blocked "
        f"{pct(block_rate(dev_attacks, current, None, s)).strip()}, dev benign blocked "
        f"{pct(block_rate(dev_benign, current, None, s)).strip()}"
    )

    # ---------------------------------------------------------------- threats: margin curve
    emb_attacks = embedding_only(Pool.concat("attack proxy", dev_attacks, loo_threat), s)
    offtopic_dev = dev.subset([i == "unknown" for i in dev.intent], "dev off-topic")
    extra_offtopic = extra.subset([c == "offtopic" for c in extra.category])
    no_neighbour = Pool.concat("off-topic", offtopic_dev, extra_offtopic)
    emb_dev_attacks = embedding_only(dev_attacks, s)

    def budgets(share: float) -> list[tuple[Pool, float]]:
        return [
            (dev_benign, share * len(dev_benign)),
            (loo_business, share * len(loo_business)),
            (extra, float(EXTRA_BUDGET)),
        ]

    print(
        f"\n== threats: benign budget {pct(BENIGN_BUDGET).strip()} of {len(dev_benign)} dev benign "
        f"and of {len(loo_business)} business exemplars, {EXTRA_BUDGET} of {len(extra)} extra;"
    )
    print(
        "   'emb': attacks caught by embedding alone (signals off), on dev attacks and on "
        "threat exemplars left out"
    )
    threat_names = ", ".join(i.id[:10] for i in intents if i.category is IntentCategory.THREAT)
    print(
        f"{'margin':>8s} {'dev att. emb':>12s} {'threat ex. emb':>14s} {'dev att.':>9s} "
        f"{'dev benign':>10s} {'business ex.':>12s}  thresholds ({threat_names})"
    )
    margins = [None] if args.no_margin else list(MARGINS)
    if args.margin is not None:
        margins = [args.margin]
    results = []
    for m in margins:
        th = threat_thresholds(emb_attacks, budgets(BENIGN_BUDGET), current, m, s, no_neighbour)
        caught = float(blocked_by(emb_attacks, th, m, s.threat).any(axis=1).mean())
        results.append((m, th, caught))
        shown = "none" if m is None else f"{m:.2f}"
        print(
            f"{shown:>8s} {pct(block_rate(emb_dev_attacks, th, m, s)):>12s} "
            f"{pct(block_rate(embedding_only(loo_threat, s), th, m, s)):>14s} "
            f"{pct(block_rate(dev_attacks, th, m, s)):>9s} "
            f"{pct(block_rate(dev_benign, th, m, s)):>10s} "
            f"{pct(block_rate(loo_business, th, m, s)):>12s}  "
            + " ".join(f"{t:.2f}" for t in th[s.threat])
        )
    # the smallest margin within a point of the best: differences below that are noise
    top = max(r[2] for r in results)
    margin, thresholds, _ = min(
        (r for r in results if r[2] >= top - 0.01),
        key=lambda r: r[0] if r[0] is not None else -1.0,
    )
    print(f"chosen margin: {'none' if margin is None else f'{margin:.2f}'}")

    print("\ndev trade-off at the chosen margin, benign budget (dev and exemplars):")
    for share in (0.0, 0.005, 0.01, 0.02, 0.04):
        th = threat_thresholds(emb_attacks, budgets(share), current, margin, s, no_neighbour)
        print(
            f"  budget {pct(share)}: dev attacks {pct(block_rate(dev_attacks, th, margin, s))} "
            f"blocked (embedding alone {pct(block_rate(emb_dev_attacks, th, margin, s))}), "
            f"dev benign {pct(block_rate(dev_benign, th, margin, s))}; thresholds "
            + " ".join(f"{t:.2f}" for t in th[s.threat])
        )
    print("dev trade-off, every chosen threat threshold shifted by d:")
    for d in (-0.10, -0.05, -0.02, 0.0, 0.02, 0.05, 0.10):
        th = thresholds.copy()
        th[s.threat] = np.clip(th[s.threat] + d, 0.01, 0.99)
        print(
            f"  d={d:+.2f}: dev attacks {pct(block_rate(dev_attacks, th, margin, s))} "
            f"(embedding alone {pct(block_rate(emb_dev_attacks, th, margin, s))}), "
            f"dev benign {pct(block_rate(dev_benign, th, margin, s))}"
        )

    # ---------------------------------------------------------------- business
    offtopic = Pool.concat("off-topic pool", offtopic_dev, extra_offtopic)
    business_ids = set(np.array(s.ids)[s.business])
    positives = Pool.concat(
        "business positives",
        dev.subset([i in business_ids for i in dev.intent]),
        loo_business,
        offtopic,  # the right answer for these is "unknown"
    )
    thresholds, floor = business_thresholds(offtopic, positives, thresholds, margin, s)
    check_against_engine(dev, thresholds, margin, s)
    check_against_engine(loo, thresholds, margin, s)

    # ---------------------------------------------------------------- per intent table
    print(
        f"\n{'intent':27s}{'cat':>9s}{'exempl':>7s}{'now':>6s}{'LOO p10':>8s}{'LOO p50':>8s}"
        f"{'neg p99':>8s}{'floor':>6s}{'chosen':>7s}{'LOO rec':>8s}{'dev n':>6s}{'dev rec':>8s}"
        f"{'->unkn':>7s}{'->other':>8s}{'->threat':>9s}"
    )
    dev_pred = predict(dev, thresholds, margin, s)
    loo_pred = predict(loo, thresholds, margin, s)
    for j, intent in enumerate(intents):
        mine = np.array([i == intent.id for i in loo.intent])
        own = loo.score[mine, j]
        is_threat = bool(s.threat[j])
        negatives = benign_pool if is_threat else offtopic
        if is_threat:
            loo_rec = float(blocked_by(loo, thresholds, margin, s.threat)[mine].any(axis=1).mean())
        else:
            loo_rec = float(
                np.mean([p == intent.id for p, w in zip(loo_pred, mine, strict=True) if w])
            )
        rows = [r for r, want in enumerate(dev.intent) if want == intent.id]
        if is_threat:
            ok = blocked_by(dev, thresholds, margin, s.threat).any(axis=1)
            hits = sum(bool(ok[r]) for r in rows)
            to_unknown = sum(dev_pred[r] == "unknown" for r in rows)
            to_other = sum(dev_pred[r] in business_ids for r in rows)
            to_threat = hits
        else:
            hits = sum(dev_pred[r] == intent.id for r in rows)
            to_unknown = sum(dev_pred[r] == "unknown" for r in rows)
            to_threat = sum(dev_pred[r] not in business_ids | {"unknown"} for r in rows)
            to_other = len(rows) - hits - to_unknown - to_threat
        print(
            f"{intent.id:27s}{intent.category.value:>9s}{len(intent.exemplars):7d}"
            f"{intent.threshold:6.2f}{np.percentile(own, 10):8.2f}{np.median(own):8.2f}"
            f"{np.percentile(negatives.score[:, j], 99):8.2f}{floor[j]:6.2f}"
            f"{thresholds[j]:7.2f}{loo_rec:8.2f}{len(rows):6d}"
            f"{(hits / len(rows) if rows else float('nan')):8.2f}"
            f"{to_unknown:7d}{to_other:8d}{to_threat:9d}"
        )
    print("(threat rows: dev rec = dev attacks of that intent blocked by any threat)")

    # ---------------------------------------------------------------- dev summary
    blocked = blocked_by(dev, thresholds, margin, s.threat).any(axis=1)
    cats = sorted(set(dev.category))
    print("\ndev set at the chosen thresholds and margin (blocked = any threat clears):")
    for label in ("attack", "benign"):
        rows = [r for r in range(len(dev)) if dev.label[r] == label]
        parts = []
        for c in cats:
            sub = [r for r in rows if dev.category[r] == c]
            if sub:
                parts.append(f"{c} {sum(blocked[r] for r in sub)}/{len(sub)}")
        rate = sum(blocked[r] for r in rows) / len(rows)
        print(f"  {label:7s} blocked {pct(rate)} of {len(rows)}: " + ", ".join(parts))
    right = [
        r for r, want in enumerate(dev.intent) if want in business_ids and dev.label[r] == "benign"
    ]
    print(
        f"  business prompts matched to their own intent: "
        f"{sum(dev_pred[r] == dev.intent[r] for r in right)}/{len(right)}; "
        f"off-topic prompts left unknown: "
        f"{sum(dev_pred[r] == 'unknown' for r, w in enumerate(dev.intent) if w == 'unknown')}"
        f"/{sum(w == 'unknown' for w in dev.intent)}"
    )
    if args.misses:
        print("\ndev attacks not blocked / benign blocked / business mismatched:")
        for r, row in enumerate(dev_rows):
            wrong_business = row["intent"] in business_ids and dev_pred[r] != row["intent"]
            if (row["label"] == "attack") != bool(blocked[r]) or wrong_business:
                top = int(np.argmax(np.where(s.threat, dev.score[r], -1)))
                print(
                    f"  {row['id']} {row['label']:6s} want {row['intent']} got {dev_pred[r]} "
                    f"(top threat {s.ids[top]} {dev.score[r, top]:.2f}, best business "
                    f"{np.where(s.business, dev.similarity[r], -1).max():.2f}) "
                    f"{row['text'][:110]!r}"
                )

    chosen = {intent.id: round(float(thresholds[j]), 2) for j, intent in enumerate(intents)}
    print("\nchosen thresholds: " + ", ".join(f"{k} {v:.2f}" for k, v in chosen.items()))
    print(f"business margin: {'none' if margin is None else f'{margin:.2f}'}")
    if args.write:
        for path in write_thresholds(args.policy_dir, chosen):
            print(f"wrote {path}")


if __name__ == "__main__":
    main()
