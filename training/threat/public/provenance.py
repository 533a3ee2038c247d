"""Which public sources the threat detector may never learn from, and why.

The project is judged from outside on a handful of public attack and benign sets. Training on
any of them, or on a copy, would make every number we report about generalisation a lie, so a
source is refused when its package name, its upstream repository or the origin its authors
state for the texts names one of them. Refusal happens before anything is downloaded.

Matching is on normalised names (case folded, runs of `-`, `_`, `.`, `/` and spaces collapsed
to one `-`), so "Tensor Trust", "tensor_trust" and "HumanCompatibleAI/tensor-trust-data" all
match the same pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExcludedSource:
    """One excluded source: the name we report, and the normalised spellings that betray it."""

    name: str
    patterns: tuple[str, ...]


EXCLUDED_SOURCES: tuple[ExcludedSource, ...] = (
    ExcludedSource("NVIDIA/garak", ("garak",)),
    ExcludedSource("Azure/PyRIT", ("pyrit",)),
    ExcludedSource("HumanCompatibleAI/tensor-trust-data", ("tensor-trust", "tensortrust")),
    ExcludedSource("meta-llama/PurpleLlama (CyberSecEval)", ("purplellama", "cyberseceval")),
    ExcludedSource("Giskard-AI/giskard", ("giskard",)),
    ExcludedSource("sherdencooper/GPTFuzz", ("gptfuzz",)),
    ExcludedSource(
        "verazuo/jailbreak_llms and TrustAIRLab copies",
        ("verazuo", "jailbreak-llms", "trustairlab"),
    ),
    ExcludedSource("FlowGPT and jailbreakchat collections", ("flowgpt", "jailbreakchat")),
    ExcludedSource("centerforaisafety/HarmBench", ("harmbench",)),
    ExcludedSource("tatsu-lab/alpaca_eval", ("alpaca-eval", "alpacaeval")),
    ExcludedSource("lm-sys/arena-hard-auto", ("arena-hard",)),
    ExcludedSource("lm-sys/FastChat (mt_bench)", ("fastchat", "mt-bench", "mtbench")),
    ExcludedSource("paul-rottger/exaggerated-safety (XSTest)", ("exaggerated-safety", "xstest")),
    ExcludedSource(
        "yizhongw/self-instruct and copies of seed_tasks.jsonl",
        ("self-instruct", "seed-tasks", "stanford-alpaca"),
    ),
    ExcludedSource("openai/grade-school-math", ("grade-school-math", "gsm8k")),
    ExcludedSource("microsoft/presidio-research", ("presidio-research",)),
    ExcludedSource("PlanTL-GOB-ES/SPACCC_MEDDOCAN", ("meddocan",)),
)

_SEPARATORS = re.compile(r"[\s_./\-]+")


def normalise_name(text: str) -> str:
    """Fold case and collapse separators so that spellings of one name compare equal."""
    return _SEPARATORS.sub("-", text.casefold())


def refusal_reason(name: str, *, upstream: str = "", origin: str = "") -> str | None:
    """Why the source must be refused, or None when nothing in its names is excluded.

    `name` is the package name, `upstream` the repository it names, `origin` the sentence its
    authors wrote about where the texts come from. A match anywhere refuses the whole source:
    a corpus that says it bundles an excluded set is out, even if most of it is original.
    """
    fields = (("name", name), ("upstream", upstream), ("stated origin", origin))
    for field, value in fields:
        normalised = normalise_name(value)
        for source in EXCLUDED_SOURCES:
            for pattern in source.patterns:
                if pattern in normalised:
                    return f"its {field} names {source.name} ({pattern!r}), an excluded source"
    return None
