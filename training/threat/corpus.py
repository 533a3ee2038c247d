"""Every labelled prompt the threat model may learn from, as one list of `Sample`s.

Sources (each a unit for leave-one-source-out evaluation):

    source id          file                                        written by
    bench-prompts      bench/corpus/prompts.jsonl (split dev)       this project, by hand
    bench-heldout      bench/corpus/prompts.jsonl (split heldout)   this project; never trained on
    intent-dev         bench/corpus/intent_dev.jsonl                this project, by hand
    exemplars          examples/enterprise/intents.yaml             this project, by hand
    generated:<family> training/threat/data/generated.jsonl         this project's family grammars
    <package name>     training/threat/data/public.jsonl            public authors (see MANIFEST.md)

The bench's held-out split stays out of every training set, the shipped one
included: it is the regression check that no training run has seen.

Categories: attacks carry one of `CATEGORIES` or None (an attack whose kind the
source does not say, e.g. "obfuscated"): those train the `attack` head only.
Fraud requests are not attacks on the assistant; intents and policies handle
them, so they are left out here rather than taught as benign.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from engine.threats.categories import THREAT_CATEGORIES
from training.threat.public.provenance import refusal_reason

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "threat" / "data"

CATEGORIES = THREAT_CATEGORIES

_BENCH_CATEGORY = {
    "injection_direct": "prompt_injection",
    "injection_indirect": "prompt_injection",
    "jailbreak": "jailbreak",
    "prompt_extraction": "system_prompt_extraction",
    "data_exfiltration": "data_exfiltration",
    "secrets_harvesting": "secrets_harvesting",
}


@dataclass(frozen=True, slots=True)
class Sample:
    text: str
    attack: bool
    category: str | None  # one of CATEGORIES, or None (benign, or an attack of unsaid kind)
    family: str
    lang: str
    source: str
    system: str | None = None


def refuse_excluded(name: str) -> None:
    """Raise if `name` (a source id or package) names an excluded source (one list for the
    whole build: training/threat/public/provenance.py)."""
    reason = refusal_reason(name)
    if reason is not None:
        raise ValueError(f"source {name!r}: {reason}")


def load_all(*, include_heldout: bool = False) -> list[Sample]:
    samples = [*_bench_prompts(include_heldout), *_intent_dev(), *_exemplars()]
    for name in ("generated.jsonl", "public.jsonl"):
        if (DATA / name).exists():
            samples.extend(_records(DATA / name))
    for sample in samples:
        refuse_excluded(sample.source)
    return samples


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{number}: {exc}") from exc


def _bench_prompts(include_heldout: bool) -> Iterator[Sample]:
    for row in _jsonl(ROOT / "bench" / "corpus" / "prompts.jsonl"):
        heldout = row["split"] == "heldout"
        if heldout and not include_heldout:
            continue
        if row["category"] == "fraud_facilitation":
            continue
        attack = row["label"] == "attack"
        yield Sample(
            text=str(row["text"]),
            attack=attack,
            category=_BENCH_CATEGORY.get(str(row["category"])) if attack else None,
            family=str(row["category"]),
            lang=str(row.get("lang") or "en"),
            source="bench-heldout" if heldout else "bench-prompts",
        )


def _intent_dev() -> Iterator[Sample]:
    for row in _jsonl(ROOT / "bench" / "corpus" / "intent_dev.jsonl"):
        if row["intent"] == "fraud_facilitation":
            continue
        attack = row["label"] == "attack"
        category = str(row["intent"]) if attack else None
        if attack and row["category"] == "extraction":
            category = "system_prompt_extraction"
        yield Sample(
            text=str(row["text"]),
            attack=attack,
            category=category if category in CATEGORIES else None,
            family=str(row["category"]),
            lang=str(row.get("lang") or "en"),
            source="intent-dev",
        )


def _exemplars() -> Iterator[Sample]:
    doc = yaml.safe_load((ROOT / "examples" / "enterprise" / "intents.yaml").read_text("utf-8"))
    for intent in doc["intents"]:
        if intent["id"] == "fraud_facilitation":
            continue
        attack = intent["category"] == "threat"
        for text in intent.get("exemplars", ()):
            yield Sample(
                text=str(text),
                attack=attack,
                category=intent["id"] if attack and intent["id"] in CATEGORIES else None,
                family=f"exemplar:{intent['id']}",
                lang="en",
                source="exemplars",
            )


def _records(path: Path) -> Iterator[Sample]:
    for row in _jsonl(path):
        attack = row["label"] == "attack"
        category = row.get("category")
        if attack and category is not None and category not in CATEGORIES:
            raise ValueError(f"{path}: {row.get('id')}: unknown category {category!r}")
        system = row.get("system")
        yield Sample(
            text=str(row["text"]),
            attack=attack,
            category=str(category) if attack and category else None,
            family=str(row["family"]),
            lang=str(row.get("lang") or "en"),
            source=str(row["source"]),
            system=str(system) if system else None,
        )
