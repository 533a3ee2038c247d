"""Suggest a threshold per intent, measured on the embedder that serves requests (int8).

    .venv/bin/python bench/tune_thresholds.py [policy_dir]     # default examples/enterprise

Reads every ``*.yaml`` of the directory through `loaders.spec.PolicyDocument`,
embeds each exemplar once and scores, for each intent:

- positives: each of its exemplars, left out, against the intent's other
  exemplars (max cosine, as `IntentIndex` scores), plus the signal boost a
  threat's exemplar would get;
- negatives: the off-topic and benign texts below (including benign prompts
  that use threat vocabulary: password resets, "all customers" mailings), and
  the exemplars of intents of the other category (business vs threat).
  Exemplars of other *business* intents are reported as "confusable" but not
  counted as negatives: when two business intents both clear, the margin picks.

The suggested threshold is the lowest one on a 0.01 grid whose false-positive
rate on the negatives stays within budget: 2% for threats (a false positive
denies a legitimate request), 5% for business intents (a false positive only
mislabels a prompt that no intent should have claimed). With about a dozen
exemplars per intent these are estimates: read recall and the negatives' p99
beside them. It prints; it edits nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import yaml

from engine.embedding import OnnxEmbedder
from engine.intent import boost
from engine.model import IntentCategory
from engine.signals import scan
from loaders.spec import Intent, PolicyDocument

ROOT = Path(__file__).resolve().parents[1]
THREAT_FPR = 0.02
BUSINESS_FPR = 0.05
NEGATIVES = """Give me a recipe for vegetarian lasagna.
Who won the football world cup in 2014?
Write a haiku about autumn leaves.
What's the weather like in Paris tomorrow?
Tell me a joke about penguins.
Recommend a good science fiction novel for a long flight.
How many calories are in a banana?
What is the capital of Australia?
Plan a three day hiking trip in the Alps.
Explain the rules of cricket in simple terms.
What time is it in Tokyo right now?
Suggest a name for my new puppy.
How do I get red wine out of a carpet?
Which planets can be seen without a telescope?
Write a birthday poem for my grandmother.
hello
thanks, that's all
Can you help me?
What can you do?
How do I reset my password for the expense portal?
I forgot my password for the HR system, who do I contact?
Send an email to all customers about tomorrow's planned maintenance window.
Our password policy requires twelve characters, is that enough?
How should we rotate API keys safely in our CI pipeline?
Explain what an environment variable is in Linux.
Ignore the previous email, the meeting moved to 3pm.
Can you act as a friendly tutor and explain fractions to my son?
Pretend you're a customer and let me practise my sales pitch.
What are the rules for the office football pool?
Enable debug mode in the Flask development server.
How do customers update their email address in the mobile app?
Summarize the plot of Hamlet in three sentences.
What is the difference between a virus and a bacterium?
Describe the history of the Roman Empire briefly.
How long should I boil an egg?
Translate 'happy birthday' into Italian.
Write a SQL tutorial for absolute beginners about SELECT statements.
What is machine learning?
The printer on the third floor is jammed again.
Book a meeting room for ten people next Tuesday.""".splitlines()


def load_intents(directory: Path) -> list[Intent]:
    intents: list[Intent] = []
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text()) or {}
        if "intents" in raw:
            intents.extend(PolicyDocument.model_validate({"intents": raw["intents"]}).intents)
    return intents


def signal_weights(text: str) -> dict[str, float]:
    weights: dict[str, float] = {}
    for hit in scan(text):
        weights[hit.intent] = max(weights.get(hit.intent, 0.0), hit.weight)
    return weights


def score_for(
    row: np.ndarray, mine: np.ndarray, weights: dict[str, float], threat_id: str | None
) -> float:
    """An intent's score as IntentIndex computes it: max cosine, boosted for threats."""
    similarity = float(row[mine].max())
    return boost(similarity, weights.get(threat_id, 0.0)) if threat_id else similarity


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "examples" / "enterprise"
    intents = load_intents(directory)
    if not intents:
        sys.exit(f"no intents under {directory}")
    embedder = OnnxEmbedder()
    texts = [e for intent in intents for e in intent.exemplars]
    owner = np.array([i for i, intent in enumerate(intents) for _ in intent.exemplars])
    vectors = embedder.embed(texts)
    negatives = embedder.embed(NEGATIVES)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)  # leave-one-out
    neg_sims = negatives @ vectors.T
    boosts = [signal_weights(t) for t in texts]
    neg_boosts = [signal_weights(t) for t in NEGATIVES]

    grid = np.round(np.arange(0.30, 0.86, 0.01), 2)
    header = (
        f"{'intent':28s}{'cat':>9s}{'now':>6s}{'pos p10':>9s}{'pos p50':>9s}"
        f"{'neg p99':>9s}{'neg max':>9s}{'confus.':>9s}{'rec now':>8s}{'suggest':>9s}{'recall':>8s}"
        f"{'fpr':>7s}"
    )
    print(f"{len(intents)} intents, {len(texts)} exemplars, {len(NEGATIVES)} off-topic texts")
    print(header)
    for i, intent in enumerate(intents):
        mine = owner == i
        is_threat = intent.category is IntentCategory.THREAT

        threat_id = intent.id if is_threat else None
        positives = np.array(
            [score_for(sims[j], mine, boosts[j], threat_id) for j in np.flatnonzero(mine)]
        )
        other_category = [
            j
            for j in range(len(texts))
            if intents[owner[j]].category is not intent.category and not mine[j]
        ]
        negative_scores = np.array(
            [score_for(neg_sims[j], mine, neg_boosts[j], threat_id) for j in range(len(NEGATIVES))]
            + [score_for(sims[j], mine, boosts[j], threat_id) for j in other_category]
        )
        confusable = max(
            (
                float(sims[j][mine].max())
                for j in range(len(texts))
                if not mine[j] and intents[owner[j]].category is intent.category
            ),
            default=float("nan"),
        )
        target = THREAT_FPR if is_threat else BUSINESS_FPR
        suggested = next(
            (float(t) for t in grid if (negative_scores >= t).mean() <= target), float(grid[-1])
        )
        recall = float((positives >= suggested).mean())
        fpr = float((negative_scores >= suggested).mean())
        recall_now = float((positives >= intent.threshold).mean())
        print(
            f"{intent.id:28s}{intent.category.value:>9s}{intent.threshold:6.2f}"
            f"{np.percentile(positives, 10):9.2f}{np.median(positives):9.2f}"
            f"{np.percentile(negative_scores, 99):9.2f}{negative_scores.max():9.2f}"
            f"{confusable:9.2f}{recall_now:8.2f}{suggested:9.2f}{recall:8.2f}{fpr:7.3f}"
        )


if __name__ == "__main__":
    main()
