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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from engine.embedding import Vectors
from engine.european import reads_as_english
from engine.model import IntentCategory, IntentSpec
from engine.scripts import minilm_reads
from engine.static_embedding import StaticEmbedder

__all__ = ["CALIBRATED", "CascadeRule", "StaticExemplars", "settle"]


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


class StaticExemplars:
    """The exemplars' static vectors (one per exemplar MiniLM reads, grouped by intent
    in spec order, as the intent index keeps them) and what the cascade reads for one
    prompt. Read-only after construction but for the per-tenant mask cache."""

    def __init__(
        self,
        static: StaticEmbedder,
        exemplars: Sequence[str],
        owners: Sequence[int],
        specs: Sequence[IntentSpec],
        *,
        window_tokens: int,
        rule: CascadeRule = CALIBRATED,
    ) -> None:
        self.static = static
        self.version = static.version
        self.rule = rule
        self._specs = tuple(specs)
        self._window_tokens = window_tokens
        self._rows: Vectors | None = static.embed(exemplars) if exemplars else None
        # Rows are grouped by intent, so each intent's best cosine is one reduceat over
        # contiguous runs (np.maximum.at costs ten times more on a few hundred rows).
        starts = [r for r in range(len(owners)) if r == 0 or owners[r] != owners[r - 1]]
        self._starts = np.asarray(starts, dtype=np.int64)
        self._run_owner = np.asarray([owners[r] for r in starts], dtype=np.int64)
        self._is_business = np.array([s.category is IntentCategory.BUSINESS for s in specs])
        self._is_threat = np.array([s.category is IntentCategory.THREAT for s in specs])
        self._visible: dict[str | None, npt.NDArray[np.bool_]] = {}

    def view(
        self, text: str, tenant: str | None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]] | None:
        """Each intent's best static cosine to `text` and which intents `tenant` may
        match; None for a prompt the cascade may not settle whatever its scores (not
        English, in a script MiniLM cannot read, longer than one window). Textual
        signals are the caller's check: it has scanned them already."""
        if self._rows is None or not minilm_reads(text) or not reads_as_english(text):
            return None
        ids = self.static.token_ids(text)
        if len(ids) > self._window_tokens:
            return None
        best = np.full(len(self._specs), -1.0, dtype=np.float32)
        sims = self._rows @ self.static.embed_ids(ids)[0]
        best[self._run_owner] = np.maximum.reduceat(sims, self._starts)
        return best, self._visible_to(tenant)

    def settle(
        self, similarities: npt.NDArray[np.float32], visible: npt.NDArray[np.bool_]
    ) -> int | None:
        return settle(similarities, self._is_business, self._is_threat, visible, self.rule)

    def _visible_to(self, tenant: str | None) -> npt.NDArray[np.bool_]:
        found = self._visible.get(tenant)
        if found is None:
            # A benign race: two threads may build the same mask; either is right.
            found = np.array([spec.tenant in (None, tenant) for spec in self._specs], dtype=bool)
            if len(self._visible) < 1024:  # tenants are few; a bound all the same
                self._visible[tenant] = found
        return found
