"""`govroute policy diff A B`: what changed, item by item, and what it does to decisions.

Changes are made to copies of the reference enterprise; the impact is computed on the
pure core, and the comparison with a stored version runs against the session's Neo4j.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import store
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from lifecycle.impact import impact
from lifecycle.offline import offline_world
from lifecycle.semantic_diff import content_diff
from loaders.policy_load import read_bundle
from tests.conftest import load_enterprise

ROOT = Path(__file__).resolve().parents[1]
ENTERPRISE = ROOT / "examples" / "enterprise"

DENY_COMPENSATION_FOR_ENGINEERS = """
  - id: deny-compensation-for-engineers
    description: Engineers may not send compensation data to a model.
    effect: deny
    priority: 900
    applies_to: {roles: [engineer]}
    governs: [compensation]
"""


def enterprise_copy(tmp_path: Path, name: str = "changed") -> Path:
    work = tmp_path / name
    shutil.copytree(ENTERPRISE, work, ignore=shutil.ignore_patterns("cases"))
    return work


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def with_engineers_denied_compensation(tmp_path: Path) -> Path:
    work = enterprise_copy(tmp_path)
    with (work / "policies.yaml").open("a", encoding="utf-8") as f:
        f.write(DENY_COMPENSATION_FOR_ENGINEERS)
    return work


def test_when_one_label_becomes_denied_for_one_role_then_exactly_that_impact_shows(
    tmp_path: Path,
) -> None:
    before, after = (
        read_bundle(ENTERPRISE),
        read_bundle(with_engineers_denied_compensation(tmp_path)),
    )
    engineers = [p.id for p in before.document().principals if "engineer" in p.roles]

    diff = content_diff(before, after)
    found = impact(offline_world(before), offline_world(after))

    assert [(s.section, s.added, s.removed, s.changed) for s in diff.sections] == [
        ("policies", ("deny-compensation-for-engineers",), (), ())
    ]
    assert found.outcomes
    assert {(o.principals, o.label, o.after) for o in found.outcomes} == {
        (tuple(engineers), "compensation", "deny")
    }
    assert all(o.before != "deny" for o in found.outcomes)
    assert found.routes == ()
    assert found.documents == ()


def test_when_a_provider_ban_governs_fewer_labels_then_routes_gain_its_models(
    tmp_path: Path,
) -> None:
    work = enterprise_copy(tmp_path)
    edit(
        work / "policies.yaml",
        "    governs: [confidential, restricted]\n    constraints:\n      forbid_providers:",
        "    governs: [restricted]\n    constraints:\n      forbid_providers:",
    )
    before, after = read_bundle(ENTERPRISE), read_bundle(work)
    lumen = {m.id for m in before.document().models if m.provider == "lumen-open"}

    diff = content_diff(before, after)
    found = impact(offline_world(before), offline_world(after))

    (section,) = diff.sections
    (item,) = section.changed
    assert (section.section, item.id) == ("policies", "no-sensitive-data-to-lumen")
    assert [f.describe() for f in item.fields] == ["governs: -confidential"]
    # Lumen's models now serve confidential data; as candidates are capped, each one
    # gained pushes out the last compliant fallback, never one of Lumen's.
    assert found.routes
    assert {m for r in found.routes for m in r.gained} <= lumen
    assert not {m for r in found.routes for m in r.lost} & lumen
    assert "confidential" in {r.label for r in found.routes}
    restricted = {"restricted", "pci", "cardholder_data", "phi", "health_record", "aml_sar"}
    assert not {r.label for r in found.routes} & restricted
    assert found.outcomes == ()


def test_when_a_role_loses_access_to_a_source_then_its_documents_become_withheld(
    tmp_path: Path,
) -> None:
    work = enterprise_copy(tmp_path)
    edit(
        work / "identity.yaml",
        "      - source: hr-workday\n        purposes: [hr]\n",
        '      - source: public-website\n        purposes: ["*"]\n',
    )
    before, after = read_bundle(ENTERPRISE), read_bundle(work)
    hr_docs = {d.id for d in before.document().documents if d.source == "hr-workday"}
    hr_partners = tuple(p.id for p in before.document().principals if "hr_partner" in p.roles)

    found = impact(offline_world(before), offline_world(after))

    assert found.documents
    assert {d.document for d in found.documents} <= hr_docs | {"hr-workday"}
    assert {d.principals for d in found.documents} == {hr_partners}
    assert {d.after for d in found.documents} == {"withheld (no_access)"}


def test_when_both_sides_are_the_same_content_then_no_changes_and_exit_0(tmp_path: Path) -> None:
    # Same content, laid out differently: a file renamed is no change.
    work = enterprise_copy(tmp_path)
    (work / "policies.yaml").rename(work / "zz_policies.yaml")

    done = CliRunner().invoke(app, ["policy", "diff", str(ENTERPRISE), str(work)])

    assert done.exit_code == 0, done.output
    assert "no changes: same content, same decisions" in done.output


def test_when_a_side_is_neither_a_version_nor_a_path_then_the_error_says_so() -> None:
    done = CliRunner().invoke(app, ["policy", "diff", str(ENTERPRISE), "no/such/dir"])

    assert done.exit_code == 2
    assert "'no/such/dir' is neither a stored version (a number) nor a file or directory" in (
        done.output
    )


@pytest.mark.neo4j
def test_when_a_stored_version_is_compared_with_a_directory_then_the_json_names_the_impact(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path: Path
) -> None:
    load_enterprise(graph)
    active = store.active_policy_set(graph)
    assert active is not None
    assert neo4j_settings.password is not None
    env = {
        "NEO4J_URI": neo4j_settings.uri or "",
        "NEO4J_USER": neo4j_settings.user,
        "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value(),
    }
    changed = with_engineers_denied_compensation(tmp_path)
    runner = CliRunner()

    same = runner.invoke(app, ["policy", "diff", str(active.version), str(ENTERPRISE)], env=env)
    done = runner.invoke(
        app, ["policy", "diff", f"v{active.version}", str(changed), "--json"], env=env
    )

    assert same.exit_code == 0, same.output
    assert f"policy diff v{active.version} -> {ENTERPRISE}" in same.output
    assert "no changes" in same.output
    assert done.exit_code == 1, done.output
    report = json.loads(done.output)
    assert (report["before"], report["after"], report["changed"]) == (
        f"v{active.version}",
        str(changed),
        True,
    )
    assert report["content"] == [
        {
            "section": "policies",
            "added": ["deny-compensation-for-engineers"],
            "removed": [],
            "changed": [],
        }
    ]
    outcomes = report["impact"]["outcomes"]
    assert outcomes
    assert {(o["label"], o["after"]) for o in outcomes} == {("compensation", "deny")}
    assert report["impact"]["routes"] == []
    assert report["impact"]["documents"] == []
