"""Table-driven tests of engine/policy.py: applicability, the verdict, label actions,
constraints and preferences, on small snapshots built in the test (no YAML, no graph).

One table per feature; each row says the condition and the expected outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, cast

import pytest

from engine.decision import Reason, RuleIssue
from engine.lineage import Hop, RawLabelPath, effective_labels
from engine.model import (
    NOWHERE,
    Effect,
    Label,
    LabelEvidence,
    Level,
    PolicySpec,
    Restrictiveness,
    RouteConstraints,
    Snapshot,
)
from engine.policy import (
    Applicable,
    RequestView,
    applicable_policies,
    applies,
    constraint_reasons,
    label_action,
    preferences,
    route_constraints,
    verdict,
)

# A small label tree: confidential > pii > contact > email; restricted > pci.
LABELS = {
    "confidential": Label("confidential", "Confidential", Level.CONFIDENTIAL),
    "pii": Label("pii", "Personal data", Level.CONFIDENTIAL, parent="confidential"),
    "contact": Label("contact", "Contact", Level.CONFIDENTIAL, parent="pii"),
    "email": Label("email", "Email", Level.CONFIDENTIAL, parent="contact"),
    "restricted": Label("restricted", "Restricted", Level.RESTRICTED),
    "pci": Label("pci", "Card data", Level.RESTRICTED, parent="restricted"),
}


def snapshot(*policies: PolicySpec) -> Snapshot:
    return Snapshot(
        version="test",
        content_hash="",
        labels=LABELS,
        entity_types={},
        intents={},
        providers={},
        models={},
        policies=tuple(policies),
    )


def ancestry(label: str) -> tuple[str, ...]:
    return snapshot().label_ancestry(label)


def carried(*labels: str) -> dict[str, LabelEvidence]:
    """What an item holding `labels` carries: the labels and their ancestors, with paths."""
    paths = [RawLabelPath(("Document:d1",), (), label) for label in labels]
    return {e.label: e for e in effective_labels(paths, ancestry)}


@dataclass(frozen=True)
class View:
    """Defaults for a RequestView; rows override what they test."""

    intent: str = "summarize"
    roles: frozenset[str] = frozenset({"analyst"})
    tenant: str = "acme"
    purpose: str | None = "analytics"
    labels: dict[str, LabelEvidence] = field(default_factory=dict)

    def build(self) -> RequestView:
        return RequestView(
            decision_id="dec_1",
            principal_id="alice",
            intent=self.intent,
            roles=self.roles,
            tenant=self.tenant,
            purpose=self.purpose,
            labels=self.labels,
        )


def policy(pid: str = "p", effect: Effect = Effect.ALLOW, **fields: Any) -> PolicySpec:
    return PolicySpec(id=pid, description=f"policy {pid}", effect=effect, **fields)


def applied(policies: tuple[PolicySpec, ...], view: View) -> list[str]:
    found, issues = applicable_policies(snapshot(*policies), view.build())
    assert issues == ()
    return [a.policy.id for a in found]


# --------------------------------------------------------------------------- scope

SCOPE = [
    # (condition, policy scope, view, applies)
    ("empty scope matches anything", {}, View(), True),
    ("intent listed", {"intents": frozenset({"summarize"})}, View(), True),
    ("intent not listed", {"intents": frozenset({"translate"})}, View(), False),
    (
        "one of the caller's roles listed",
        {"roles": frozenset({"analyst", "engineer"})},
        View(roles=frozenset({"employee", "analyst"})),
        True,
    ),
    ("no role of the caller listed", {"roles": frozenset({"engineer"})}, View(), False),
    ("caller without roles", {"roles": frozenset({"engineer"})}, View(roles=frozenset()), False),
    ("tenant listed", {"tenants": frozenset({"acme", "globex"})}, View(), True),
    ("tenant not listed", {"tenants": frozenset({"globex"})}, View(), False),
    ("purpose listed", {"purposes": frozenset({"analytics"})}, View(), True),
    ("purpose not listed", {"purposes": frozenset({"support"})}, View(), False),
    ("no purpose declared", {"purposes": frozenset({"analytics"})}, View(purpose=None), False),
    (
        "every listed dimension matches",
        {
            "intents": frozenset({"summarize"}),
            "roles": frozenset({"analyst"}),
            "tenants": frozenset({"acme"}),
            "purposes": frozenset({"analytics"}),
        },
        View(),
        True,
    ),
    (
        "one listed dimension fails",
        {
            "intents": frozenset({"summarize"}),
            "roles": frozenset({"analyst"}),
            "tenants": frozenset({"globex"}),
        },
        View(),
        False,
    ),
    ("governed label present", {"governs": frozenset({"pci"})}, View(labels=carried("pci")), True),
    (
        "governed label absent",
        {"governs": frozenset({"pci"})},
        View(labels=carried("email")),
        False,
    ),
    ("governs with nothing sent", {"governs": frozenset({"pci"})}, View(), False),
    (
        "one of several governed labels present",
        {"governs": frozenset({"pci", "email"})},
        View(labels=carried("email")),
        True,
    ),
    (
        "governed label present but scope fails",
        {"governs": frozenset({"pci"}), "roles": frozenset({"engineer"})},
        View(labels=carried("pci")),
        False,
    ),
]


@pytest.mark.parametrize(
    ("scope", "view", "applies"), [row[1:] for row in SCOPE], ids=[row[0] for row in SCOPE]
)
def test_when_scope_is_matched_then_policy_applies_only_if_every_dimension_matches(
    scope: dict[str, Any], view: View, applies: bool
) -> None:
    assert applied((policy(**scope),), view) == (["p"] if applies else [])


@pytest.mark.parametrize("intent", ["summarize", "translate", "unknown", "never_named"])
def test_when_policies_are_looked_up_by_intent_then_the_same_ones_apply_as_scanning_all(
    intent: str,
) -> None:
    # The snapshot indexes policies by the intents they name; for any intent, named or
    # not, what applies (and its order) must be what checking every policy finds.
    policies = (
        policy("any-1"),
        policy("sum", intents=frozenset({"summarize"})),
        policy("both", intents=frozenset({"summarize", "translate"}), priority=2),
        policy("unk", Effect.DENY, intents=frozenset({"unknown"})),
        policy("any-2", roles=frozenset({"analyst"})),
        policy("tr", intents=frozenset({"translate"}), tenant="acme"),
    )
    view = View(intent=intent).build()
    indexed, _ = applicable_policies(snapshot(*policies), view)
    scanned = sorted(
        (a for p in policies if (a := applies(p, view)) is not None),
        key=lambda a: (-a.policy.priority, a.policy.id),
    )
    assert [a.policy.id for a in indexed] == [a.policy.id for a in scanned]
    assert indexed  # the intent-free policies apply to every intent


# --------------------------------------------------------------------------- governs + ancestors

ANCESTORS = [
    # (condition, governed labels, labels carried, applies)
    ("a policy on an ancestor applies to a descendant", {"pii"}, ("email",), True),
    ("a policy on the root applies three levels down", {"confidential"}, ("email",), True),
    ("a policy on a descendant does not apply to its ancestor", {"email"}, ("pii",), False),
    ("a policy on a sibling branch does not apply", {"restricted"}, ("email",), False),
    ("a policy on the label itself applies", {"contact"}, ("contact",), True),
]


@pytest.mark.parametrize(
    ("governs", "labels", "applies"),
    [row[1:] for row in ANCESTORS],
    ids=[row[0] for row in ANCESTORS],
)
def test_when_a_label_is_carried_then_policies_on_its_ancestors_apply(
    governs: set[str], labels: tuple[str, ...], applies: bool
) -> None:
    view = View(labels=carried(*labels))
    assert applied((policy(governs=frozenset(governs)),), view) == (["p"] if applies else [])


def test_when_a_policy_governs_an_ancestor_then_its_path_climbs_the_label_tree() -> None:
    (app,), _ = applicable_policies(
        snapshot(policy(governs=frozenset({"pii"}))), View(labels=carried("email")).build()
    )
    assert app.path == (
        "Document:d1",
        "HAS_LABEL",
        "SensitivityLabel:email",
        "SUBLABEL_OF",
        "SensitivityLabel:contact",
        "SUBLABEL_OF",
        "SensitivityLabel:pii",
        "GOVERNS",
        "Policy:p",
    )


# --------------------------------------------------------------------------- paths

PATHS = [
    # (condition, policy scope, expected path)
    ("unscoped", {}, ("Policy:p",)),
    (
        "scoped by intent",
        {"intents": frozenset({"summarize"})},
        ("Decision:dec_1", "MATCHED", "Intent:summarize", "APPLIES_TO", "Policy:p"),
    ),
    (
        "scoped by roles: the first matching role",
        {"roles": frozenset({"zeta", "employee", "analyst"})},
        ("Principal:alice", "HAS_ROLE", "Role:analyst", "APPLIES_TO", "Policy:p"),
    ),
    (
        "scoped by tenant",
        {"tenants": frozenset({"acme"})},
        ("Principal:alice", "MEMBER_OF", "Tenant:acme", "APPLIES_TO", "Policy:p"),
    ),
    (
        "governs wins over scope: the label path",
        {"governs": frozenset({"pci"}), "intents": frozenset({"summarize"})},
        ("Document:d1", "HAS_LABEL", "SensitivityLabel:pci", "GOVERNS", "Policy:p"),
    ),
    (
        "intent wins over role",
        {"intents": frozenset({"summarize"}), "roles": frozenset({"analyst"})},
        ("Decision:dec_1", "MATCHED", "Intent:summarize", "APPLIES_TO", "Policy:p"),
    ),
]


@pytest.mark.parametrize(
    ("scope", "path"), [row[1:] for row in PATHS], ids=[row[0] for row in PATHS]
)
def test_when_a_policy_applies_then_its_path_names_what_made_it_apply(
    scope: dict[str, Any], path: tuple[str, ...]
) -> None:
    view = View(roles=frozenset({"employee", "analyst"}), labels=carried("pci"))
    (app,), _ = applicable_policies(snapshot(policy(**scope)), view.build())
    assert app.path == path


def test_when_several_labels_are_governed_then_the_shortest_evidence_is_the_path() -> None:
    labels = carried("email") | {
        "pci": LabelEvidence("pci", ("Document:d2", "HAS_LABEL", "SensitivityLabel:pci"))
    }
    (app,), _ = applicable_policies(
        snapshot(policy(governs=frozenset({"pii", "pci"}))), View(labels=labels).build()
    )
    assert app.path == ("Document:d2", "HAS_LABEL", "SensitivityLabel:pci", "GOVERNS", "Policy:p")


def test_when_policies_apply_then_they_are_ordered_by_priority_then_id() -> None:
    policies = (
        policy("b", priority=1),
        policy("a", priority=1),
        policy("z", priority=5),
        policy("m", priority=-3),
    )
    assert applied(policies, View()) == ["z", "a", "b", "m"]


# --------------------------------------------------------------------------- verdict


def reasons_of(*pairs: tuple[str, Effect]) -> tuple[Applicable, ...]:
    return tuple(Applicable(policy(pid, effect), (f"Policy:{pid}",)) for pid, effect in pairs)


DEFAULT_DENY = Reason(None, None, "No policy allows this request (default deny).")

VERDICT = [
    # (condition, applicable (id, effect), issues, deny, reason policy ids)
    ("an allow applies", [("a", Effect.ALLOW)], [], False, ["a"]),
    ("every allow is a reason", [("a", Effect.ALLOW), ("b", Effect.ALLOW)], [], False, ["a", "b"]),
    ("deny wins over allow", [("a", Effect.ALLOW), ("d", Effect.DENY)], [], True, ["d"]),
    ("every deny is a reason", [("d", Effect.DENY), ("e", Effect.DENY)], [], True, ["d", "e"]),
    ("nothing applies: default deny", [], [], True, [None]),
    (
        "only label actions and constraints: default deny",
        [("r", Effect.REDACT), ("c", Effect.CONSTRAIN), ("x", Effect.DROP)],
        [],
        True,
        [None],
    ),
    ("an errored deny still denies", [("a", Effect.ALLOW)], ["broken-deny"], True, ["broken-deny"]),
    (
        "an errored deny adds to applicable denies",
        [("d", Effect.DENY)],
        ["broken-deny"],
        True,
        ["d", "broken-deny"],
    ),
    ("an errored allow is skipped", [("a", Effect.ALLOW)], ["broken-allow"], False, ["a"]),
    ("an errored allow alone: default deny", [], ["broken-allow"], True, [None]),
    ("an issue for an unknown policy is skipped", [("a", Effect.ALLOW)], ["gone"], False, ["a"]),
]


@pytest.mark.parametrize(
    ("applicable", "issues", "deny", "reason_ids"),
    [row[1:] for row in VERDICT],
    ids=[row[0] for row in VERDICT],
)
def test_when_policies_combine_then_deny_wins_and_default_is_deny(
    applicable: list[tuple[str, Effect]],
    issues: list[str],
    deny: bool,
    reason_ids: list[str | None],
) -> None:
    snap = snapshot(policy("broken-deny", Effect.DENY), policy("broken-allow", Effect.ALLOW))
    judged = verdict(
        reasons_of(*applicable), tuple(RuleIssue(i, "could not be evaluated") for i in issues), snap
    )
    assert judged.deny is deny
    assert [r.policy_id for r in judged.reasons] == reason_ids
    if reason_ids == [None]:
        assert judged.reasons == (DEFAULT_DENY,)
    for reason in judged.reasons:
        if reason.policy_id in issues:
            assert reason.effect is Effect.DENY
            assert "could not be evaluated" in reason.sentence


def test_when_a_policy_cannot_be_evaluated_then_it_is_recorded_and_a_deny_still_denies() -> None:
    malformed = policy("broken", Effect.DENY, roles=cast(Any, 42))  # `42 & roles` raises
    snap = snapshot(malformed, policy("allow-all"))
    found, issues = applicable_policies(snap, View().build())
    assert [a.policy.id for a in found] == ["allow-all"]
    assert [i.policy_id for i in issues] == ["broken"]
    assert "TypeError" in issues[0].message
    judged = verdict(found, issues, snap)
    assert judged.deny
    assert [r.policy_id for r in judged.reasons] == ["broken"]


# --------------------------------------------------------------------------- label actions

RESTRICTIVENESS = [
    # (condition, effects of policies governing the label in applicable order, winner)
    ("drop beats redact", [Effect.REDACT, Effect.DROP], Effect.DROP),
    ("redact beats hash", [Effect.HASH, Effect.REDACT], Effect.REDACT),
    ("hash beats mask", [Effect.MASK, Effect.HASH], Effect.HASH),
    ("mask beats pseudonymize", [Effect.PSEUDONYMIZE, Effect.MASK], Effect.MASK),
    ("pseudonymize alone", [Effect.PSEUDONYMIZE], Effect.PSEUDONYMIZE),
    (
        "the most restrictive of all five",
        [Effect.PSEUDONYMIZE, Effect.MASK, Effect.DROP, Effect.HASH, Effect.REDACT],
        Effect.DROP,
    ),
    (
        "allow, deny and constrain are not label actions",
        [Effect.ALLOW, Effect.DENY, Effect.CONSTRAIN],
        None,
    ),
    ("a label action beats allow", [Effect.ALLOW, Effect.MASK], Effect.MASK),
    ("no policy governs the label", [], None),
]


@pytest.mark.parametrize(
    ("effects", "winner"),
    [row[1:] for row in RESTRICTIVENESS],
    ids=[row[0] for row in RESTRICTIVENESS],
)
def test_when_several_actions_govern_a_label_then_the_most_restrictive_wins(
    effects: list[Effect], winner: Effect | None
) -> None:
    applicable = tuple(
        Applicable(policy(f"p{i}", effect, governs=frozenset({"email"})), ())
        for i, effect in enumerate(effects)
    )
    chosen = label_action(("email", "contact", "pii"), applicable)
    assert (chosen[0] if chosen else None) == winner


LABEL_ACTION_SCOPE = [
    # (condition, governed labels of a redact policy, labels of the entity, acts)
    ("governs the entity's own label", {"email"}, ("email", "contact", "pii"), True),
    ("governs an ancestor in the entity's family", {"pii"}, ("email", "contact", "pii"), True),
    ("governs another label", {"pci"}, ("email", "contact", "pii"), False),
    ("governs a descendant only", {"email"}, ("contact", "pii"), False),
]


@pytest.mark.parametrize(
    ("governs", "labels", "acts"),
    [row[1:] for row in LABEL_ACTION_SCOPE],
    ids=[row[0] for row in LABEL_ACTION_SCOPE],
)
def test_when_an_entity_has_labels_then_actions_on_any_of_them_act(
    governs: set[str], labels: tuple[str, ...], acts: bool
) -> None:
    applicable = (Applicable(policy("r", Effect.REDACT, governs=frozenset(governs)), ()),)
    assert (label_action(labels, applicable) is not None) is acts


def test_when_two_policies_tie_on_restrictiveness_then_the_first_applicable_wins() -> None:
    first = Applicable(policy("high", Effect.MASK, priority=9, governs=frozenset({"pii"})), ())
    second = Applicable(policy("low", Effect.MASK, governs=frozenset({"email"})), ())
    chosen = label_action(("email", "pii"), (first, second))
    assert chosen == (Effect.MASK, first)


def test_when_effects_are_ranked_then_the_order_is_drop_redact_hash_mask_pseudonymize() -> None:
    ranked = sorted(Effect, key=Restrictiveness.of, reverse=True)
    assert ranked[:5] == [Effect.DROP, Effect.REDACT, Effect.HASH, Effect.MASK, Effect.PSEUDONYMIZE]
    assert {Restrictiveness.of(e) for e in (Effect.ALLOW, Effect.DENY, Effect.CONSTRAIN)} == {
        Restrictiveness.ALLOW
    }


# --------------------------------------------------------------------------- route constraints

EU_US = frozenset({"eu", "us"})

CONSTRAINTS = [
    # (condition, [(effect, constraints)], expected)
    ("nothing applies: unconstrained", [], RouteConstraints()),
    (
        "one jurisdiction list",
        [(Effect.CONSTRAIN, RouteConstraints(jurisdictions=EU_US))],
        RouteConstraints(jurisdictions=EU_US),
    ),
    (
        "jurisdictions intersect",
        [
            (Effect.CONSTRAIN, RouteConstraints(jurisdictions=EU_US)),
            (Effect.ALLOW, RouteConstraints(jurisdictions=frozenset({"eu", "ch"}))),
        ],
        RouteConstraints(jurisdictions=frozenset({"eu"})),
    ),
    (
        "an unconstrained policy does not widen a list",
        [
            (Effect.CONSTRAIN, RouteConstraints(jurisdictions=frozenset({"eu"}))),
            (Effect.CONSTRAIN, RouteConstraints()),
        ],
        RouteConstraints(jurisdictions=frozenset({"eu"})),
    ),
    (
        "disjoint jurisdictions intersect to nowhere",
        [
            (Effect.CONSTRAIN, RouteConstraints(jurisdictions=frozenset({"eu"}))),
            (Effect.REDACT, RouteConstraints(jurisdictions=frozenset({"us"}))),
        ],
        RouteConstraints(jurisdictions=frozenset({NOWHERE})),
    ),
    (
        "regions intersect",
        [
            (Effect.CONSTRAIN, RouteConstraints(regions=frozenset({"eu-west", "eu-central"}))),
            (Effect.CONSTRAIN, RouteConstraints(regions=frozenset({"eu-central"}))),
        ],
        RouteConstraints(regions=frozenset({"eu-central"})),
    ),
    (
        "disjoint regions intersect to nowhere",
        [
            (Effect.CONSTRAIN, RouteConstraints(regions=frozenset({"eu-west"}))),
            (Effect.CONSTRAIN, RouteConstraints(regions=frozenset({"us-east"}))),
        ],
        RouteConstraints(regions=frozenset({NOWHERE})),
    ),
    (
        "certifications add up",
        [
            (Effect.CONSTRAIN, RouteConstraints(certifications=frozenset({"pci_dss"}))),
            (Effect.CONSTRAIN, RouteConstraints(certifications=frozenset({"hipaa"}))),
        ],
        RouteConstraints(certifications=frozenset({"pci_dss", "hipaa"})),
    ),
    (
        "forbidden providers and models add up",
        [
            (Effect.CONSTRAIN, RouteConstraints(forbid_providers=frozenset({"a"}))),
            (
                Effect.MASK,
                RouteConstraints(forbid_providers=frozenset({"b"}), forbid_models=frozenset({"m"})),
            ),
        ],
        RouteConstraints(forbid_providers=frozenset({"a", "b"}), forbid_models=frozenset({"m"})),
    ),
    (
        "one no_training is enough",
        [
            (Effect.CONSTRAIN, RouteConstraints(no_training=False)),
            (Effect.CONSTRAIN, RouteConstraints(no_training=True)),
        ],
        RouteConstraints(no_training=True),
    ),
    (
        "the shortest retention wins",
        [
            (Effect.CONSTRAIN, RouteConstraints(max_retention_days=30)),
            (Effect.CONSTRAIN, RouteConstraints(max_retention_days=7)),
        ],
        RouteConstraints(max_retention_days=7),
    ),
    (
        "zero retention is a limit, not 'no limit'",
        [
            (Effect.CONSTRAIN, RouteConstraints(max_retention_days=0)),
            (Effect.CONSTRAIN, RouteConstraints(max_retention_days=30)),
        ],
        RouteConstraints(max_retention_days=0),
    ),
    (
        "zero retention after an unlimited policy",
        [
            (Effect.CONSTRAIN, RouteConstraints()),
            (Effect.CONSTRAIN, RouteConstraints(max_retention_days=0)),
        ],
        RouteConstraints(max_retention_days=0),
    ),
    (
        "a deny's constraints are ignored",
        [(Effect.DENY, RouteConstraints(jurisdictions=frozenset({"eu"}), no_training=True))],
        RouteConstraints(),
    ),
]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [row[1:] for row in CONSTRAINTS],
    ids=[row[0] for row in CONSTRAINTS],
)
def test_when_policies_constrain_the_route_then_every_constraint_must_hold(
    parts: list[tuple[Effect, RouteConstraints]], expected: RouteConstraints
) -> None:
    applicable = tuple(
        Applicable(policy(f"p{i}", effect, constraints=c), ())
        for i, (effect, c) in enumerate(parts)
    )
    assert route_constraints(applicable) == expected


# --------------------------------------------------------------------------- preferences

PREFERENCES = [
    # (condition, [(effect, models, providers)] in applicable order, expected)
    ("nothing prefers", [], ()),
    (
        "one tier per preferring policy, higher priority first",
        [(Effect.CONSTRAIN, ("m1",), ("pa",)), (Effect.ALLOW, ("m2", "m1"), ("pb",))],
        ((("m1",), ("pa",)), (("m2", "m1"), ("pb",))),
    ),
    ("a deny's preferences are ignored", [(Effect.DENY, ("m1",), ("pa",))], ()),
    ("a policy that prefers nothing adds no tier", [(Effect.CONSTRAIN, (), ())], ()),
    (
        "a label action may prefer",
        [(Effect.REDACT, ("m3",), ()), (Effect.CONSTRAIN, (), ("pa",))],
        ((("m3",), ()), ((), ("pa",))),
    ),
]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [row[1:] for row in PREFERENCES],
    ids=[row[0] for row in PREFERENCES],
)
def test_when_policies_prefer_models_then_order_follows_the_applicable_order(
    parts: list[tuple[Effect, tuple[str, ...], tuple[str, ...]]],
    expected: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...],
) -> None:
    applicable = tuple(
        Applicable(policy(f"p{i}", effect, prefer_models=m, prefer_providers=p), ())
        for i, (effect, m, p) in enumerate(parts)
    )
    assert preferences(applicable) == expected


# --------------------------------------------------------------------------- constraint reasons

SHAPING = [
    # (condition, policy, is a constraint reason)
    ("a constrain policy", policy(effect=Effect.CONSTRAIN), True),
    ("a label action", policy(effect=Effect.HASH), True),
    ("a drop", policy(effect=Effect.DROP), True),
    ("a plain allow", policy(effect=Effect.ALLOW), False),
    (
        "an allow with constraints",
        policy(effect=Effect.ALLOW, constraints=RouteConstraints(no_training=True)),
        True,
    ),
    ("a deny", policy(effect=Effect.DENY), False),
]


@pytest.mark.parametrize(
    ("spec", "shapes"), [row[1:] for row in SHAPING], ids=[row[0] for row in SHAPING]
)
def test_when_a_policy_shapes_text_or_route_then_it_is_a_constraint_reason(
    spec: PolicySpec, shapes: bool
) -> None:
    reasons = constraint_reasons((Applicable(spec, ("Policy:p",)),))
    assert reasons == ((Reason("p", spec.effect, "policy p", ("Policy:p",)),) if shapes else ())


def test_when_labels_are_removed_on_a_path_then_policies_on_them_do_not_apply() -> None:
    # The view is built from effective labels: a transform that removes pii removes
    # email too (it is pii), so a policy on pii has nothing to govern.
    path = RawLabelPath(
        ("DataSource:extract", "DataSource:crm"),
        (Hop("DERIVED_FROM", frozenset({"pii"})),),
        "email",
    )
    labels = {e.label: e for e in effective_labels([path], ancestry)}
    assert labels == {}
    view = replace(View(), labels=labels)
    assert applied((policy(governs=frozenset({"pii"})),), view) == []
