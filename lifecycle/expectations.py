"""Checking a decision against a case's expectations: every unmet one, expected vs actual."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from engine.decision import Decision
from engine.model import Snapshot
from lifecycle.cases import Expect, ExpectedRoute


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation the decision does not meet."""

    field: str  # the expectation's key, e.g. "outcome", "route.primary"
    expected: str
    actual: str

    def describe(self) -> str:
        return f"{self.field}:\n    expected: {self.expected}\n    actual:   {self.actual}"


def _show(values: object) -> str:
    if isinstance(values, list | tuple | set | frozenset):
        items = sorted(values) if isinstance(values, set | frozenset) else list(values)
        return "[" + ", ".join(str(v) for v in items) + "]"
    if isinstance(values, dict):
        return "{" + ", ".join(f"{k}: {v}" for k, v in sorted(values.items())) + "}"
    return str(values)


def unmet(decision: Decision, expect: Expect, snapshot: Snapshot) -> list[Mismatch]:
    """Every expectation the decision does not meet (empty: all met)."""
    out: list[Mismatch] = []

    def check(field: str, ok: bool, expected: object, actual: object) -> None:
        if not ok:
            out.append(Mismatch(field, _show(expected), _show(actual)))

    check(
        "outcome", decision.outcome is expect.outcome, expect.outcome.value, decision.outcome.value
    )
    policy_ids = [r.policy_id for r in decision.reasons if r.policy_id]
    missing = sorted(set(expect.reasons) - set(policy_ids))
    check("reasons", not missing, f"includes {_show(missing)}", policy_ids)
    present = sorted(set(expect.no_reasons) & set(policy_ids))
    check("no_reasons", not present, f"none of {_show(present)}", policy_ids)
    sentences = [r.sentence for r in decision.reasons]
    for phrase in expect.reason_sentences:
        check(
            "reason_sentences",
            any(phrase in s for s in sentences),
            f"a reason says {phrase!r}",
            sentences,
        )
    paths = {r.policy_id: r.path for r in reversed(decision.reasons)}  # the first one wins
    for policy_id, path in expect.reason_paths.items():
        got = paths.get(policy_id)
        check(
            f"reason_paths.{policy_id}", got == path, " ".join(path), " ".join(got or ("(none)",))
        )
    if expect.given("withheld"):
        withheld = {w.item_id: w.code for w in decision.withholdings}
        check("withheld", withheld == expect.withheld, expect.withheld, withheld)
    if expect.given("exposed"):
        exposed = sorted(e.item_id for e in decision.exposures)
        check("exposed", exposed == sorted(expect.exposed), sorted(expect.exposed), exposed)
    if expect.given("redactions"):
        got_r = Counter(f"{r.entity_type}/{r.label}/{r.action.value}" for r in decision.redactions)
        want_r = Counter(f"{r.entity_type}/{r.label}/{r.action.value}" for r in expect.redactions)
        check("redactions", got_r == want_r, sorted(want_r.elements()), sorted(got_r.elements()))
    if expect.given("redacted_labels"):
        labels = {r.label for r in decision.redactions}
        check(
            "redacted_labels",
            labels == set(expect.redacted_labels),
            set(expect.redacted_labels),
            labels,
        )
    if expect.route is not None:
        out += _unmet_route(decision, expect.route, snapshot)
    labels_now = set(decision.labels)
    lacking = sorted(set(expect.labels_include) - labels_now)
    check("labels_include", not lacking, f"includes {_show(lacking)}", sorted(labels_now))
    extra = sorted(set(expect.labels_exclude) & labels_now)
    check("labels_exclude", not extra, f"none of {_show(extra)}", sorted(labels_now))
    if expect.given("block_output_labels"):
        blocked = list(decision.block_output_labels)
        check(
            "block_output_labels",
            blocked == sorted(expect.block_output_labels),
            sorted(expect.block_output_labels),
            blocked,
        )
    texts = [m.content for m in decision.messages] + [c.text for c in decision.context]
    for needle in expect.sanitized_include:
        check(
            "sanitized_include",
            any(needle in t for t in texts),
            f"some text contains {needle!r}",
            _clip(texts),
        )
    for needle in expect.sanitized_exclude:
        check(
            "sanitized_exclude",
            not any(needle in t for t in texts),
            f"no text contains {needle!r}",
            _clip(texts),
        )
    if expect.issues is not None:
        check(
            "issues",
            len(decision.issues) == expect.issues,
            expect.issues,
            [i.policy_id for i in decision.issues],
        )
    return out


def _clip(texts: list[str], width: int = 160) -> str:
    return " | ".join(t if len(t) <= width else t[: width - 1] + "…" for t in texts)


def _unmet_route(decision: Decision, expect: ExpectedRoute, snapshot: Snapshot) -> list[Mismatch]:
    route = decision.route
    out: list[Mismatch] = []

    def check(field: str, ok: bool, expected: object, actual: object) -> None:
        if not ok:
            out.append(Mismatch(f"route.{field}", _show(expected), _show(actual)))

    if expect.given("primary"):
        check("primary", route.primary == expect.primary, expect.primary, route.primary)
    prefix = expect.fallbacks
    check(
        "fallbacks",
        route.fallbacks[: len(prefix)] == prefix,
        f"starts with {_show(prefix)}",
        route.fallbacks,
    )
    if expect.given("compliant"):
        check("compliant", route.candidates == expect.compliant, expect.compliant, route.candidates)
    rejected = {c.model_id: c.reasons for c in route.rejected}
    for model_id, phrases in expect.rejected.items():
        if model_id not in rejected:
            check(f"rejected.{model_id}", False, "rejected", "not rejected")
            continue
        for phrase in [phrases] if isinstance(phrases, str) else phrases:
            check(
                f"rejected.{model_id}",
                any(phrase in r for r in rejected[model_id]),
                f"a reason says {phrase!r}",
                rejected[model_id],
            )
    for name, wanted in expect.constraints.items():
        got = getattr(route.constraints, name, None)
        if isinstance(got, frozenset):
            got, wanted = sorted(got), sorted(wanted)
        check(f"constraints.{name}", got == wanted, wanted, got)
    providers = _providers(route.candidates, snapshot.models)
    lacking = sorted(set(expect.providers_in) - providers)
    check("providers_in", not lacking, f"includes {_show(lacking)}", providers)
    banned = sorted(set(expect.providers_not_in) & providers)
    check("providers_not_in", not banned, f"none of {_show(banned)}", providers)
    return out


def _providers(models: tuple[str, ...], specs: Mapping[str, object]) -> set[str]:
    return {str(getattr(specs[m], "provider", "")) for m in models if m in specs}
