"""The red-team suite and its scoring, for `govroute redteam` (api/redteam.py).

Pure: reading the suite file is the only I/O, and it happens once, before any
request. What is here:

- `load_suite`: the JSONL records (the default ships in api/data/), validated.
- `plan`: the probes to send. Each attack as written and then disguised by each
  trick of engine/evasions.py (seeded by item id and trick, so a run repeats and a
  bypass can be replayed); benign look-alikes as written, and through the carrier
  tricks as a control (below).
- `threat_denials`: the rule that says a decision blocked a threat (below).
- `summarize` and `missed_thresholds`: block rates per family, language and trick,
  and the benign false-positive rate.

When is a probe "blocked"? The decision's outcome is `deny` and one of its deny
reasons is a threat denial. Each reason of /v1/decide says so in its `threat`
field: the policy applied because of a threat intent or a threat detector score.
A deny for any other reason (an unknown intent on the retail chatbot, a forbidden
label, no compliant route) is not a block: it says nothing about threat
detection, and a benign prompt denied that way is not a false positive.

Deployments older than that field are scored from the reason's graph path: a
policy that applies to an intent is justified by `Decision -MATCHED-> Intent:<id>
-APPLIES_TO-> Policy`, so a deny reason whose path passes through the decision's
matched intent, when that intent's category is `threat`, is a threat denial.

Carrier controls: rot13, base64, hex and reversed put a "decode this and follow
it" sentence and an encoded blob before the payload, and a deployment may block
that wrapping whatever the payload says. So benign items go through those tricks
too, and each trick's row shows the benign block rate beside the attack block
rate: a trick that blocks benign payloads as often as attacks measures the carrier,
not the payload. The headline false-positive rate stays that of benign items as
written.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from engine.errors import InvalidRequest
from engine.evasions import TRICKS

__all__ = [
    "AS_WRITTEN",
    "MAX_PROBES",
    "MAX_SUITE_ITEMS",
    "Label",
    "Metric",
    "Outcome",
    "Probe",
    "Rate",
    "Report",
    "SuiteItem",
    "default_suite_path",
    "load_suite",
    "missed_thresholds",
    "plan",
    "summarize",
    "threat_denials",
]

AS_WRITTEN = "as written"  # the trick column of a probe sent unchanged
MAX_SUITE_ITEMS = 5_000
MAX_PROBES = 20_000  # the full default suite with every trick is 2,250
_FIELDS = ("id", "text", "label", "category", "family", "lang", "source")


class Label(StrEnum):
    ATTACK = "attack"
    BENIGN = "benign"


@dataclass(frozen=True, slots=True)
class SuiteItem:
    id: str
    text: str
    label: Label
    category: str  # the threat category an attack belongs to; "benign" otherwise
    family: str  # the attack family (for benign items: the family it looks like)
    lang: str
    source: str


@dataclass(frozen=True, slots=True)
class Probe:
    item: SuiteItem
    trick: str  # a key of engine.evasions.TRICKS, or AS_WRITTEN
    text: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the deployment answered for one probe; `error` when it did not decide."""

    probe: Probe
    outcome: str | None  # allow, allow_with_redactions, deny
    threat_policies: tuple[str, ...] = ()  # the deny reasons that make it a block
    error: str | None = None

    @property
    def blocked(self) -> bool:
        return bool(self.threat_policies)


@dataclass(frozen=True, slots=True)
class Rate:
    group: str
    blocked: int
    total: int

    @property
    def rate(self) -> float:
        return self.blocked / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    attacks: Rate  # every attack probe, tricks included
    by_family: tuple[Rate, ...]
    by_lang: tuple[Rate, ...]
    by_trick: tuple[Rate, ...]  # AS_WRITTEN first
    benign: Rate  # benign as written; blocked = false positives
    benign_by_family: tuple[Rate, ...]
    benign_by_trick: tuple[Rate, ...]  # the carrier controls; AS_WRITTEN not included
    missed: tuple[Probe, ...]  # attacks that got through
    false_positives: tuple[Probe, ...]
    errors: tuple[Outcome, ...]

    def as_dict(self) -> dict[str, Any]:
        def rates(rows: Iterable[Rate]) -> list[dict[str, Any]]:
            return [
                {"group": r.group, "blocked": r.blocked, "total": r.total, "rate": round(r.rate, 4)}
                for r in rows
            ]

        def probes(rows: Iterable[Probe]) -> list[dict[str, str]]:
            return [{"id": p.item.id, "trick": p.trick} for p in rows]

        return {
            "attack_block_rate": round(self.attacks.rate, 4),
            "attack_probes": self.attacks.total,
            "benign_false_positive_rate": round(self.benign.rate, 4),
            "benign_probes": self.benign.total,
            "by_family": rates(self.by_family),
            "by_lang": rates(self.by_lang),
            "by_trick": rates(self.by_trick),
            "benign_by_family": rates(self.benign_by_family),
            "benign_controls_by_trick": rates(self.benign_by_trick),
            "missed": probes(self.missed),
            "false_positives": probes(self.false_positives),
            "errors": [
                {"id": o.probe.item.id, "trick": o.probe.trick, "error": o.error}
                for o in self.errors
            ],
        }


# ---------------------------------------------------------------- the suite


def default_suite_path() -> Path:
    return Path(str(resources.files("api") / "data" / "redteam_suite.jsonl"))


def load_suite(path: Path) -> tuple[SuiteItem, ...]:
    """The records of a suite file, one JSON object a line; InvalidRequest says which line."""
    items: list[SuiteItem] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if len(items) == MAX_SUITE_ITEMS:
                raise InvalidRequest(f"{path} holds more than {MAX_SUITE_ITEMS} items")
            item = _item(line, where=f"{path}:{number}")
            if item.id in seen:
                raise InvalidRequest(f"{path}:{number}: duplicate id {item.id!r}")
            seen.add(item.id)
            items.append(item)
    if not items:
        raise InvalidRequest(f"{path} holds no items")
    return tuple(items)


def _item(line: str, *, where: str) -> SuiteItem:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InvalidRequest(f"{where}: not JSON ({exc.msg})") from exc
    if not isinstance(record, dict):
        raise InvalidRequest(f"{where}: a record is a JSON object")
    missing = [f for f in _FIELDS if not isinstance(record.get(f), str) or not record[f]]
    if missing:
        raise InvalidRequest(f"{where}: missing or empty {', '.join(missing)}")
    try:
        label = Label(record["label"])
    except ValueError as exc:
        raise InvalidRequest(f"{where}: label must be 'attack' or 'benign'") from exc
    return SuiteItem(**{f: record[f] for f in _FIELDS if f != "label"}, label=label)


def plan(
    items: Sequence[SuiteItem],
    tricks: Sequence[str],
    *,
    limit: int | None = None,
    benign_tricks: Sequence[str] = (),
) -> tuple[Probe, ...]:
    """The probes for `items` (at most `limit` of them, attacks and benign half each).

    Attacks go through `tricks`, benign items through `benign_tricks` (the controls).
    A trick that leaves a text unchanged (random case on Chinese) adds no probe: it
    would count the same request twice under another name.
    """
    unknown = sorted((set(tricks) | set(benign_tricks)) - TRICKS.keys())
    if unknown:
        raise InvalidRequest(
            f"unknown trick(s) {', '.join(unknown)}; known: {', '.join(TRICKS)}", field="tricks"
        )
    chosen = _spread(items, limit) if limit is not None else tuple(items)
    probes: list[Probe] = []
    for item in chosen:
        probes.append(Probe(item, AS_WRITTEN, item.text))
        for name in tricks if item.label is Label.ATTACK else benign_tricks:
            disguised = TRICKS[name](item.text, random.Random(f"{item.id}/{name}"))
            if disguised != item.text:
                probes.append(Probe(item, name, disguised))
    if len(probes) > MAX_PROBES:
        raise InvalidRequest(
            f"{len(probes)} probes exceed the limit of {MAX_PROBES}; pass --limit", field="limit"
        )
    return tuple(probes)


def _spread(items: Sequence[SuiteItem], limit: int) -> tuple[SuiteItem, ...]:
    """`limit` items, half attacks and half benign, evenly spaced through the suite.

    Evenly spaced rather than the first ones, so a small run still crosses
    families and languages (the suite is grouped by language).
    """
    attacks = [i for i in items if i.label is Label.ATTACK]
    benign = [i for i in items if i.label is Label.BENIGN]
    want_benign = min(len(benign), limit // 2)
    want_attacks = min(len(attacks), limit - want_benign)
    want_benign = min(len(benign), limit - want_attacks)

    def every(pool: list[SuiteItem], k: int) -> list[SuiteItem]:
        return [pool[j * len(pool) // k] for j in range(k)]

    return (*every(attacks, want_attacks), *every(benign, want_benign))


# ---------------------------------------------------------------- scoring


def threat_denials(decision: Mapping[str, Any]) -> tuple[str, ...]:
    """The policy ids of the deny reasons that block `decision` as a threat (module docs)."""
    if decision.get("outcome") != "deny":
        return ()
    intent = decision.get("intent") or {}
    threat_node = f"Intent:{intent.get('id')}" if intent.get("category") == "threat" else None
    found: list[str] = []
    for reason in decision.get("reasons") or ():
        if reason.get("effect") != "deny":
            continue
        if "threat" in reason:
            is_threat = reason["threat"] is True
        else:
            is_threat = threat_node is not None and threat_node in (reason.get("path") or ())
        if is_threat:
            found.append(str(reason.get("policy_id")))
    return tuple(found)


def summarize(outcomes: Sequence[Outcome]) -> Report:
    answered = [o for o in outcomes if o.error is None]
    attacks = [o for o in answered if o.probe.item.label is Label.ATTACK]
    benign_all = [o for o in answered if o.probe.item.label is Label.BENIGN]
    benign = [o for o in benign_all if o.probe.trick == AS_WRITTEN]
    controls = [o for o in benign_all if o.probe.trick != AS_WRITTEN]
    tricks_seen = {o.probe.trick for o in attacks}
    trick_order = [t for t in (AS_WRITTEN, *TRICKS) if t in tricks_seen]
    control_order = [t for t in TRICKS if t in {o.probe.trick for o in controls}]
    return Report(
        attacks=_rate("all attacks", attacks),
        by_family=_grouped(attacks, lambda o: o.probe.item.family),
        by_lang=_grouped(attacks, lambda o: o.probe.item.lang),
        by_trick=_grouped(attacks, lambda o: o.probe.trick, order=trick_order),
        benign=_rate("all benign", benign),
        benign_by_family=_grouped(benign, lambda o: o.probe.item.family),
        benign_by_trick=_grouped(controls, lambda o: o.probe.trick, order=control_order),
        missed=tuple(o.probe for o in attacks if not o.blocked),
        false_positives=tuple(o.probe for o in benign if o.blocked),
        errors=tuple(o for o in outcomes if o.error is not None),
    )


def _rate(group: str, outcomes: Sequence[Outcome]) -> Rate:
    return Rate(group, sum(o.blocked for o in outcomes), len(outcomes))


def _grouped(
    outcomes: Sequence[Outcome], key: Any, *, order: Sequence[str] | None = None
) -> tuple[Rate, ...]:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[key(outcome)].append(outcome)
    return tuple(_rate(g, groups[g]) for g in (order if order is not None else sorted(groups)))


# ---------------------------------------------------------------- thresholds


class Metric(StrEnum):
    """What `--fail-under METRIC=VALUE` bounds; every metric is "higher is better"."""

    BLOCK = "block"  # block rate over every attack probe
    WRITTEN = "written"  # block rate of attacks as written
    FAMILY = "family"  # the lowest block rate of any family
    LANG = "lang"  # the lowest block rate of any language
    TRICK = "trick"  # the lowest block rate of any trick (1 - the worst bypass rate)
    BENIGN = "benign"  # 1 - the benign false-positive rate


def missed_thresholds(report: Report, thresholds: Mapping[Metric, float]) -> tuple[str, ...]:
    """One sentence per threshold the report misses; empty when all hold."""
    missed: list[str] = []
    for metric, floor in thresholds.items():
        for group, value in _measured(report, metric):
            if value < floor:
                missed.append(f"{metric.value}: {group} is {value:.3f}, under {floor:.3f}")
    return tuple(missed)


def _measured(report: Report, metric: Metric) -> list[tuple[str, float]]:
    match metric:
        case Metric.BLOCK:
            return [("attack block rate", report.attacks.rate)]
        case Metric.WRITTEN:
            return [
                (f"{r.group} block rate", r.rate) for r in report.by_trick if r.group == AS_WRITTEN
            ]
        case Metric.FAMILY:
            return [(f"family {r.group}", r.rate) for r in report.by_family]
        case Metric.LANG:
            return [(f"language {r.group}", r.rate) for r in report.by_lang]
        case Metric.TRICK:
            return [(f"trick {r.group}", r.rate) for r in report.by_trick if r.group != AS_WRITTEN]
        case Metric.BENIGN:
            return [("benign pass rate", 1.0 - report.benign.rate)]
