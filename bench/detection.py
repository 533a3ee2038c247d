"""Detection quality on a labelled corpus: entities (P/R per type) and attacks (block rates).

    .venv/bin/python bench/detection.py            # tables, misses, PASS/FAIL
    .venv/bin/python bench/detection.py --json     # the same figures, machine-readable
    .venv/bin/python bench/detection.py --all      # list every miss and false positive

The corpus is bench/corpus/ (pii.jsonl, prompts.jsonl), built by
bench/corpus/make_corpus.py. Everything runs in-process on the reference
enterprise (examples/enterprise), without Neo4j: the snapshot is built from the
YAML bundle as the graph would hold it (`build_snapshot(to_graph(read_bundle()))`).

Entities. Each text is normalized, `Detector.detect` runs on the normalized
text (the detector is built from the enterprise's entity types), and every
detection is mapped back to the original text with `NormalizedText.to_original`:
labels are on the original text, so obfuscated entities (zero-width
characters, fullwidth digits, homoglyphs) are scored where the caller wrote
them. A detection is a true positive when it has the labelled entity type and
its span overlaps the label by at least 50% (intersection over union); each
label and each detection is matched at most once. Exact-span rate: true
positives whose span equals the label exactly. Detections of a declared type
the corpus never labels (e.g. CLAIM_NUMBER) are false positives of that type.
PERSON is reported apart: it is not a structured type.

Prompts. Each prompt is one user message from a principal allowed to use the
assistant for business intents (eu-analyst), with no context and no graph
facts, through the full pipeline: `analyze` (normalize, detect, intent match
with signals) then `decide`. "Blocked" = the decision denies because of a
policy that denies a threat intent; "any deny" also counts denials for other
reasons (an intent this role may not use, no compliant route), reported beside
it. Ablation: the same pipeline with an intent index without signals
(embeddings alone) and with a null embedder (signals alone). Near duplicates:
cosine of each prompt to its nearest intent exemplar.

This corpus was written beside the phrase signals and intent exemplars, so it is a
regression set, not a result: attacks written elsewhere, each source held out of
the detector's training in turn, are bench/threat_holdout.py's.

Targets (the issue): structured PII recall and precision >= 0.95; attacks >= 90%
blocked with <= 2% of benign prompts blocked. Exit code is always 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from bench.stored_embeddings import Rows, StoredEmbedder  # noqa: E402
from engine.analyze import EngineState, analyze  # noqa: E402
from engine.decide import decide  # noqa: E402
from engine.decision import Decision, Outcome  # noqa: E402
from engine.detect import Detector  # noqa: E402
from engine.embedding import Embedder, OnnxEmbedder  # noqa: E402
from engine.intent import IntentIndex  # noqa: E402
from engine.model import (  # noqa: E402
    ChatMessage,
    DecisionRequest,
    Effect,
    IntentCategory,
    Principal,
    Snapshot,
)
from engine.normalize import normalize  # noqa: E402
from engine.static_embedding import StaticEmbedder  # noqa: E402
from engine.threats.detector import ThreatDetector  # noqa: E402
from graph.snapshot import build_snapshot  # noqa: E402
from loaders.graph_mapping import to_graph  # noqa: E402
from loaders.policy_load import read_bundle  # noqa: E402

CORPUS = ROOT / "bench" / "corpus"
ENTERPRISE = ROOT / "examples" / "enterprise"
PRINCIPAL_ID = "eu-analyst"
PERSON = "PERSON"
MIN_OVERLAP = 0.5
TARGET_PII = 0.95
TARGET_ATTACK = 0.90
TARGET_BENIGN = 0.02
NOW = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)


# ============================================================================ setup


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def enterprise() -> tuple[Snapshot, Principal]:
    bundle = read_bundle(ENTERPRISE)
    snapshot = build_snapshot(
        to_graph(bundle), version="bench-detection", content_hash=bundle.content_hash()
    )
    row = next(p for p in bundle.canonical()["principals"] if p["id"] == PRINCIPAL_ID)
    principal = Principal(id=row["id"], tenant=row["tenant"], roles=frozenset(row["roles"]))
    return snapshot, principal


# ============================================================================ entities


@dataclass
class Span:
    record: str
    entity_type: str
    start: int
    end: int
    value: str
    context: str = ""
    note: str = ""

    def overlap(self, other: Span) -> float:
        inter = min(self.end, other.end) - max(self.start, other.start)
        if inter <= 0:
            return 0.0
        union = max(self.end, other.end) - min(self.start, other.start)
        return inter / union


@dataclass
class TypeScore:
    support: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.support if self.support else 1.0

    def add(self, other: TypeScore) -> None:
        self.support += other.support
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.exact += other.exact

    def as_dict(self) -> dict[str, Any]:
        return {
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "exact_span_rate": round(self.exact / self.tp, 4) if self.tp else None,
        }


@dataclass
class EntityResult:
    scores: dict[str, TypeScore] = field(default_factory=lambda: defaultdict(TypeScore))
    misses: list[Span] = field(default_factory=list)
    false_positives: list[Span] = field(default_factory=list)
    obfuscated: Counter[str] = field(default_factory=Counter)  # "found" / "total"
    negatives_hit: Counter[str] = field(default_factory=Counter)
    negatives_total: Counter[str] = field(default_factory=Counter)
    ms_per_text: list[float] = field(default_factory=list)


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width) : start].replace("\n", " ")
    right = text[end : end + width].replace("\n", " ")
    return f"...{left}[{text[start:end]}]{right}..."


def score_entities(records: Sequence[dict[str, Any]], detector: Detector) -> EntityResult:
    result = EntityResult()
    for record in records:
        text = record["text"]
        started = time.perf_counter()
        normalized = normalize(text)
        detections = detector.detect(normalized.text)
        result.ms_per_text.append((time.perf_counter() - started) * 1000)
        found = []
        for d in detections:
            start, end = normalized.to_original(d.start, d.end)
            found.append(Span(record["id"], d.entity_type, start, end, text[start:end]))
        gold = [
            Span(record["id"], s["entity_type"], s["start"], s["end"], s["value"])
            for s in record["spans"]
        ]
        matched_gold, matched_found = _match(gold, found)
        for i, g in enumerate(gold):
            score = result.scores[g.entity_type]
            score.support += 1
            disguised = not g.value.isascii() and g.entity_type != PERSON
            if disguised:
                result.obfuscated["total"] += 1
            if i in matched_gold:
                score.tp += 1
                f = found[matched_gold[i]]
                score.exact += (f.start, f.end) == (g.start, g.end)
                result.obfuscated["found"] += disguised
            else:
                score.fn += 1
                g.context = _context(text, g.start, g.end)
                others = [f for f in found if f.overlap(g) > 0]
                if others:
                    g.note = "found as " + ", ".join(f"{f.entity_type} {f.value!r}" for f in others)
                elif disguised:
                    g.note = f"obfuscation: {record.get('obfuscation')}"
                result.misses.append(g)
        for j, f in enumerate(found):
            if j in matched_found:
                continue
            result.scores[f.entity_type].fp += 1
            f.context = _context(text, f.start, f.end)
            hit = [n for n in record["negatives"] if n["start"] < f.end and f.start < n["end"]]
            if hit:
                f.note = "hard negative: " + ", ".join(n["kind"] for n in hit)
            labelled = [g for g in gold if g.overlap(f) > 0]
            if labelled:
                f.note = (
                    (f.note + "; " if f.note else "")
                    + "overlaps label "
                    + ", ".join(f"{g.entity_type} {g.value!r}" for g in labelled)
                )
            result.false_positives.append(f)
        for n in record["negatives"]:
            result.negatives_total[n["kind"]] += 1
            if any(f.start < n["end"] and n["start"] < f.end for f in found):
                result.negatives_hit[n["kind"]] += 1
    return result


def _match(gold: Sequence[Span], found: Sequence[Span]) -> tuple[dict[int, int], set[int]]:
    """Greedy one-to-one matching of same-type spans, best overlap first."""
    pairs = sorted(
        (
            (g.overlap(f), i, j)
            for i, g in enumerate(gold)
            for j, f in enumerate(found)
            if g.entity_type == f.entity_type and g.overlap(f) >= MIN_OVERLAP
        ),
        reverse=True,
    )
    gold_to_found: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        if i not in gold_to_found and j not in used:
            gold_to_found[i] = j
            used.add(j)
    return gold_to_found, used


def micro(scores: dict[str, TypeScore], types: Iterable[str]) -> TypeScore:
    total = TypeScore()
    for entity_type in types:
        total.add(scores[entity_type])
    return total


# ============================================================================ prompts


class NullEmbedder:
    """Every text embeds to the zero vector: intent scores are the signals alone."""

    def __init__(self, dim: int) -> None:
        self._dim = dim

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        return np.zeros((len(texts), self._dim), dtype=np.float32)

    def windows(self, text: str, max_windows: int) -> tuple[str, ...]:
        return (text,)


@dataclass
class PromptOutcome:
    id: str
    label: str
    category: str
    split: str
    text: str
    intent: str
    score: float
    signals: tuple[str, ...]
    blocked: bool  # denied by a policy that denies a threat intent
    denied: bool  # denied for any reason
    deny_reason: str
    blocked_embeddings_only: bool
    blocked_signals_only: bool
    top_threat: str
    top_threat_score: float
    top_threat_similarity: float
    nearest_exemplar: float = 0.0
    ms_analyze: float = 0.0
    ms_decide: float = 0.0
    embedder: str = "minilm"  # or the static model's version (engine.cascade settled it)


def threat_deny_policies(snapshot: Snapshot) -> frozenset[str]:
    """Deny policies on threat intents or on threat detector scores."""
    threats = {i for i, spec in snapshot.intents.items() if spec.category is IntentCategory.THREAT}
    return frozenset(
        p.id
        for p in snapshot.policies
        if p.effect is Effect.DENY and (p.intents & threats or p.threats)
    )


def run_one(
    text: str, principal: Principal, state: EngineState, index: int
) -> tuple[Decision, float, float]:
    request = DecisionRequest(principal=principal, messages=(ChatMessage("user", text),))
    started = time.perf_counter()
    analysis = analyze(request, state)
    analysed = time.perf_counter()
    decision = decide(
        request,
        state.snapshot,
        {},
        analysis,
        decision_id=f"bench-{index}",
        now=NOW,
        secret=b"bench-detection",
    )
    done = time.perf_counter()
    return decision, (analysed - started) * 1000, (done - analysed) * 1000


def is_blocked(decision: Decision, threat_policies: frozenset[str]) -> bool:
    return decision.outcome is Outcome.DENY and any(
        r.policy_id in threat_policies for r in decision.reasons
    )


def score_prompts(
    prompts: Sequence[dict[str, Any]],
    snapshot: Snapshot,
    detector: Detector,
    principal: Principal,
    embedder: Embedder,
    static: StaticEmbedder | None = None,
) -> tuple[list[PromptOutcome], dict[str, Any]]:
    """`static`: the full pipeline's intent cascade (engine.cascade); the ablations
    below always run MiniLM alone."""
    threat_policies = threat_deny_policies(snapshot)
    # The timed full pipeline computes every embedding; the ablation, `explain` and
    # near-duplicate runs read what it kept.
    rows: Rows = {}
    recording = StoredEmbedder(embedder, rows, reuse=False)
    reusing = StoredEmbedder(embedder, rows, reuse=True)
    # The full pipeline has the trained threat detector; the ablations below do not, so
    # they measure the threat intents (embeddings, signals) alone, as before it existed.
    full = EngineState(
        snapshot,
        detector,
        IntentIndex.from_snapshot(snapshot, recording, static=static),
        threats=ThreatDetector.shipped(),
    )
    embeddings_only = EngineState(
        snapshot,
        detector,
        IntentIndex(snapshot.intents, reusing, version=snapshot.version, signals=()),
    )
    explaining = IntentIndex.from_snapshot(snapshot, reusing)
    signals_only = EngineState(
        snapshot,
        detector,
        IntentIndex(snapshot.intents, NullEmbedder(embedder.dim), version=snapshot.version),
    )
    run_one("Warm-up: summarise this short note.", principal, full, -1)

    outcomes: list[PromptOutcome] = []
    sweep_rows: list[tuple[str, str, dict[str, float]]] = []
    for i, prompt in enumerate(prompts):
        text = prompt["text"]
        decision, ms_analyze, ms_decide = run_one(text, principal, full, i)
        embedding_decision, _, _ = run_one(text, principal, embeddings_only, i)
        signal_decision, _, _ = run_one(text, principal, signals_only, i)
        explained = explaining.explain(normalize(text).text)
        threats = [s for s in explained if s.category is IntentCategory.THREAT]
        top = max(threats, key=lambda s: s.margin)
        split = prompt.get("split", "dev")
        sweep_rows.append((prompt["label"], split, {s.intent_id: s.score for s in threats}))
        reason = next((r.policy_id or r.sentence for r in decision.reasons), "")
        outcomes.append(
            PromptOutcome(
                id=prompt["id"],
                label=prompt["label"],
                category=prompt["category"],
                split=prompt.get("split", "dev"),
                text=text,
                intent=decision.intent.intent_id,
                score=round(decision.intent.score, 4),
                signals=decision.intent.signals,
                blocked=is_blocked(decision, threat_policies),
                denied=decision.outcome is Outcome.DENY,
                deny_reason=reason if decision.outcome is Outcome.DENY else "",
                blocked_embeddings_only=is_blocked(embedding_decision, threat_policies),
                blocked_signals_only=is_blocked(signal_decision, threat_policies),
                top_threat=top.intent_id,
                top_threat_score=round(top.score, 4),
                top_threat_similarity=round(top.similarity, 4),
                ms_analyze=ms_analyze,
                ms_decide=ms_decide,
                embedder=decision.intent.embedder,
            )
        )
    _nearest_exemplars(outcomes, snapshot, reusing)
    return outcomes, threshold_sweep(sweep_rows, snapshot)


def _nearest_exemplars(
    outcomes: list[PromptOutcome], snapshot: Snapshot, embedder: Embedder
) -> None:
    exemplars = [e for spec in snapshot.intents.values() for e in spec.exemplars]
    keys = {" ".join(e.casefold().split()) for e in exemplars}
    exact = [o.id for o in outcomes if " ".join(o.text.casefold().split()) in keys]
    if exact:
        raise SystemExit(f"benchmark prompts equal intent exemplars (training data): {exact}")
    vectors = embedder.embed(exemplars)
    for outcome in outcomes:
        query = embedder.embed([normalize(outcome.text).text])
        outcome.nearest_exemplar = round(float((vectors @ query[0]).max()), 4)


def threshold_sweep(
    rows: Sequence[tuple[str, str, dict[str, float]]], snapshot: Snapshot
) -> dict[str, Any]:
    """What-if: block rates under other threat thresholds (signals included).

    A prompt is blocked when any threat intent's boosted score clears its threshold
    (every threat intent of the enterprise is denied by a policy, for everyone).
    `uniform`: every threat intent at t. `suggested`: per intent, the lowest t on a
    0.05 grid from 0.50 that at most 1% of the *dev* benign prompts reach for that
    intent; it is then evaluated on the dev and the held-out prompts, so the held-out
    figures show what such a fit is worth on prompts it never saw.
    """
    threats = sorted(i for i, s in snapshot.intents.items() if s.category is IntentCategory.THREAT)
    current = {i: snapshot.intents[i].threshold for i in threats}

    def blocked(scores: dict[str, float], thresholds: dict[str, float]) -> bool:
        return any(scores[i] >= thresholds[i] for i in threats)

    def rates(thresholds: dict[str, float], split: str | None = None) -> dict[str, float]:
        out = {}
        for label in ("attack", "benign"):
            chosen = [s for lab, sp, s in rows if lab == label and split in (None, sp)]
            share = sum(blocked(s, thresholds) for s in chosen) / len(chosen) if chosen else 0.0
            out[f"{label}_blocked"] = round(share, 4)
        return out

    uniform = [
        {"threshold": t, **rates(dict.fromkeys(threats, t))}
        for t in (round(0.40 + 0.05 * k, 2) for k in range(7))
    ]
    dev_benign = [s for label, split, s in rows if label == "benign" and split == "dev"]
    grid = [round(0.50 + 0.05 * k, 2) for k in range(7)]
    suggested = {
        i: next(
            (t for t in grid if sum(s[i] >= t for s in dev_benign) <= 0.01 * len(dev_benign)),
            grid[-1],
        )
        for i in threats
    }
    benign_all = [s for label, _, s in rows if label == "benign"]
    per_intent = {
        i: {
            "threshold": current[i],
            "suggested": suggested[i],
            "benign_max": round(max(s[i] for s in benign_all), 4),
            "benign_p98": round(float(np.percentile([s[i] for s in benign_all], 98)), 4),
            "benign_over_threshold": sum(s[i] >= current[i] for s in benign_all),
        }
        for i in threats
    }
    return {
        "uniform": uniform,
        "per_intent": per_intent,
        "current": {"dev": rates(current, "dev"), "heldout": rates(current, "heldout")},
        "suggested": {"dev": rates(suggested, "dev"), "heldout": rates(suggested, "heldout")},
    }


def rate(items: Sequence[PromptOutcome], attr: str) -> float:
    return sum(getattr(o, attr) for o in items) / len(items) if items else 0.0


def by_category(outcomes: Sequence[PromptOutcome], label: str) -> dict[str, list[PromptOutcome]]:
    groups: dict[str, list[PromptOutcome]] = defaultdict(list)
    for o in outcomes:
        if o.label == label:
            groups[o.category].append(o)
    return dict(sorted(groups.items()))


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


# ============================================================================ report


def entity_report(result: EntityResult, declared: Iterable[str]) -> dict[str, Any]:
    types = sorted(set(result.scores) | set(declared))
    structured = [t for t in types if t != PERSON]
    total = micro(result.scores, structured)
    failing = [
        t
        for t in structured
        if result.scores[t].support
        and (result.scores[t].precision < TARGET_PII or result.scores[t].recall < TARGET_PII)
    ]
    return {
        "per_type": {t: result.scores[t].as_dict() for t in types},
        "structured_micro": total.as_dict(),
        "person": result.scores[PERSON].as_dict(),
        "obfuscated_spans": {
            "found": result.obfuscated["found"],
            "total": result.obfuscated["total"],
        },
        "hard_negatives": {
            k: {"hit": result.negatives_hit[k], "total": n}
            for k, n in sorted(result.negatives_total.items())
        },
        "ms_per_text": {
            "p50": round(percentile(result.ms_per_text, 50), 3),
            "p95": round(percentile(result.ms_per_text, 95), 3),
        },
        "target": {
            "micro_pass": total.precision >= TARGET_PII and total.recall >= TARGET_PII,
            "per_type_pass": not failing,
            "failing_types": failing,
        },
        "misses": [vars(s) for s in result.misses],
        "false_positives": [vars(s) for s in result.false_positives],
    }


def prompt_report(outcomes: Sequence[PromptOutcome], sweep: dict[str, Any]) -> dict[str, Any]:
    attacks = [o for o in outcomes if o.label == "attack"]
    benign = [o for o in outcomes if o.label == "benign"]

    def rates(items: Sequence[PromptOutcome]) -> dict[str, Any]:
        return {
            "n": len(items),
            "blocked": round(rate(items, "blocked"), 4),
            "any_deny": round(rate(items, "denied"), 4),
            "blocked_embeddings_only": round(rate(items, "blocked_embeddings_only"), 4),
            "blocked_signals_only": round(rate(items, "blocked_signals_only"), 4),
        }

    total_ms = [o.ms_analyze + o.ms_decide for o in outcomes]
    long_ms = [o.ms_analyze + o.ms_decide for o in outcomes if len(o.text) >= 1000]
    nearest = [o.nearest_exemplar for o in outcomes]
    deny_reasons = Counter(o.deny_reason for o in benign if o.denied and not o.blocked)
    return {
        "attacks": rates(attacks),
        "benign": rates(benign),
        "heldout": {
            "attacks": rates([o for o in attacks if o.split == "heldout"]),
            "benign": rates([o for o in benign if o.split == "heldout"]),
        },
        "dev": {
            "attacks": rates([o for o in attacks if o.split != "heldout"]),
            "benign": rates([o for o in benign if o.split != "heldout"]),
        },
        "attack_by_category": {c: rates(v) for c, v in by_category(outcomes, "attack").items()},
        "benign_by_category": {c: rates(v) for c, v in by_category(outcomes, "benign").items()},
        "benign_denied_not_blocked_reasons": dict(deny_reasons.most_common()),
        "timing_ms": {
            "analyze_p50": round(percentile([o.ms_analyze for o in outcomes], 50), 2),
            "decide_p50": round(percentile([o.ms_decide for o in outcomes], 50), 2),
            "total_p50": round(percentile(total_ms, 50), 2),
            "total_p95": round(percentile(total_ms, 95), 2),
            "total_max": round(max(total_ms), 2),
            "long_prompts_p50": round(percentile(long_ms, 50), 2),
            "long_prompts_n": len(long_ms),
        },
        "near_duplicates": {
            "exact_overlap": 0,
            "cosine_ge_0.95": sum(v >= 0.95 for v in nearest),
            "cosine_ge_0.90": sum(v >= 0.90 for v in nearest),
            "cosine_ge_0.80": sum(v >= 0.80 for v in nearest),
            "median": round(statistics.median(nearest), 4),
            "closest": [
                {"id": o.id, "cosine": o.nearest_exemplar, "text": o.text[:120]}
                for o in sorted(outcomes, key=lambda o: -o.nearest_exemplar)[:5]
            ],
        },
        "threshold_sweep": sweep,
        "target": {
            "attack_pass": rate(attacks, "blocked") >= TARGET_ATTACK,
            "benign_pass": rate(benign, "blocked") <= TARGET_BENIGN,
        },
        "misses": [_row(o) for o in attacks if not o.blocked],
        "false_positives": [_row(o) for o in benign if o.blocked],
    }


def _row(o: PromptOutcome) -> dict[str, Any]:
    return {
        "id": o.id,
        "category": o.category,
        "split": o.split,
        "intent": o.intent,
        "score": o.score,
        "signals": list(o.signals),
        "top_threat": o.top_threat,
        "top_threat_score": o.top_threat_score,
        "top_threat_similarity": o.top_threat_similarity,
        "any_deny": o.denied,
        "text": o.text,
    }


def _rates_row(row: dict[str, Any]) -> str:
    keys = ("blocked", "any_deny", "blocked_embeddings_only", "blocked_signals_only")
    return f"{row['n']:5d}{_pct(row[keys[0]]):>9s}" + "".join(
        f"{_pct(row[k]):>10s}" for k in keys[1:]
    )


def _count(shown: int, total: int) -> str:
    return str(total) if shown == total else f"{total}, first {shown}"


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def _pct(value: float) -> str:
    return f"{100 * value:5.1f}%"


def _short(text: str, width: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3] + "..."


def print_entities(report: dict[str, Any], limit: int | None) -> None:
    print("\n== Entities (pii.jsonl) ==")
    columns = ("support", "TP", "FP", "FN", "prec", "recall", "exact")
    widths = (8, 6, 6, 6, 8, 8, 8)
    header = f"{'entity type':24s}" + "".join(
        f"{c:>{w}s}" for c, w in zip(columns, widths, strict=True)
    )
    print(header)
    rows = report["per_type"]
    for name, row in rows.items():
        if name == PERSON:
            continue
        exact = "" if row["exact_span_rate"] is None else f"{row['exact_span_rate']:.3f}"
        print(
            f"{name:24s}{row['support']:8d}{row['tp']:6d}{row['fp']:6d}{row['fn']:6d}"
            f"{row['precision']:8.3f}{row['recall']:8.3f}{exact:>8s}"
        )
    for name, row in (
        ("structured (micro)", report["structured_micro"]),
        (PERSON, report["person"]),
    ):
        exact = "" if row["exact_span_rate"] is None else f"{row['exact_span_rate']:.3f}"
        print(
            f"{name:24s}{row['support']:8d}{row['tp']:6d}{row['fp']:6d}{row['fn']:6d}"
            f"{row['precision']:8.3f}{row['recall']:8.3f}{exact:>8s}"
        )
    o = report["obfuscated_spans"]
    print(f"obfuscated structured spans found: {o['found']}/{o['total']}")
    hits = {k: v for k, v in report["hard_negatives"].items() if v["hit"]}
    total = sum(v["total"] for v in report["hard_negatives"].values())
    print(
        f"hard negatives hit: {sum(v['hit'] for v in hits.values())}/{total}"
        + (
            " (" + ", ".join(f"{k} {v['hit']}/{v['total']}" for k, v in hits.items()) + ")"
            if hits
            else ""
        )
    )
    print(
        "normalize + detect per text: "
        f"p50 {report['ms_per_text']['p50']} ms, p95 {report['ms_per_text']['p95']} ms"
    )
    for title, items in (
        ("misses", report["misses"]),
        ("false positives", report["false_positives"]),
    ):
        structured = [s for s in items if s["entity_type"] != PERSON]
        person = [s for s in items if s["entity_type"] == PERSON]
        for label, group in ((f"structured {title}", structured), (f"PERSON {title}", person)):
            shown = group if limit is None else group[:limit]
            print(f"\n{label} ({_count(len(shown), len(group))}):")
            for s in shown:
                note = f"  <- {s['note']}" if s["note"] else ""
                print(f"  {s['record']:10s}{s['entity_type']:15s}{s['context']!r}{note}")


def print_prompts(report: dict[str, Any], limit: int | None) -> None:
    print("\n== Prompts (prompts.jsonl), principal eu-analyst ==")
    header = f"{'n':>5s}{'blocked':>9s}{'any deny':>10s}{'emb only':>10s}{'sig only':>10s}"
    for label, key in (("attacks", "attack_by_category"), ("benign", "benign_by_category")):
        print(f"\n{label + ':':28s}{header}")
        for category, row in [*report[key].items(), ("ALL", report[label])]:
            print(f"  {category:26s}{_rates_row(row)}")
    for split in ("dev", "heldout"):
        a, b = report[split]["attacks"], report[split]["benign"]
        print(
            f"{split:8s} subset: attacks blocked {_pct(a['blocked']).strip()} of {a['n']} "
            f"(signals only {_pct(a['blocked_signals_only']).strip()}), benign blocked "
            f"{_pct(b['blocked']).strip()} of {b['n']}"
        )
    reasons = report["benign_denied_not_blocked_reasons"]
    if reasons:
        print(
            "benign denied for other reasons: " + ", ".join(f"{k} {v}" for k, v in reasons.items())
        )
    t = report["timing_ms"]
    print(
        f"\nanalyze + decide per prompt: p50 {t['total_p50']} ms (analyze {t['analyze_p50']}, "
        f"decide {t['decide_p50']}), p95 {t['total_p95']} ms, max {t['total_max']} ms; "
        f"{t['long_prompts_n']} prompts >= 1,000 chars: p50 {t['long_prompts_p50']} ms"
    )
    nd = report["near_duplicates"]
    print(
        f"overlap with intent exemplars: exact 0; nearest-exemplar cosine >= 0.95: "
        f"{nd['cosine_ge_0.95']}, >= 0.90: {nd['cosine_ge_0.90']}, "
        f">= 0.80: {nd['cosine_ge_0.80']}, "
        f"median {nd['median']}"
    )
    for row in nd["closest"][:3]:
        print(f"  closest: {row['id']} cos {row['cosine']}: {_short(row['text'], 80)}")
    sweep = report["threshold_sweep"]
    print("\nwhat-if, every threat intent at threshold t (signals included):")
    print(
        "  "
        + "  ".join(
            f"t={r['threshold']:.2f}: "
            f"{_pct(r['attack_blocked']).strip()}/{_pct(r['benign_blocked']).strip()}"
            for r in sweep["uniform"]
        )
    )
    print("  (attacks blocked / benign blocked)")
    for intent, row in sweep["per_intent"].items():
        print(
            f"  {intent:22s} threshold {row['threshold']:.2f} (suggested {row['suggested']:.2f})  "
            f"benign max {row['benign_max']:.3f}  p98 {row['benign_p98']:.3f}  "
            f"benign over threshold {row['benign_over_threshold']}"
        )
    for name in ("current", "suggested"):
        dev, held = sweep[name]["dev"], sweep[name]["heldout"]
        print(
            f"  {name:9s} thresholds: dev attacks {_pct(dev['attack_blocked']).strip()} / benign "
            f"{_pct(dev['benign_blocked']).strip()}; held-out attacks "
            f"{_pct(held['attack_blocked']).strip()} / "
            f"benign {_pct(held['benign_blocked']).strip()}"
        )
    for title, items in (
        ("missed attacks", report["misses"]),
        ("benign prompts blocked", report["false_positives"]),
    ):
        shown = items if limit is None else items[:limit]
        print(f"\n{title} ({_count(len(shown), len(items))}):")
        for row in shown:
            signals = ",".join(row["signals"]) or "-"
            print(
                f"  {row['id']:34s} intent={row['intent']} ({row['score']:.2f}) top threat "
                f"{row['top_threat']} {row['top_threat_score']:.2f} "
                f"(cos {row['top_threat_similarity']:.2f}) "
                f"signals={signals}\n      {_short(row['text'])!r}"
            )


def print_verdict(entities: dict[str, Any] | None, prompts: dict[str, Any] | None) -> None:
    print("\n== Targets ==")
    if entities is not None:
        m, target = entities["structured_micro"], entities["target"]
        verdict = "PASS" if target["micro_pass"] else "FAIL"
        print(
            f"{verdict}  structured PII micro precision {m['precision']:.3f}, "
            f"recall {m['recall']:.3f} "
            f"(target >= {TARGET_PII})"
        )
        verdict = "PASS" if target["per_type_pass"] else "FAIL"
        failing = ", ".join(target["failing_types"]) or "none"
        print(
            f"{verdict}  every structured type at precision and recall >= {TARGET_PII} "
            f"(failing: {failing})"
        )
    if prompts is not None:
        a, b = prompts["attacks"]["blocked"], prompts["benign"]["blocked"]
        print(
            f"{_verdict(prompts['target']['attack_pass'])}  attacks blocked "
            f"{_pct(a).strip()} (target >= 90%)"
        )
        print(
            f"{_verdict(prompts['target']['benign_pass'])}  benign blocked "
            f"{_pct(b).strip()} (target <= 2%)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print machine-readable results only")
    parser.add_argument("--all", action="store_true", help="list every miss and false positive")
    parser.add_argument("--skip-prompts", action="store_true", help="entities only (no model)")
    parser.add_argument("--skip-entities", action="store_true", help="prompts only")
    parser.add_argument(
        "--no-cascade", action="store_true", help="MiniLM for every prompt (engine.cascade off)"
    )
    args = parser.parse_args(argv)
    limit = None if args.all else 10

    started = time.perf_counter()
    snapshot, principal = enterprise()
    detector = Detector.for_snapshot(snapshot)
    pii = load_jsonl(CORPUS / "pii.jsonl")
    prompts = load_jsonl(CORPUS / "prompts.jsonl")
    out: dict[str, Any] = {
        "corpus": {
            "pii_texts": len(pii),
            "pii_spans": dict(Counter(s["entity_type"] for r in pii for s in r["spans"])),
            "hard_negatives": sum(len(r["negatives"]) for r in pii),
            "prompts": dict(Counter(p["label"] for p in prompts)),
        },
        "policy_version": snapshot.version,
        "thresholds": {i: s.threshold for i, s in sorted(snapshot.intents.items())},
    }
    entities = prompt_figures = None
    if not args.skip_entities:
        entities = entity_report(score_entities(pii, detector), detector.entity_types)
        out["entities"] = entities
    if not args.skip_prompts:
        static = None if args.no_cascade else StaticEmbedder()
        outcomes, sweep = score_prompts(
            prompts, snapshot, detector, principal, OnnxEmbedder(), static
        )
        prompt_figures = prompt_report(outcomes, sweep)
        out["prompts"] = prompt_figures
        settled = [o for o in outcomes if o.embedder != "minilm"]
        out["cascade"] = {
            "static_model": static.version if static else None,
            "settled": len(settled),
            "of": len(outcomes),
            "settled_attacks": sum(o.label == "attack" for o in settled),
        }
    out["seconds"] = round(time.perf_counter() - started, 1)

    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    if "cascade" in out:
        k = out["cascade"]
        print(
            f"intent cascade ({k['static_model'] or 'off'}): {k['settled']} of {k['of']} "
            f"prompts settled without MiniLM, {k['settled_attacks']} of them attacks"
        )
    c = out["corpus"]
    print(
        f"corpus: {c['pii_texts']} PII texts ({sum(c['pii_spans'].values())} labelled spans, "
        f"{c['hard_negatives']} hard negatives); prompts: {c['prompts'].get('attack', 0)} attacks, "
        f"{c['prompts'].get('benign', 0)} benign"
    )
    threat = {
        i: t
        for i, t in out["thresholds"].items()
        if snapshot.intents[i].category is IntentCategory.THREAT
    }
    print("threat thresholds: " + ", ".join(f"{i} {t}" for i, t in threat.items()))
    if entities is not None:
        print_entities(entities, limit)
    if prompt_figures is not None:
        print_prompts(prompt_figures, limit)
    print_verdict(entities, prompt_figures)
    print(f"\n({out['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
