"""Calibrate the intent cascade (engine.cascade.CascadeRule) on data written for it.

    .venv/bin/python -m training.static.calibrate [--agreement 0.98]

Reference: the full MiniLM match (engine.intent.IntentIndex, int8 ONNX, the request
path's embedder) of the reference enterprise (examples/enterprise). Calibration data,
never a measuring set:

- the enterprise's English exemplars, leave-one-out: each exemplar scored against
  every intent with itself removed, on both models (MiniLM's match rebuilt with
  engine.intent.rescore and choose, as the index picks it);
- bench/corpus/intent_dev.jsonl (the DEV set written for tuning; its non-English
  rows are never eligible).

Not bench/corpus/intent_languages.jsonl, prompts.jsonl or bench/decide.py's prompts:
those measure the result.

For each rule on a grid (min_similarity, min_margin, threat_gap), over the prompts
the cascade may settle (engine.intent.IntentIndex.static_view is not None): how many
it settles, and on how many of those its intent is MiniLM's. The chosen rule settles
the most prompts with agreement >= `--agreement` on the pooled set and no prompt
settled whose MiniLM match is a threat. Prints the figures docs/intent.md quotes;
edits nothing (the constant is set by hand in engine/cascade.py).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "bench" / "corpus" / "intent_dev.jsonl"


@dataclass
class Features:
    source: str
    reference: str  # MiniLM's intent id
    reference_threat: bool
    best: int  # static nearest intent's position
    s1: float
    s2: float
    threat: float  # best visible threat similarity
    best_business: bool


def features_of(
    source: str,
    reference: str,
    reference_threat: bool,
    sims: npt.NDArray[np.float32],
    visible: npt.NDArray[np.bool_],
    is_business: npt.NDArray[np.bool_],
    is_threat: npt.NDArray[np.bool_],
) -> Features:
    cand = visible & (is_business | is_threat)
    s = np.where(cand, sims, np.float32(-2.0))
    order = np.argsort(-s, kind="stable")
    threat = s[is_threat & visible]
    return Features(
        source,
        reference,
        reference_threat,
        int(order[0]),
        float(s[order[0]]),
        float(s[order[1]]),
        float(threat.max()) if threat.size else -1.0,
        bool(is_business[order[0]]),
    )


def left_out(
    matrix: npt.NDArray[np.float32],
    owner: npt.NDArray[np.int64],
    keep: npt.NDArray[np.bool_],
    row: int,
    n_intents: int,
) -> list[float]:
    """Each intent's best cosine to exemplar `row`, that exemplar itself left out."""
    best = np.full(n_intents, -1.0, dtype=np.float32)
    np.maximum.at(best, owner[keep], matrix[keep] @ matrix[row])
    return [float(x) for x in best]


def collect() -> tuple[list[Features], list[str]]:
    from bench.detection import enterprise
    from engine.embedding import OnnxEmbedder
    from engine.intent import IntentIndex, choose, rescore
    from engine.model import IntentCategory
    from engine.normalize import normalize
    from engine.signals import scan
    from engine.static_embedding import StaticEmbedder

    snapshot, principal = enterprise()
    tenant = principal.tenant
    minilm = OnnxEmbedder()
    static = StaticEmbedder()
    index = IntentIndex.from_snapshot(snapshot, minilm, static=static)
    specs = sorted(snapshot.intents.values(), key=lambda spec: spec.id)
    ids = [spec.id for spec in specs]
    is_business = np.array([s.category is IntentCategory.BUSINESS for s in specs])
    is_threat = np.array([s.category is IntentCategory.THREAT for s in specs])
    owners = {spec.id: spec.tenant for spec in specs}
    out: list[Features] = []

    for row in (json.loads(line) for line in DEV.read_text().splitlines() if line.strip()):
        text = normalize(row["text"]).text
        view = index.static_view(text, tenant)
        if view is None:
            continue
        ref = index.match_scored(text, tenant=tenant, allow_static=False).match
        sims, visible = view
        threat = ref.category is IntentCategory.THREAT
        out.append(features_of("dev", ref.intent_id, threat, sims, visible, is_business, is_threat))

    from engine.scripts import minilm_reads

    rows = [(i, normalize(t).text) for i, s in enumerate(specs) for t in s.exemplars]
    rows = [(i, t) for i, t in rows if minilm_reads(t)]
    owner = np.array([i for i, _ in rows])
    texts = [t for _, t in rows]
    m_rows = minilm.embed(texts)
    s_rows = static.embed(texts)
    for r, (_, text) in enumerate(rows):
        view = index.static_view(text, tenant)
        if view is None:
            continue
        _, visible = view
        keep = np.arange(len(rows)) != r

        weights: dict[str, float] = {}
        for hit in scan(text):
            weights[hit.name] = max(weights.get(hit.name, 0.0), hit.weight)
        m_sims = dict(zip(ids, left_out(m_rows, owner, keep, r, len(specs)), strict=True))
        scores = rescore(snapshot.intents, m_sims, weights)
        ref = choose(scores, tuple(weights), owners, tenant, index.business_margin)
        sims = np.array(left_out(s_rows, owner, keep, r, len(specs)), dtype=np.float32)
        threat = ref.category is IntentCategory.THREAT
        out.append(
            features_of("exemplars", ref.intent_id, threat, sims, visible, is_business, is_threat)
        )
    return out, ids


def evaluate(
    feats: list[Features], ids: list[str], sim: float, margin: float, gap: float
) -> tuple[int, int, int]:
    """(settled, agreeing, settled whose MiniLM match is a threat)."""
    settled = agree = threats = 0
    for f in feats:
        if f.best_business and f.s1 >= sim and f.s1 - f.s2 >= margin and f.threat <= f.s1 - gap:
            settled += 1
            agree += ids[f.best] == f.reference
            threats += f.reference_threat
    return settled, agree, threats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreement", type=float, default=0.98)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    feats, ids = collect()
    by_source = {s: [f for f in feats if f.source == s] for s in ("exemplars", "dev")}
    counts = ", ".join(f"{k} {len(v)}" for k, v in by_source.items())
    print(f"eligible prompts: {len(feats)} ({counts})")
    grid = itertools.product(
        np.round(np.arange(0.30, 0.91, 0.02), 2),
        np.round(np.arange(0.0, 0.31, 0.01), 2),
        np.round(np.arange(0.0, 0.41, 0.02), 2),
    )
    best: tuple[int, float, float, float] | None = None
    for sim, margin, gap in grid:
        settled, agree, threats = evaluate(feats, ids, sim, margin, gap)
        if settled and threats == 0 and agree / settled >= args.agreement:
            key = (settled, -sim, -margin, -gap)
            if best is None or key > (best[0], -best[1], -best[2], -best[3]):
                best = (settled, float(sim), float(margin), float(gap))
    if best is None:
        print("no rule reaches the agreement")
        return 1
    _, sim, margin, gap = best
    print(f"chosen: min_similarity={sim} min_margin={margin} threat_gap={gap}")
    for name, group in (("pooled", feats), *by_source.items()):
        settled, agree, threats = evaluate(group, ids, sim, margin, gap)
        share = settled / len(group) if group else 0.0
        rate = agree / settled if settled else 0.0
        print(
            f"  {name:9s} eligible {len(group):4d}  settled {settled:4d} ({share:.1%})"
            f"  agree {agree}/{settled} ({rate:.1%})  threats settled {threats}"
        )
    print("share settled at other agreement floors (pooled):")
    for floor in (0.95, 0.97, 0.99, 1.0):
        top = 0
        for s_, m_, g_ in itertools.product(
            np.round(np.arange(0.30, 0.91, 0.02), 2),
            np.round(np.arange(0.0, 0.31, 0.01), 2),
            np.round(np.arange(0.0, 0.41, 0.04), 2),
        ):
            n, a, t = evaluate(feats, ids, s_, m_, g_)
            if n and t == 0 and a / n >= floor:
                top = max(top, n)
        print(f"  >= {floor:.0%}: {top}/{len(feats)} ({top / len(feats):.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
