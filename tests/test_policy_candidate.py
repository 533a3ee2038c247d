"""Candidates: content recorded without being applied, and rollouts on them (graph.store)."""

from __future__ import annotations

import pytest

from engine.errors import InvalidPolicyData, NotFound
from engine.model import ItemFacts
from graph import store
from graph.connection import GraphClient
from lifecycle.offline import offline_world
from loaders.bundle import Bundle
from loaders.policy_load import LoadReport, read_bundle, stage_bundle, stored_bundle
from loaders.spec import PolicyDocument
from tests.conftest import ENTERPRISE


def _without_wiki_for_employees() -> Bundle:
    """The enterprise with the employee role's access to the wiki taken away."""
    doc = read_bundle(ENTERPRISE).canonical()
    for role in doc["roles"]:
        if role["id"] == "employee":
            role["can_access"] = [g for g in role["can_access"] if g["source"] != "wiki"]
    return Bundle.from_document(PolicyDocument.model_validate(doc), "edited")


def test_when_content_is_staged_then_the_active_version_keeps_serving(
    graph: GraphClient, enterprise: LoadReport
) -> None:
    active = store.active_policy_set(graph)
    staged = stage_bundle(graph, _without_wiki_for_employees(), author="ana", message="tighten")
    assert staged.policy_set is not None
    assert staged.policy_set.status == "candidate"
    assert active is not None
    assert staged.policy_set.version > active.version
    assert store.active_policy_set(graph) == active
    assert stored_bundle(graph, staged.policy_set.version).content_hash() == staged.content_hash


def test_when_the_active_content_is_staged_then_nothing_is_recorded(
    graph: GraphClient, enterprise: LoadReport
) -> None:
    before = len(store.list_policy_sets(graph))
    report = stage_bundle(graph, read_bundle(ENTERPRISE), author="ana", message="same")
    assert report.policy_set is None
    assert len(store.list_policy_sets(graph)) == before


def test_when_a_rollout_starts_then_it_replaces_any_other_and_ends_with_a_reason(
    graph: GraphClient, enterprise: LoadReport
) -> None:
    first = stage_bundle(graph, _without_wiki_for_employees(), author="ana", message="a")
    assert first.policy_set is not None
    v = first.policy_set.version
    shadow = store.start_rollout(graph, v, "shadow", by="ops")
    assert (shadow.mode, shadow.policy_set.version) == ("shadow", v)
    canary = store.start_rollout(graph, v, "canary", by="ops", percent=10, tenants=["nw-eu"])
    assert store.rollout_candidate(graph) == canary
    assert canary.tenants == ("nw-eu",)
    ended = store.end_rollout(graph, v, reason="drift: deny rate")
    assert ended is not None
    assert store.rollout_candidate(graph) is None
    with pytest.raises(NotFound):
        store.start_rollout(graph, 10_000, "shadow", by="ops")
    with pytest.raises(InvalidPolicyData, match="percent"):
        store.start_rollout(graph, v, "canary", by="ops", percent=140)


def test_when_a_candidate_takes_a_grant_away_then_live_facts_lose_it_under_the_candidate() -> None:
    world = offline_world(_without_wiki_for_employees())
    roles = frozenset({"employee"})
    live = offline_world(read_bundle(ENTERPRISE)).item_facts(["wiki"], roles, "nw-eu")
    assert live["wiki"].grants
    under = world.facts_under(live, roles, "nw-eu")
    assert under["wiki"].found
    assert under["wiki"].grants == ()
    unknown = {"nope": ItemFacts(id="nope", found=False)}
    assert world.facts_under(unknown, roles, "nw-eu") == unknown
