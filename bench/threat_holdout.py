"""Threat detection on what the model did not train on: leave one source (or family) out.

    .venv/bin/python bench/threat_holdout.py                # tables
    .venv/bin/python bench/threat_holdout.py --json FILE    # the figures, machine-readable
    .venv/bin/python bench/threat_holdout.py --old 0        # without the old detector

For every group (a source of training/threat/corpus.py; the generated corpus
is one group per attack family, so leaving a source out of it is leaving a
family out), a model is trained on every other group, exactly as
training/threat/train.py trains the shipped one, minus calibration. Its
thresholds are fixed before it sees the held-out group: on a validation fifth
of the *training* groups' benign prompts (never trained on), at the operating
point of the shipped model (the union of heads flags <= 1% of them). The
held-out group is then scored with the full detector stage (normalization,
views, windows, every head), and:

- attacks blocked and benign prompts blocked, per group, per attack family and
  per language;
- the evasion suite: each trick of engine/evasions.py applied to the held-out
  attacks the fold's model blocks as written; bypass rate per trick;
- beside it, the old detector (threat intents by MiniLM similarity plus the
  phrase signals of engine/signals.py, through the reference enterprise's
  threat policies) on the same items, so the two are compared in one run;
- and "both": blocked by either, on the items the old detector scored. That is
  what the reference enterprise deploys, whose policies deny on threat intents
  and on detector scores alike; its benign column is the price of the union.

The bench corpus's held-out split (bench-heldout) is never trained on by any
fold. A number from a group this project wrote is still ours: the groups that
were written elsewhere (public packages, see training/threat/data/MANIFEST.md)
are reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from engine.normalize import normalize  # noqa: E402
from engine.threats.detector import ThreatDetector, ViewFn  # noqa: E402
from training.threat.corpus import Sample, load_all  # noqa: E402
from training.threat.train import HEADS, Config, train  # noqa: E402

OWN_SOURCES = ("bench-prompts", "bench-heldout", "intent-dev", "exemplars")
TEST_ONLY = ("bench-heldout",)


def group_of(sample: Sample) -> str:
    return sample.source


@dataclass
class Tally:
    attacks: int = 0
    blocked: int = 0
    blocked_old: int = 0
    old_seen: int = 0
    benign: int = 0
    flagged: int = 0
    flagged_old: int = 0
    old_benign_seen: int = 0
    blocked_both: int = 0
    flagged_both: int = 0

    def add(self, sample: Sample, new: bool, old: bool | None) -> None:
        if sample.attack:
            self.attacks += 1
            self.blocked += new
            if old is not None:
                self.old_seen += 1
                self.blocked_old += old
                self.blocked_both += old or new
        else:
            self.benign += 1
            self.flagged += new
            if old is not None:
                self.old_benign_seen += 1
                self.flagged_old += old
                self.flagged_both += old or new

    def row(self) -> dict[str, Any]:
        def pct(n: int, d: int) -> float | None:
            return round(100 * n / d, 1) if d else None

        return {
            "attacks": self.attacks,
            "blocked_pct": pct(self.blocked, self.attacks),
            "blocked_old_pct": pct(self.blocked_old, self.old_seen),
            "benign": self.benign,
            "benign_blocked_pct": pct(self.flagged, self.benign),
            "benign_blocked_old_pct": pct(self.flagged_old, self.old_benign_seen),
            "blocked_both_pct": pct(self.blocked_both, self.old_seen),
            "benign_blocked_both_pct": pct(self.flagged_both, self.old_benign_seen),
        }


@dataclass
class Report:
    groups: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    families: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    languages: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    external: Tally = field(default_factory=Tally)
    own: Tally = field(default_factory=Tally)
    tricks: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    thresholds: dict[str, dict[str, float]] = field(default_factory=dict)


class Fold:
    """A model trained without one group, by the shipped model's own procedure: calibration
    and thresholds come from the training groups' out-of-fold scores (grouped by source),
    so the held-out group is seen for the first time when it is scored."""

    def __init__(self, train_samples: Sequence[Sample], config: Config, views: ViewFn) -> None:
        model, _ = train(train_samples, config, views)
        self.detector = ThreatDetector(model, views)
        self.thresholds: dict[str, float] = model.meta["operating_point"]["thresholds"]
        self._limits = np.array([self.thresholds[h] for h in HEADS])

    def scores(self, text: str) -> list[float]:
        found = self.detector.assess_text("messages[0]", normalize(text))
        return [found[h].score for h in HEADS]

    def blocked(self, text: str) -> bool:
        return bool(np.any(np.array(self.scores(text)) >= self._limits))


def run(
    samples: Sequence[Sample],
    config: Config,
    views: ViewFn,
    tricks: dict[str, Callable[[str, random.Random], str]],
    old: Callable[[str], bool] | None,
    old_cap: int,
    only: Sequence[str] = (),
) -> Report:
    report = Report()
    groups = sorted({group_of(s) for s in samples})
    rng = random.Random(5)
    for group in groups:
        if only and group not in only:
            continue
        test = [s for s in samples if group_of(s) == group]
        train = [s for s in samples if group_of(s) != group and s.source not in TEST_ONLY]
        fold = Fold(train, config, views)
        report.thresholds[group] = fold.thresholds
        picked = set(rng.sample(range(len(test)), min(old_cap, len(test)))) if old else set()
        blocked_attacks = []
        for i, sample in enumerate(test):
            new = fold.blocked(sample.text)
            was = old(sample.text) if old and i in picked else None
            for tally in (
                report.groups[group],
                report.families[f"{sample.family}"] if sample.attack else None,
                report.languages[sample.lang],
                report.own if sample.source in OWN_SOURCES else None,
                report.external if _external(sample) else None,
            ):
                if tally is not None:
                    tally.add(sample, new, was)
            if sample.attack and new:
                blocked_attacks.append(sample)
        for name, trick in tricks.items():
            for sample in blocked_attacks[:60]:
                disguised = trick(sample.text, rng)
                counts = report.tricks[name]
                counts[0] += 1
                counts[1] += not fold.blocked(disguised)
                if old and counts[2] < old_cap // 4:
                    counts[2] += 1
                    counts[3] += not old(disguised)
        print(f"  held out {group}: {report.groups[group].row()}", file=sys.stderr, flush=True)
    return report


def _external(sample: Sample) -> bool:
    return sample.source not in OWN_SOURCES and not sample.source.startswith("generated:")


def old_detector() -> Callable[[str], bool]:
    """The pre-model detector: threat intents (MiniLM + signals) under the enterprise's policies."""
    from bench.detection import enterprise, is_blocked, run_one, threat_deny_policies
    from engine.analyze import EngineState
    from engine.detect import Detector
    from engine.embedding import OnnxEmbedder
    from engine.intent import IntentIndex

    snapshot, principal = enterprise()
    # The threat-intent policies only: this state has no threat detector, so the
    # detector's own policies cannot apply here.
    intent_policies = threat_deny_policies(snapshot)
    state = EngineState(
        snapshot,
        Detector.for_snapshot(snapshot),
        IntentIndex.from_snapshot(snapshot, OnnxEmbedder()),
    )

    def blocked(text: str) -> bool:
        decision, _, _ = run_one(text, principal, state, 0)
        return is_blocked(decision, intent_policies)

    return blocked


def print_report(report: Report) -> None:
    def table(title: str, rows: dict[str, Tally]) -> None:
        print(f"\n{title}")
        print(
            f"  {'':34} {'attacks':>7} {'new':>6} {'old':>6} {'both':>6}"
            f"   {'benign':>6} {'new':>5} {'old':>5} {'both':>5}"
        )
        for name, tally in sorted(rows.items()):
            r = tally.row()
            print(
                f"  {name[:34]:34} {r['attacks']:>7} {_p(r['blocked_pct']):>6} "
                f"{_p(r['blocked_old_pct']):>6} {_p(r['blocked_both_pct']):>6}   {r['benign']:>6} "
                f"{_p(r['benign_blocked_pct']):>5} {_p(r['benign_blocked_old_pct']):>5} "
                f"{_p(r['benign_blocked_both_pct']):>5}"
            )

    table(
        "Held-out groups (blocked %; each group scored by a model that never saw it)", report.groups
    )
    table("Attack families (held out with their group)", report.families)
    table("Languages", report.languages)
    table("Totals", {"written elsewhere (public)": report.external, "written here": report.own})
    print("\nEvasions of held-out attacks the fold's model blocks as written (bypass %)")
    print(f"  {'trick':22} {'n':>5} {'new':>6}   {'n old':>5} {'old':>6}")
    for name, (n, bypass, n_old, bypass_old) in sorted(report.tricks.items()):
        print(
            f"  {name:22} {n:>5} {_p(100 * bypass / n if n else None):>6}   {n_old:>5} "
            f"{_p(100 * bypass_old / n_old if n_old else None):>6}"
        )


def _p(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def as_json(report: Report) -> dict[str, Any]:
    return {
        "groups": {k: v.row() for k, v in sorted(report.groups.items())},
        "families": {k: v.row() for k, v in sorted(report.families.items())},
        "languages": {k: v.row() for k, v in sorted(report.languages.items())},
        "external": report.external.row(),
        "own": report.own.row(),
        "tricks": {
            k: {"n": n, "bypass_pct": round(100 * b / n, 1) if n else None,
                "n_old": no, "bypass_old_pct": round(100 * bo / no, 1) if no else None}
            for k, (n, b, no, bo) in sorted(report.tricks.items())
        },
        "thresholds": report.thresholds,
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    from engine.evasions import TRICKS
    from engine.threats.detector import default_views

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--old", type=int, default=150, help="items per group for the old detector")
    parser.add_argument("--only", nargs="*", default=(), help="hold out only these groups")
    args = parser.parse_args(argv)
    samples = load_all(include_heldout=True)
    print(f"{len(samples)} samples, {len({group_of(s) for s in samples})} groups", file=sys.stderr)
    old = old_detector() if args.old else None
    # Three calibration folds instead of the shipped four: one fit less per held-out group.
    config = Config(calibration_folds=3)
    report = run(samples, config, default_views, dict(TRICKS), old, args.old, args.only)
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(as_json(report), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
