"""Intent matching: nearest exemplars in a faiss index, plus textual threat signals.

`IntentIndex` is built once per PolicySet version from the snapshot's intents.
Every exemplar is embedded once and kept in a faiss ``IndexFlatIP``: rows are
L2-normalized, so inner product is cosine. Flat (exact, brute force) is the right
index here: a policy set has a few hundred exemplars, one query costs a few
hundred 384-wide dot products (microseconds), and approximate indexes (IVF, HNSW)
would add training, tuning and recall loss to save time only at 10^5+ vectors.

Scoring a (normalized) prompt:

1. windows: a prompt that fits the model's 256-token window is embedded whole;
   a longer one as its head and its tail window (`max_windows`, default 2), so
   an instruction appended after a long pasted document is seen too;
2. similarity of an intent = the best cosine between any window and any of its
   exemplars (max, not a top-k mean: a paraphrase of one exemplar is a match even
   when the other exemplars phrase the intent differently);
3. threat intents are boosted by the textual signals (engine.signals) that
   support them, scanned over the whole text whatever its length:
   ``score = s + w * (1 - s)`` for signal weight ``w`` (several signals: the
   largest ``w``). Business intents are never boosted;
4. an intent matches when its score clears its own threshold. Threats come
   first: if any threat clears, the threat with the largest margin (score minus
   threshold) is the match, whatever business intent also clears. A prompt that
   asks for a sales summary *and* says "ignore your instructions" is an
   injection, not a summary;
5. except that a threat with no signal behind it (decided by the embedding
   alone) must also be at least as near as every business intent: its
   similarity must reach the best business similarity plus `business_margin`
   (default `BUSINESS_MARGIN`, 0.0). A support reply about a lost card is near the fraud
   exemplars *and* nearer still to the support exemplars; a real fraud request
   is nearer to fraud. A signal-backed threat skips this test, so the injection
   inside a sales summary above still wins;
6. otherwise the *nearest* business intent among those that clear their
   thresholds (highest similarity); otherwise `unknown`, carrying the best score
   seen. Thresholds decide "this intent or nothing"; which business intent is
   decided by nearness, so an intent with a low threshold (a broad one, such as
   code) does not win prompts that are nearer to a narrow one.

Prompts in scripts MiniLM cannot read (Hindi, Thai, Japanese, Chinese:
engine.scripts.minilm_reads) are scored differently: exemplars in those scripts
are kept out of the faiss index (MiniLM embeds them all alike, so they would pull
every prompt of the script to one intent) and matched by character n-grams
instead (engine.lexical). For such a prompt, every intent that has exemplars in
those scripts takes its similarity from the n-gram matcher and clears at
the threshold of the prompt's script (`SCRIPT_THRESHOLDS`: n-gram cosines have
their own scale, and it differs by script) instead of its own; the
others, threats among them, keep their embedding similarity, signals and
thresholds. Latin-script prompts never reach the n-gram matcher.

With a static model (engine.static_embedding), `match` and `match_scored` first try
the cascade (engine.cascade): the prompt's static vector against the exemplars'
static vectors, accepted only when the answer is unambiguous and no threat is near;
otherwise everything above runs on MiniLM as if there were no static model. A
settled match names the static model's version as its `embedder`, and its recorded
similarities are static cosines (replay keeps the match rather than rescoring them
against MiniLM thresholds: lifecycle.replay).

The k nearest exemplars decide (k=8 by default); when an intent missing from
them could still clear its threshold (the k-th similarity, boosted, reaches it),
or when no business exemplar is among them while a threat could clear (the
margin test needs the best business similarity), the query falls back to
scoring every exemplar, so the answer is always exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import faiss
import numpy as np
import numpy.typing as npt

from engine.cascade import CALIBRATED, CascadeRule, StaticExemplars
from engine.decision import MINILM, IntentMatch
from engine.embedding import Embedder, Vectors
from engine.european import reads_as_english
from engine.lexical import CharNgramIndex
from engine.model import UNKNOWN_INTENT, IntentCategory, IntentSpec, Snapshot
from engine.scripts import Script, dominant_script, minilm_reads
from engine.signal_scan import Signal, SignalHit
from engine.signals import DEFAULT_SIGNALS, scan
from engine.static_embedding import StaticEmbedder

__all__ = [
    "BUSINESS_MARGIN",
    "DEFAULT_SCRIPT_THRESHOLD",
    "EUROPEAN_NGRAM_THRESHOLD",
    "EUROPEAN_WEIGHT",
    "SCRIPT_THRESHOLDS",
    "IntentIndex",
    "IntentScore",
    "ScoredMatch",
    "boost",
    "choose",
    "pick",
    "rescore",
]

# How much nearer than the nearest business intent a threat must be when only its
# embedding speaks for it (no signal); 0.0: at least as near. Tuned on
# bench/corpus/intent_dev.jsonl by bench/tune_thresholds.py; see docs/intent.md.
BUSINESS_MARGIN = 0.0

# The n-gram cosine at which an intent matches a prompt MiniLM cannot read (see the
# module docstring), per script: n-gram statistics differ by script (Devanagari's
# vowel signs are shared by every sentence, a Han character is a word), so off-topic
# Hindi reaches 0.33 where off-topic Chinese stays near 0.2. Calibrated on
# bench/corpus/intent_scripts_dev.jsonl by bench/intent_scripts_dev.py (business
# requests right plus off-topic requests unknown, per script); a script with no
# entry uses DEFAULT_SCRIPT_THRESHOLD.
SCRIPT_THRESHOLDS: Mapping[Script, float] = {
    Script.DEVANAGARI: 0.34,
    Script.THAI: 0.30,
    Script.KANA: 0.34,
    Script.HAN: 0.20,
}
DEFAULT_SCRIPT_THRESHOLD = 0.30

# A Latin-script prompt in another European language (engine.european) scores a
# business intent as its MiniLM similarity plus EUROPEAN_WEIGHT times how far its
# n-gram cosine to the intent's Latin exemplars lies above EUROPEAN_NGRAM_THRESHOLD
# (nothing when below), against the intent's own threshold. The n-gram term only
# ever raises a business similarity: threat scores are untouched, so the margin
# test of `pick` can only block fewer business requests than MiniLM alone did (a
# mean, or a term that could go negative, lowered business similarities, and
# embedding-only threats then won Spanish and Portuguese translation requests).
# Both constants were calibrated on the European part of
# bench/corpus/intent_scripts_dev.jsonl by bench/intent_scripts_dev.py.
EUROPEAN_WEIGHT = 1.0
EUROPEAN_NGRAM_THRESHOLD = 0.20


def boost(similarity: float, weight: float) -> float:
    """Noisy-OR of an embedding similarity and a signal of weight `weight`."""
    return min(1.0, similarity + weight * (1.0 - max(similarity, 0.0)))


@dataclass(frozen=True, slots=True)
class IntentScore:
    """How one intent scored against one prompt: the explanation behind a match."""

    intent_id: str
    category: IntentCategory
    threshold: float
    similarity: float  # best cosine over windows and exemplars
    score: float  # similarity after signal boosts
    signals: tuple[str, ...] = ()  # signals that boosted it

    @property
    def margin(self) -> float:
        return self.score - self.threshold

    @property
    def cleared(self) -> bool:
        return self.score >= self.threshold


def pick(scores: Sequence[IntentScore], business_margin: float | None) -> IntentScore | None:
    """The match among one prompt's intent scores, or None for `unknown`.

    Threats first: the cleared threat with the largest margin (score - threshold).
    A threat no signal boosted counts only if its similarity is at least
    `business_margin` above the best business intent's similarity (None: no such
    test). Otherwise the nearest (highest similarity) business intent that clears.
    """
    best_business = max(
        (s.similarity for s in scores if s.category is IntentCategory.BUSINESS), default=-1.0
    )
    threats = [
        s
        for s in scores
        if s.category is IntentCategory.THREAT
        and s.cleared
        and (
            business_margin is None
            or bool(s.signals)
            or s.similarity >= best_business + business_margin
        )
    ]
    if threats:
        return max(threats, key=lambda s: (s.margin, s.score))
    business = [s for s in scores if s.category is IntentCategory.BUSINESS and s.cleared]
    return max(business, key=lambda s: (s.similarity, s.margin), default=None)


def choose(
    scores: Sequence[IntentScore],
    signals: tuple[str, ...],
    owners: Mapping[str, str | None],
    tenant: str | None,
    business_margin: float | None,
) -> IntentMatch:
    """The match among the intents `tenant` may match (`owners`: intent -> its tenant,
    None when shared), or `unknown` carrying the best score seen."""
    scores = [s for s in scores if owners.get(s.intent_id) in (None, tenant)]
    best = pick(scores, business_margin)
    if best is None:
        top = max((s.score for s in scores), default=0.0)
        return IntentMatch(UNKNOWN_INTENT, IntentCategory.UNKNOWN, top, signals)
    return IntentMatch(best.intent_id, best.category, best.score, signals)


def rescore(
    intents: Mapping[str, IntentSpec],
    similarities: Mapping[str, float],
    weights: Mapping[str, float],
    known: Sequence[Signal] = DEFAULT_SIGNALS,
    thresholds: Mapping[str, float] | None = None,
) -> list[IntentScore]:
    """Scores of `intents` from similarities measured earlier and the signals that fired
    then (name -> its strongest hit's weight), boosted exactly as `IntentIndex._score`
    boosts them: a signal lifts the intent it supports if that intent is a threat here.
    Every intent needs a similarity; the caller checks that their exemplars are the
    ones measured. `thresholds` are those a similarity was measured against instead of
    the intent's own (`ScoredMatch.script_thresholds`): an n-gram similarity is on the
    scale of its script's threshold, whichever version decides."""
    thresholds = thresholds or {}
    supports = {s.name: s.intent for s in known}
    out: list[IntentScore] = []
    for spec in sorted(intents.values(), key=lambda spec: spec.id):
        weight, boosting = 0.0, []
        if spec.category is IntentCategory.THREAT:
            for name, hit_weight in weights.items():
                if supports.get(name) == spec.id:
                    # float32, as the index keeps its weights: the same boost to the bit.
                    weight = max(weight, float(np.float32(hit_weight)))
                    boosting.append(name)
        similarity = similarities[spec.id]
        out.append(
            IntentScore(
                intent_id=spec.id,
                category=spec.category,
                threshold=thresholds.get(spec.id, spec.threshold),
                similarity=similarity,
                score=boost(similarity, weight),
                signals=tuple(boosting),
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class ScoredMatch:
    """A match with what it was picked from: every intent's score, and the signals that
    fired (name -> the strongest hit's weight)."""

    match: IntentMatch
    scores: tuple[IntentScore, ...]
    weights: Mapping[str, float]
    # Intents scored by the n-gram matcher (a prompt MiniLM cannot read) -> the script's
    # threshold they were held to; empty for every other prompt.
    script_thresholds: Mapping[str, float] = field(default_factory=dict)
    # "minilm", or the static model's version when the cascade settled the match (then
    # the scores' similarities are static cosines: engine.cascade).
    embedder: str = MINILM


class IntentIndex:
    """Exemplar embeddings of one snapshot's intents, and the rule that picks a match.

    Immutable after construction and safe to share between threads (faiss flat
    search and the embedders are read-only at query time).
    """

    def __init__(
        self,
        intents: Mapping[str, IntentSpec],
        embedder: Embedder,
        *,
        version: str,
        k: int = 8,
        max_windows: int = 2,
        signals: Sequence[Signal] = DEFAULT_SIGNALS,
        signal_targets: Mapping[str, str] | None = None,
        business_margin: float | None = BUSINESS_MARGIN,
        static: StaticEmbedder | None = None,
        cascade: CascadeRule = CALIBRATED,
    ) -> None:
        """`static`: the static model the cascade tries first (None: MiniLM only).
        `signal_targets` maps a signal name to the threat intent id it boosts when
        the snapshot names that intent differently from the signal's default.
        `business_margin`: see `pick` (None switches the test off)."""
        self.version = version
        self.business_margin = business_margin
        self.k = k
        self.max_windows = max_windows
        self._embedder = embedder
        self._signals = tuple(signals)
        self._specs = tuple(sorted(intents.values(), key=lambda spec: spec.id))
        self._position = {spec.id: i for i, spec in enumerate(self._specs)}
        self._tenant = {spec.id: spec.tenant for spec in self._specs}
        self._thresholds = np.array([spec.threshold for spec in self._specs], dtype=np.float32)
        self._is_threat = np.array(
            [spec.category is IntentCategory.THREAT for spec in self._specs], dtype=bool
        )
        self._is_business = np.array(
            [spec.category is IntentCategory.BUSINESS for spec in self._specs], dtype=bool
        )
        targets = {signal.name: signal.intent for signal in self._signals}
        targets |= dict(signal_targets or {})
        self._targets = {
            name: self._position[intent]
            for name, intent in targets.items()
            if intent in self._position
            and self._specs[self._position[intent]].category is IntentCategory.THREAT
        }

        read = [(i, t) for i, spec in enumerate(self._specs) for t in spec.exemplars]
        unread = [(i, t) for i, t in read if not minilm_reads(t)]
        read = [(i, t) for i, t in read if minilm_reads(t)]
        exemplars = [text for _, text in read]
        owners = [i for i, _ in read]
        self._lexical = CharNgramIndex(
            [text for _, text in unread], [i for i, _ in unread], len(self._specs)
        )
        self._lexical_intents = np.zeros(len(self._specs), dtype=bool)
        self._lexical_intents[[i for i, _ in unread]] = True
        latin = [(i, t) for i, t in read if self._is_business[i]]
        self._european = CharNgramIndex(
            [text for _, text in latin], [i for i, _ in latin], len(self._specs)
        )
        self._owner: npt.NDArray[np.int64] = np.asarray(owners, dtype=np.int64)
        # One OpenMP thread (process-wide; faiss serves nothing else here): a search
        # over a few hundred vectors takes tens of microseconds, but with two threads
        # it waits for the second one to be scheduled, and on two cores busy with
        # embeddings its p99 reached 16 ms (3.4 ms with one thread).
        faiss.omp_set_num_threads(1)
        self._index = faiss.IndexFlatIP(embedder.dim)
        if exemplars:
            self._index.add(embedder.embed(exemplars))
        self._static = (
            None
            if static is None
            else StaticExemplars(
                static,
                exemplars,
                owners,
                self._specs,
                # A prompt longer than one MiniLM window is embedded as its head and
                # tail by MiniLM but as one mean by the static model: never settled.
                window_tokens=int(getattr(embedder, "max_seq_length", 256)) - 2,
                rule=cascade,
            )
        )

    @classmethod
    def from_snapshot(
        cls,
        snapshot: Snapshot,
        embedder: Embedder,
        *,
        k: int = 8,
        max_windows: int = 2,
        business_margin: float | None = BUSINESS_MARGIN,
        static: StaticEmbedder | None = None,
    ) -> IntentIndex:
        """The index for one PolicySet version; rebuild when `snapshot.version` changes."""
        return cls(
            snapshot.intents,
            embedder,
            version=snapshot.version,
            k=k,
            max_windows=max_windows,
            business_margin=business_margin,
            static=static,
        )

    @property
    def size(self) -> int:
        """Number of exemplar vectors in the index."""
        return int(self._index.ntotal)

    @property
    def intent_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self._specs)

    @property
    def static_version(self) -> str | None:
        """The static model's version when the cascade is on, else None."""
        return None if self._static is None else self._static.version

    def embed_query(self, text: str) -> Vectors:
        """The embeddings `match` compares: one row per window of the normalized prompt.

        Exposed so that other stages reading the same prompt (custom threat heads,
        engine.threats.custom) reuse them instead of embedding it a second time.
        """
        return self._embedder.embed(self._embedder.windows(text, self.max_windows))

    def match(
        self,
        text: str,
        queries: Vectors | None = None,
        *,
        tenant: str | None = None,
        allow_static: bool = True,
    ) -> IntentMatch:
        """The intent of a normalized prompt (see the module docstring for the rule);
        `queries`: its `embed_query(text)`, when the caller has them already (then
        MiniLM decides). Only shared intents and those of `tenant` can match: another
        tenant's intent is not a candidate, so its id never reaches this caller's
        decision. `allow_static`: whether the cascade may settle it."""
        hits = scan(text, self._signals)
        if queries is None and allow_static:
            settled = self._static_match(text, hits, tenant)
            if settled is not None:
                return settled.match
        scores, hits = self._score(text, queries=queries, hits=hits)
        names = tuple(dict.fromkeys(hit.name for hit in hits))
        return choose(scores, names, self._tenant, tenant, self.business_margin)

    def match_scored(
        self,
        text: str,
        queries: Vectors | None = None,
        *,
        tenant: str | None = None,
        allow_static: bool = True,
    ) -> ScoredMatch:
        """`match`, and every intent's exact score behind it: what a decision records so
        that replay can pick again under other thresholds (engine.replay_input). One
        exact search over every exemplar: a few hundred dot products, as cheap as k."""
        hits = scan(text, self._signals)
        if queries is None and allow_static:
            settled = self._static_match(text, hits, tenant)
            if settled is not None:
                return settled
        scores, hits = self._score(text, exact=True, queries=queries, hits=hits)
        names = tuple(dict.fromkeys(hit.name for hit in hits))
        weights: dict[str, float] = {}
        for hit in hits:
            weights[hit.name] = max(weights.get(hit.name, 0.0), hit.weight)
        found = choose(scores, names, self._tenant, tenant, self.business_margin)
        own = {spec.id: spec.threshold for spec in self._specs}
        script = {s.intent_id: s.threshold for s in scores if s.threshold != own[s.intent_id]}
        return ScoredMatch(found, tuple(scores), weights, script)

    def explain(self, text: str) -> tuple[IntentScore, ...]:
        """Every intent's score for `text`, best margin first (for tuning and audits)."""
        scores, _ = self._score(text, exact=True)
        return tuple(sorted(scores, key=lambda s: (-s.margin, s.intent_id)))

    def static_view(
        self, text: str, tenant: str | None, hits: tuple[SignalHit, ...] | None = None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.bool_]] | None:
        """What `settle` reads for a prompt the cascade may settle: each intent's best
        static cosine and which intents `tenant` may match. None when the prompt must
        go to MiniLM whatever its scores (no static model, a signal fired, not English,
        longer than one window: engine.cascade). Public for calibration."""
        if self._static is None:
            return None
        if hits is None:
            hits = scan(text, self._signals)
        return None if hits else self._static.view(text, tenant)

    # ------------------------------------------------------------------ internals

    def _static_match(
        self, text: str, hits: tuple[SignalHit, ...], tenant: str | None
    ) -> ScoredMatch | None:
        """The cascade's match when the static model settles the prompt, else None."""
        view = self.static_view(text, tenant, hits)
        if view is None or self._static is None:
            return None
        similarity, visible = view
        position = self._static.settle(similarity, visible)
        if position is None:
            return None
        static = self._static
        scores = tuple(
            IntentScore(
                intent_id=spec.id,
                category=spec.category,
                threshold=spec.threshold,
                similarity=float(similarity[i]),
                score=float(similarity[i]),
            )
            for i, spec in enumerate(self._specs)
        )
        chosen = self._specs[position]
        match = IntentMatch(
            chosen.id, chosen.category, float(similarity[position]), (), static.version
        )
        return ScoredMatch(match, scores, {}, {}, static.version)

    def _score(
        self,
        text: str,
        *,
        exact: bool = False,
        queries: Vectors | None = None,
        hits: tuple[SignalHit, ...] | None = None,
    ) -> tuple[list[IntentScore], tuple[SignalHit, ...]]:
        if hits is None:
            hits = scan(text, self._signals)
        if not self._specs:
            return [], hits
        weights = np.zeros(len(self._specs), dtype=np.float32)
        boosted_by: dict[int, list[str]] = {}
        for hit in hits:
            target = self._targets.get(hit.name)
            if target is not None:
                weights[target] = max(weights[target], hit.weight)
                boosted_by.setdefault(target, []).append(hit.name)

        thresholds = [spec.threshold for spec in self._specs]
        if self._lexical.size and not minilm_reads(text):
            similarity = self._similarities(text, weights, exact=exact, queries=queries)
            script_threshold = SCRIPT_THRESHOLDS.get(
                dominant_script(text), DEFAULT_SCRIPT_THRESHOLD
            )
            lexical = self._lexical_intents
            similarity = np.where(lexical, self._lexical.similarities(text), similarity)
            thresholds = [script_threshold if lexical[i] else t for i, t in enumerate(thresholds)]
        elif self._european.size and not reads_as_english(text):
            # Exact: the mean needs every business intent's MiniLM similarity.
            similarity = self._similarities(text, weights, exact=True, queries=queries)
            excess = self._european.similarities(text) - np.float32(EUROPEAN_NGRAM_THRESHOLD)
            lexical = np.maximum(excess, np.float32(0.0))
            fused = similarity + np.float32(EUROPEAN_WEIGHT) * lexical
            similarity = np.where(self._is_business, fused, similarity).astype(np.float32)
        else:
            similarity = self._similarities(text, weights, exact=exact, queries=queries)
        return [
            IntentScore(
                intent_id=spec.id,
                category=spec.category,
                threshold=thresholds[i],
                similarity=float(similarity[i]),
                score=boost(float(similarity[i]), float(weights[i])),
                signals=tuple(boosted_by.get(i, ())),
            )
            for i, spec in enumerate(self._specs)
        ], hits

    def _similarities(
        self,
        text: str,
        weights: npt.NDArray[np.float32],
        *,
        exact: bool,
        queries: Vectors | None = None,
    ) -> npt.NDArray[np.float32]:
        """Best cosine per intent over the prompt's windows (-1: not among the nearest)."""
        if queries is None:
            queries = self.embed_query(text)
        n = self.size
        best = np.full(len(self._specs), -1.0, dtype=np.float32)
        if n == 0:
            return best
        k = n if exact else min(self.k, n)
        sims, rows = self._index.search(queries, k)
        np.maximum.at(best, self._owner[rows.ravel()], sims.ravel())
        if k < n:
            # An intent absent from the k nearest scores at most the k-th similarity.
            # If that bound, boosted, could still clear its threshold, look at everything.
            bound = float(sims[:, -1].max())
            absent = best < -0.5
            ceiling = bound + weights * (1.0 - max(bound, 0.0))
            # The margin test (see `pick`) needs the best business similarity: exact as soon
            # as one business exemplar is among the nearest, unknown (at most `bound`) if none is.
            reached = best + weights * (1.0 - np.maximum(best, 0.0)) >= self._thresholds
            blind = not np.any(self._is_business & ~absent) and np.any(self._is_business)
            if np.any(absent & (ceiling >= self._thresholds)) or (
                blind and np.any(self._is_threat & ~absent & reached)
            ):
                sims, rows = self._index.search(queries, n)
                np.maximum.at(best, self._owner[rows.ravel()], sims.ravel())
        return best
