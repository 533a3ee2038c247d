"""Fit the conversation model and measure it, family by family.

    .venv/bin/python training/threat/train_conversation.py   # engine/data/conversation_model/
    .venv/bin/python training/threat/train_conversation.py --out DIR

1. builds conversations from training/threat/conversations.py (seed fixed);
2. scores every segment with the shipped threat detector, exactly as the threat
   stage does, and computes engine.threats.conversation's features from them;
3. fits one L2 logistic head per conversation head (its family's conversations
   against every benign one; `conversation_attack`: every attack family), with
   balanced class weights, by Newton's method from zero (deterministic);
4. picks each head's threshold so it flags <= 1% of out-of-fold benign
   conversations (4 folds by row): the operating point the reference enterprise's
   policy takes its thresholds from;
5. leaves each conversation family out in turn and reports, at a threshold fixed
   on the remaining benign conversations, what `conversation_attack` flags of it,
   beside what the per-segment detector alone flags (its shipped operating point)
   and the union of both;
6. writes model.json (weights, digest, operating point, the figures) and MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from engine.normalize import normalize  # noqa: E402
from engine.threats.categories import CONVERSATION_HEADS  # noqa: E402
from engine.threats.conversation import (  # noqa: E402
    DEFAULT_CONVERSATION_ARTIFACT,
    FEATURES,
    GENERIC_FEATURES,
    ConversationModel,
    Head,
    conversation_features,
    conversation_of,
)
from engine.threats.detector import ThreatDetector  # noqa: E402
from engine.threats.model import DEFAULT_ARTIFACT, ThreatModel  # noqa: E402
from training.threat.conversations import ATTACK_KINDS, Dialogue, generate  # noqa: E402

PER_FAMILY = 400
SEED = 14
L2 = 1.0
# conversation_attack over GENERIC_FEATURES: a stronger prior towards small weights kept
# it from leaning on one family's feature (left-out families 38-64% at 10 against
# 39-61% at 1 and 38-62% at 3; the three values tried, on the leave-one-family-out figures).
GENERIC_L2 = 10.0
GENERIC = np.array([f in GENERIC_FEATURES for f in FEATURES])
TARGET_FPR = 0.01

Matrix = npt.NDArray[np.float64]

# The heads examples/enterprise/policies.yaml's deny-conversation-attack thresholds
# (conversation_conflict is left to the context-item withholding there).
POLICY_USES = (
    "conversation_attack",
    "conversation_extraction",
    "conversation_forcing",
    "conversation_buildup",
)


def features_of(dialogues: Sequence[Dialogue], detector: ThreatDetector) -> tuple[Matrix, Matrix]:
    """Conversation features and the detector-alone verdict input (best per-head score
    over the non-system segments), per dialogue."""
    heads = detector.model.heads
    rows, best = [], []
    for d in dialogues:
        messages: list[tuple[str, str, str]] = []
        if d.system:
            messages.append(("system", "messages[0]", normalize(d.system).text))
        for turn in d.turns:
            messages.append((turn.role, f"messages[{len(messages)}]", normalize(turn.content).text))
        others = [(f"context:{i}", normalize(t).text) for i, t in enumerate(d.context)]
        scores: dict[str, dict[str, float]] = {}
        for role, key, text in messages:
            if role != "system":
                scores[key] = _scores(detector, key, text)
        for key, text in others:
            scores[key] = _scores(detector, key, text)
        conversation = conversation_of(messages, [k for k, _ in others])
        values = conversation_features(
            conversation, scores, lambda t: _scores(detector, "conversation", normalize(t).text)
        )
        rows.append([values[f] for f in FEATURES])
        best.append([max((s.get(h, 0.0) for s in scores.values()), default=0.0) for h in heads])
    return np.array(rows, np.float64), np.array(best, np.float64)


def _scores(detector: ThreatDetector, key: str, text: str) -> dict[str, float]:
    if not text:
        return {}
    return {h: f.score for h, f in detector.assess_text(key, normalize(text)).items()}


def fit_head(head: str, x: Matrix, y: npt.NDArray[np.int8]) -> tuple[Matrix, float]:
    """A head's weights over every feature: conversation_attack fits GENERIC_FEATURES only
    (zero weight on the others), the kind heads fit all of them."""
    if head != "conversation_attack":
        return fit_logistic(x, y)
    weights = np.zeros(x.shape[1])
    weights[GENERIC], bias = fit_logistic(x[:, GENERIC], y, GENERIC_L2)
    return weights, bias


def fit_logistic(x: Matrix, y: npt.NDArray[np.int8], l2: float = L2) -> tuple[Matrix, float]:
    """Balanced-class L2 logistic regression by Newton's method (bias not penalized)."""
    n, k = x.shape
    pos = max(int(y.sum()), 1)
    neg = max(n - pos, 1)
    sample = np.where(y == 1, n / (2 * pos), n / (2 * neg))
    design = np.hstack([x, np.ones((n, 1))])
    theta = np.zeros(k + 1)
    penalty = np.full(k + 1, l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -60, 60)))
        grad = design.T @ (sample * (p - y)) + penalty * theta
        hess = (design * (sample * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.abs(step).max() < 1e-8:
            break
    return theta[:-1], float(theta[-1])


def probability(x: Matrix, weights: Matrix, bias: float) -> Matrix:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ weights + bias, -60, 60)))


def threshold_for(benign_scores: Matrix, fpr: float = TARGET_FPR) -> float:
    """The lowest threshold that flags at most `fpr` of these benign scores."""
    ordered = np.sort(benign_scores)[::-1]
    allowed = int(np.floor(fpr * len(ordered)))
    if allowed >= len(ordered):
        return 0.0
    return float(min(1.0, np.nextafter(ordered[allowed], 2.0)))


def positives(dialogues: Sequence[Dialogue], head: str) -> npt.NDArray[np.int8]:
    return np.array(
        [
            1 if d.label == "attack" and (head == "conversation_attack" or d.kind == head) else 0
            for d in dialogues
        ],
        np.int8,
    )


def head_rows(dialogues: Sequence[Dialogue], head: str) -> npt.NDArray[np.bool_]:
    """A head learns its family against benign: the other attack families sit out."""
    return np.array(
        [d.label == "benign" or head == "conversation_attack" or d.kind == head for d in dialogues]
    )


def detector_flags(best: Matrix, detector: ThreatDetector) -> npt.NDArray[np.bool_]:
    thresholds = detector.model.meta["operating_point"]["thresholds"]
    cut = np.array([thresholds[h] for h in detector.model.heads])
    flags: npt.NDArray[np.bool_] = np.asarray((best >= cut).any(axis=1), dtype=bool)
    return flags


def train(detector: ThreatDetector) -> tuple[ConversationModel, dict[str, Any]]:
    dialogues = generate(PER_FAMILY, SEED)
    x, best = features_of(dialogues, detector)
    benign = np.array([d.label == "benign" for d in dialogues])
    fam = np.array([d.family for d in dialogues])
    families = sorted(set(fam.tolist()))
    heads, thresholds = [], {}
    oof = {h: out_of_fold_all(x, dialogues, h) for h in CONVERSATION_HEADS}
    for head in CONVERSATION_HEADS:
        y = positives(dialogues, head)[head_rows(dialogues, head)]
        w, b = fit_head(head, x[head_rows(dialogues, head)], y)
        heads.append(Head(head, tuple(float(v) for v in w), b))
        thresholds[head] = round(threshold_for(oof[head][benign], share_of(head)), 6)
    det = detector_flags(best, detector)
    union = np.zeros(len(dialogues), bool)
    for head in POLICY_USES:
        union |= oof[head] >= thresholds[head]
    own: dict[str, dict[str, Any]] = {}
    for name in families:
        out = fam == name
        own[name] = {
            "label": "attack" if name in ATTACK_KINDS else "benign",
            "n": int(out.sum()),
            "detector": float(det[out].mean()),
            "conversation": float(union[out].mean()),
            "either": float((union | det)[out].mean()),
        }
    all_y = positives(dialogues, "conversation_attack")
    held_out: dict[str, dict[str, Any]] = {}
    for name in families:
        out = fam == name
        w, b = fit_head("conversation_attack", x[~out], all_y[~out])
        cut = threshold_for(probability(x[~out & benign], w, b))
        conv = probability(x[out], w, b) >= cut
        policy = policy_without(x, dialogues, out, benign)
        held_out[name] = {
            "label": "attack" if name in ATTACK_KINDS else "benign",
            "n": int(out.sum()),
            "detector": float(det[out].mean()),
            "conversation": float(conv.mean()),
            "either": float((conv | det[out]).mean()),
            "policy_heads": float(policy.mean()),
            "policy_either": float((policy | det[out]).mean()),
        }
    digest = hashlib.sha256(json.dumps(x.round(6).tolist()).encode()).hexdigest()[:10]
    model = ConversationModel(
        version=f"conversation-logit-{digest}",
        heads=tuple(heads),
        meta={
            "detector_version": detector.version,
            "operating_point": {"target_benign_fpr": TARGET_FPR, "thresholds": thresholds},
            "training": {
                "per_family": PER_FAMILY,
                "seed": SEED,
                "l2": L2,
                "families": {n: int((fam == n).sum()) for n in families},
            },
            "evaluation": {"own_corpus": own, "leave_one_family_out": held_out},
        },
    )
    return model, model.meta["evaluation"]


def share_of(head: str) -> float:
    """A head's part of the 1% of benign conversations the policy may flag: half for
    conversation_attack, the other half split between the four kind heads."""
    kinds = len(CONVERSATION_HEADS) - 1
    return TARGET_FPR / 2 if head == "conversation_attack" else TARGET_FPR / 2 / kinds


def policy_without(
    x: Matrix,
    dialogues: Sequence[Dialogue],
    out: npt.NDArray[np.bool_],
    benign: npt.NDArray[np.bool_],
) -> npt.NDArray[np.bool_]:
    """What the heads the reference policy uses flag of the rows `out`, every head fitted
    and thresholded without them (a left-out family: its own kind head has no positives
    and flags at its benign share only)."""
    flagged = np.zeros(int(out.sum()), bool)
    for head in POLICY_USES:
        rows = head_rows(dialogues, head) & ~out
        y = positives(dialogues, head)
        if not y[rows].any():
            continue
        w, b = fit_head(head, x[rows], y[rows])
        cut = threshold_for(probability(x[~out & benign], w, b), share_of(head))
        flagged |= probability(x[out], w, b) >= cut
    return flagged


def out_of_fold_all(x: Matrix, dialogues: Sequence[Dialogue], head: str, folds: int = 4) -> Matrix:
    """Every dialogue's score from a head fitted without its fold (on the head's rows)."""
    fold = np.arange(len(dialogues)) % folds
    rows = head_rows(dialogues, head)
    y = positives(dialogues, head)
    out = np.zeros(len(dialogues))
    for f in range(folds):
        train_rows = rows & (fold != f)
        w, b = fit_head(head, x[train_rows], y[train_rows])
        out[fold == f] = probability(x[fold == f], w, b)
    return out


def report(evaluation: dict[str, Any]) -> str:
    lines = []
    for title, key in (
        (
            "own corpus, out-of-fold, the policy's four heads at the shipped thresholds",
            "own_corpus",
        ),
        (
            "left out: conversation_attack (and, under policy, the policy's four heads) "
            "fitted without the family",
            "leave_one_family_out",
        ),
    ):
        held = key == "leave_one_family_out"
        header = "family                      n   detector  conversation  either"
        lines += [title, header + ("  policy  policy|det" if held else "")]
        for name, row in evaluation[key].items():
            extra = f" {row['policy_heads']:>7.1%} {row['policy_either']:>10.1%}" if held else ""
            lines.append(
                f"{name:<25} {row['n']:>4} {row['detector']:>9.1%} {row['conversation']:>12.1%}"
                f" {row['either']:>7.1%}{extra}  {row['label']}"
            )
        lines.append("")
    return "\n".join(lines).rstrip()


CARD = """# Conversation model card

`{version}`: logistic heads over the conversation features of
engine/threats/conversation.py (the system prompt, the earlier turns and the context
read beside the last user turn). Built by `training/threat/train_conversation.py`;
loaded with the threat detector (`ThreatDetector.shipped()`); its version is part of
every decision's `detector_version` (`<detector>+<conversation model>`).

- Features: {features}.
- Heads: {heads}. `conversation_attack` reads only {generic} (features no one
  attack family owns, so that it carries over to a family it never saw); the kind
  heads read every feature. Thresholds at out-of-fold benign conversations:
  conversation_attack flags 0.5%, each kind head 0.125%, so the heads a policy
  thresholds together flag at most 1%:
  {thresholds}.
- Training data: {total} conversations, {per_family} per family, built from this
  project's family grammars (training/threat/families) and the system prompts,
  glue and benign exchanges written in training/threat/conversations.py. No
  external data; none of the excluded sources.
- Detector features come from `{detector}`, which was trained on texts of the same
  grammars (other draws): the detector scores are in-sample for these families.
  Leaving a conversation family out holds out the conversation model's training,
  not the detector's, so the held-out figures below are an upper bound on attacks
  written elsewhere.

## Own corpus (regression check, out-of-fold) and left-out families

"policy" is what the four heads examples/enterprise/policies.yaml thresholds flag
when every one of them is fitted and thresholded without the family; "policy|det"
adds the per-segment detector at its own operating point.

```text
{report}
```

## Known limits

- Glue text (assistant replies, "part two:") is English only.
- A guarded value is a code-like token, a quoted phrase, a value after a colon or
  an all-capitals word; "the password is Ulaqui" guards nothing the features see.
- A multi-turn attack split wider than {joined} user turns is not joined.
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_CONVERSATION_ARTIFACT.parent)
    args = parser.parse_args(argv)
    # The per-segment model alone: the conversation model is what is being built.
    detector = ThreatDetector(ThreatModel.load(DEFAULT_ARTIFACT))
    model, evaluation = train(detector)
    text = report(evaluation)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "model.json").write_text(json.dumps(model.to_json(), indent=2) + "\n", "utf-8")
    from engine.threats.conversation import JOINED_TURNS

    card = CARD.format(
        version=model.version,
        features=", ".join(FEATURES),
        heads=", ".join(CONVERSATION_HEADS),
        generic=", ".join(GENERIC_FEATURES),
        thresholds=json.dumps(model.meta["operating_point"]["thresholds"]),
        total=sum(model.meta["training"]["families"].values()),
        per_family=PER_FAMILY,
        detector=detector.version,
        report=text,
        joined=JOINED_TURNS,
    )
    (args.out / "MODEL_CARD.md").write_text(card, "utf-8")
    ConversationModel.load(args.out / "model.json")  # what was written loads
    print(f"wrote {args.out / 'model.json'} ({model.version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
