"""The comparison shadow and replay share (lifecycle.outcome_diff)."""

from __future__ import annotations

from typing import Any

from lifecycle.outcome_diff import (
    ALLOW_TO_DENY,
    DENY_TO_ALLOW,
    REASONS_CHANGED,
    REDACTIONS_CHANGED,
    ROUTE_CHANGED,
    Change,
    DiffCounts,
    compare,
)


def _record(outcome: str = "allow", **over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "dec_1",
        "tenant_id": "acme",
        "outcome": outcome,
        "intent": {"id": "translation"},
        "reasons": [{"policy_id": "allow-basics"}],
        "redactions": [],
        "exposures": [{"id": "doc-a"}],
        "withholdings": [],
        "route": {"primary": "m1", "fallbacks": ["m2"]},
    }
    return base | over


def test_when_both_versions_decide_alike_then_nothing_changed() -> None:
    change = compare(_record(), _record())
    assert not change.changed
    assert change.kinds == ()


def test_when_the_candidate_denies_then_allow_to_deny_with_the_policies_that_differ() -> None:
    after = _record("deny", reasons=[{"policy_id": "deny-new"}], route={"primary": None})
    change = compare(_record(), after)
    assert change.kinds[0] == ALLOW_TO_DENY
    assert ROUTE_CHANGED in change.kinds
    assert REASONS_CHANGED in change.kinds
    assert change.policies == ("allow-basics", "deny-new")


def test_when_only_a_redaction_action_differs_then_redactions_changed() -> None:
    red = [{"segment": "messages[0]", "label": "pii", "action": "mask"}]
    other = [{"segment": "messages[0]", "label": "pii", "action": "pseudonymize"}]
    change = compare(_record(redactions=red), _record(redactions=other))
    assert change.kinds == (REDACTIONS_CHANGED,)


def test_when_changes_are_counted_then_tenant_intent_policy_tables_and_examples_agree() -> None:
    changes = [
        compare(_record("deny", id=f"dec_{i}"), _record("allow", id=f"dec_{i}")) for i in range(3)
    ] + [compare(_record(id="dec_same"), _record(id="dec_same"))]
    counts = DiffCounts().add_all(Change.from_dict(c.as_dict()) for c in changes)
    assert (counts.decisions, counts.changed) == (4, 3)
    assert counts.kinds[DENY_TO_ALLOW] == 3
    assert counts.by_tenant["acme"][DENY_TO_ALLOW] == 3
    assert counts.by_intent["translation"][DENY_TO_ALLOW] == 3
    assert counts.examples[DENY_TO_ALLOW] == ["dec_0", "dec_1", "dec_2"]
    assert "3 of 4 decisions would change" in counts.text("shadow of v4")
    assert counts.as_dict()["kinds"][DENY_TO_ALLOW] == 3
