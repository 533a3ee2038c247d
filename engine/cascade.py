"""The intent cascade: when the static model's answer may stand without MiniLM.

A prompt is first embedded with the static model (engine.static_embedding) and
compared with every exemplar's static vector (computed once per index, as the
MiniLM ones are). `settle` accepts that comparison's answer only when it is
unambiguous; otherwise the prompt is embedded with MiniLM and matched exactly as
before (engine.intent). Which prompts may be settled at all is decided by the
index before any static score is looked at (`IntentIndex._static_match`): English
(engine.european.reads_as_english) in a script MiniLM reads, no textual threat
signal fired, one MiniLM window long, no custom threat heads and no semantic cache
in the policy set (both read the MiniLM vector; engine.analyze).

The rule, over the static similarity of each intent the caller may match (best
cosine to any of its exemplars):

1. the nearest intent is a business intent, at similarity ``s1 >= min_similarity``;
2. it leads the runner-up (any category) by ``s1 - s2 >= min_margin``;
3. every threat intent stays at least ``threat_gap`` below it: a prompt that looks
   even somewhat like an attack goes to MiniLM, so the static model can only ever
   settle prompts MiniLM would not have called threats (measured: none of the
   calibration attacks is settled, see `CALIBRATED`).

The thresholds were calibrated by training/static/calibrate.py on data written for
calibration only: the reference enterprise's English exemplars, leave-one-out, and
bench/corpus/intent_dev.jsonl (never intent_languages.jsonl, prompts.jsonl or the
decide benchmark's prompts), as the loosest rule whose settled answers agree with
the full MiniLM match on >= 98% of the settled calibration prompts with no threat
settled. Their figures are in docs/intent.md ("The static cascade").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CALIBRATED", "CascadeRule", "settle"]


@dataclass(frozen=True, slots=True)
class CascadeRule:
    min_similarity: float
    min_margin: float
    threat_gap: float


CALIBRATED = CascadeRule(min_similarity=0.68, min_margin=0.03, threat_gap=0.12)
"""Set from training/static/calibrate.py's output (docs/intent.md)."""


def settle(
    similarities: npt.NDArray[np.float32],
    is_business: npt.NDArray[np.bool_],
    is_threat: npt.NDArray[np.bool_],
    visible: npt.NDArray[np.bool_],
    rule: CascadeRule = CALIBRATED,
) -> int | None:
    """The position of the business intent the static similarities settle on, or None
    when MiniLM must decide (see the module docstring)."""
    candidates = visible & (is_business | is_threat)
    if not np.any(candidates):
        return None
    sims = np.where(candidates, similarities, np.float32(-2.0))
    order = np.argsort(-sims, kind="stable")
    best = int(order[0])
    s1 = float(sims[best])
    if not is_business[best] or s1 < rule.min_similarity:
        return None
    s2 = float(sims[order[1]]) if len(order) > 1 and sims[order[1]] > -1.5 else -1.0
    if s1 - s2 < rule.min_margin:
        return None
    threat = sims[is_threat & visible]
    if threat.size and float(threat.max()) > s1 - rule.threat_gap:
        return None
    return best
