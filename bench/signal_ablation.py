"""Which phrase signals still pay beside the trained detector: leave one signal out, held out.

    .venv/bin/python bench/signal_ablation.py                 # every group, 120 items each
    .venv/bin/python bench/signal_ablation.py --cap 60 --json FILE

Issue 9 asks to keep a regex signal of engine/signals.py only where an ablation
shows it still pays. What is deployed (the reference enterprise) blocks a prompt
when the trained detector's heads clear their thresholds *or* a threat intent
(MiniLM similarity, boosted by the signals) clears its threshold under the
threat policies. A signal pays when taking it out of that union loses attacks
the rest would not catch; it costs when taking it out un-blocks benign prompts.

So, for every group of training/threat/corpus.py (a source, or one generated
attack family) in turn, exactly as bench/threat_holdout.py does: a detector is
trained without that group (its thresholds fixed on the other groups' benign
data), and up to --cap items of the group (attacks and benign, sampled with a
fixed seed) are judged by

- the fold's detector (never trained on them),
- the old detector with every signal, and with each signal left out in turn,
  and with none (the intents' embeddings alone).

Per signal the table gives the attacks only it keeps in the union (blocked
with it, not without it) and the benign prompts only it blocks, split into
groups written elsewhere, groups this project wrote (the bench corpus,
exemplars, intent dev set) and the generated families, whose phrase banks were
written beside the signals and so flatter them. Embeddings are computed once
per text and reused by every variant, so the variants differ only in signals.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.detection import enterprise, is_blocked, run_one, threat_deny_policies  # noqa: E402
from bench.stored_embeddings import Rows, StoredEmbedder  # noqa: E402
from bench.threat_holdout import OWN_SOURCES, TEST_ONLY, Fold, group_of  # noqa: E402
from engine.analyze import EngineState  # noqa: E402
from engine.detect import Detector  # noqa: E402
from engine.embedding import OnnxEmbedder  # noqa: E402
from engine.intent import IntentIndex  # noqa: E402
from engine.signals import DEFAULT_SIGNALS  # noqa: E402
from engine.threats.detector import default_views  # noqa: E402
from training.threat.corpus import Sample, load_all  # noqa: E402
from training.threat.train import Config  # noqa: E402

ALL = "(every signal)"
NONE = "(no signal)"
KINDS = ("external", "own", "generated")


def kind_of(sample: Sample) -> str:
    if sample.source.startswith("generated:"):
        return "generated"
    return "own" if sample.source in OWN_SOURCES else "external"


@dataclass
class Count:
    attacks: int = 0
    benign: int = 0
    kept: int = 0  # attacks the union blocks with the signal and not without it
    added: int = 0  # benign prompts the union blocks with the signal and not without it
    groups: dict[str, int] = field(default_factory=lambda: defaultdict(int))


class OldDetectors:
    """The pre-model detector (threat intents under the enterprise's threat policies), once
    with every signal and once per variant; one embedding per text, shared by all."""

    def __init__(self) -> None:
        self.snapshot, self.principal = enterprise()
        self.policies = threat_deny_policies(self.snapshot)
        rows: Rows = {}
        embedder = StoredEmbedder(OnnxEmbedder(), rows, reuse=True)
        detector = Detector.for_snapshot(self.snapshot)
        variants: dict[str, tuple[Any, ...]] = {ALL: DEFAULT_SIGNALS, NONE: ()}
        for signal in DEFAULT_SIGNALS:
            variants[f"- {signal.name}"] = tuple(s for s in DEFAULT_SIGNALS if s is not signal)
        self.states = {
            name: EngineState(
                self.snapshot,
                detector,
                IntentIndex(
                    self.snapshot.intents, embedder, version=self.snapshot.version, signals=signals
                ),
            )
            for name, signals in variants.items()
        }

    def blocked(self, text: str) -> dict[str, bool]:
        return {
            name: is_blocked(run_one(text, self.principal, state, 0)[0], self.policies)
            for name, state in self.states.items()
        }


def run(samples: Sequence[Sample], cap: int, only: Sequence[str]) -> dict[str, dict[str, Count]]:
    old = OldDetectors()
    counts: dict[str, dict[str, Count]] = defaultdict(lambda: defaultdict(Count))
    rng = random.Random(11)
    config = Config(calibration_folds=3)  # as bench/threat_holdout.py: one fit less per fold
    for group in sorted({group_of(s) for s in samples}):
        if only and group not in only:
            continue
        test = [s for s in samples if group_of(s) == group]
        train = [s for s in samples if group_of(s) != group and s.source not in TEST_ONLY]
        fold = Fold(train, config, default_views)
        for sample in rng.sample(test, min(cap, len(test))):
            new = fold.blocked(sample.text)
            verdicts = old.blocked(sample.text)
            union = new or verdicts[ALL]
            for name, was in verdicts.items():
                if name == ALL:
                    continue
                count = counts[kind_of(sample)][name]
                without = new or was
                if sample.attack:
                    count.attacks += 1
                    if union and not without:
                        count.kept += 1
                        count.groups[group] += 1
                else:
                    count.benign += 1
                    if union and not without:
                        count.added += 1
                        count.groups[group] += 1
        print(f"  held out {group}: {min(cap, len(test))} items", file=sys.stderr, flush=True)
    return counts


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def print_table(counts: dict[str, dict[str, Count]]) -> None:
    names = [NONE] + [f"- {s.name}" for s in DEFAULT_SIGNALS]
    head = "".join(f" | {k} attacks kept | {k} benign blocked" for k in KINDS)
    print(f"| left out{head} |")
    print("|---" + "|---:" * (2 * len(KINDS)) + "|")
    for name in names:
        cells = []
        for kind in KINDS:
            c = counts[kind][name]
            cells += [
                f"{c.kept} ({_pct(c.kept, c.attacks).strip()})",
                f"{c.added} ({_pct(c.added, c.benign).strip()})",
            ]
        label = "every signal" if name == NONE else name[2:]
        print(f"| {label} | " + " | ".join(cells) + " |")
    totals = {k: counts[k][NONE] for k in KINDS}
    print()
    print(
        "items: "
        + ", ".join(f"{k} {t.attacks} attacks / {t.benign} benign" for k, t in totals.items())
    )


def as_json(counts: dict[str, dict[str, Count]]) -> dict[str, Any]:
    return {
        kind: {
            name: {
                "attacks": c.attacks,
                "benign": c.benign,
                "attacks_kept": c.kept,
                "benign_blocked": c.added,
                "groups": dict(c.groups),
            }
            for name, c in rows.items()
        }
        for kind, rows in counts.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=int, default=120, help="items per held-out group")
    parser.add_argument("--only", nargs="*", default=(), help="hold out only these groups")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    samples = load_all(include_heldout=True)
    counts = run(samples, args.cap, args.only)
    print_table(counts)
    if args.json:
        args.json.write_text(json.dumps(as_json(counts), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
