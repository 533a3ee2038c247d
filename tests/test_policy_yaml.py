"""Reading and validating policy YAML, without a graph: errors name file, line, field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.errors import InvalidPolicyData
from loaders.bundle import Bundle
from loaders.graph_mapping import from_graph, to_graph
from loaders.policy_load import read_bundle
from loaders.yaml_source import parse_policy_text

MINIMAL = Path(__file__).parent / "data" / "minimal"


def problems_of(text: str) -> list[str]:
    with pytest.raises(InvalidPolicyData) as caught:
        parse_policy_text(text, "p.yaml")
    return [str(p) for p in caught.value.problems]


def bundle_problems(tmp_path: Path, extra: str) -> list[str]:
    work = tmp_path / "policy"
    shutil.copytree(MINIMAL, work)
    (work / "extra.yaml").write_text(extra, encoding="utf-8")
    with pytest.raises(InvalidPolicyData) as caught:
        read_bundle(work)
    return [str(p) for p in caught.value.problems]


def test_when_minimal_directory_then_it_validates_and_hash_is_stable() -> None:
    first = read_bundle(MINIMAL)
    second = read_bundle(MINIMAL)
    assert first.content_hash() == second.content_hash()
    assert first.content_hash().startswith("sha256:")


def test_when_items_are_reordered_and_split_differently_then_hash_is_unchanged(
    tmp_path: Path,
) -> None:
    original = read_bundle(MINIMAL)
    merged = "\n".join(
        (MINIMAL / name).read_text(encoding="utf-8")
        for name in ("policies.yaml", "world.yaml", "identity.yaml")
    )
    merged = merged.replace("roles: [analyst]", "roles: [analyst, analyst]")
    (tmp_path / "all.yaml").write_text(merged, encoding="utf-8")
    assert read_bundle(tmp_path).content_hash() == original.content_hash()


def test_when_field_has_wrong_type_then_problem_names_line_and_path() -> None:
    found = problems_of("labels:\n  - id: x\n    name: X\n    level: secret\n")
    assert len(found) == 1
    assert found[0].startswith("p.yaml:line 4: labels[0].level:")
    assert "public" in found[0]


def test_when_field_is_unknown_then_problem_says_so() -> None:
    found = problems_of("tenants:\n  - id: t\n    name: T\n    colour: blue\n")
    assert found == ["p.yaml:line 4: tenants[0].colour: is not a known field"]


def test_when_section_is_misspelled_then_problem_suggests_the_right_one() -> None:
    found = problems_of("tenant:\n  - id: t\n    name: T\n")
    assert "did you mean 'tenants'" in found[0]


def test_when_yaml_is_malformed_then_problem_gives_line_and_column() -> None:
    found = problems_of("tenants:\n  - id: t\n   name: [unclosed\n")
    assert "is not valid YAML" in found[0]
    assert "line 3" in found[0]


def test_when_key_is_duplicated_then_it_is_refused() -> None:
    found = problems_of("tenants:\n  - id: t\n    name: T\n    name: U\n")
    assert found == ["p.yaml:line 4: tenants[0].name: duplicate key 'name'"]


def test_when_yaml_uses_aliases_then_it_is_refused() -> None:
    found = problems_of("tenants:\n  - &a {id: t, name: T}\n  - *a\n")
    assert "anchors and aliases are not supported" in found[0]


def test_when_regex_does_not_compile_then_problem_points_at_it() -> None:
    text = (
        "entity_types:\n  - id: ACCT\n    indicates: [pii]\n    recognizer:\n"
        "      patterns:\n        - regex: 'AC-(\\d{8}'\n"
    )
    found = problems_of(text)
    assert "entity_types[0].recognizer.patterns[0].regex" in found[0]
    assert "line 6" in found[0]


def test_when_label_action_has_no_labels_then_policy_is_refused() -> None:
    found = problems_of("policies:\n  - id: p\n    description: d\n    effect: redact\n")
    assert "governs" in found[0]


def test_when_reference_dangles_then_problem_names_item_field_and_target(tmp_path: Path) -> None:
    found = bundle_problems(
        tmp_path,
        "policies:\n  - id: p2\n    description: d\n    effect: redact\n    governs: [nope]\n",
    )
    assert found == ["extra.yaml:line 2: policies.p2.governs[0]: unknown label 'nope'"]


def test_when_id_is_duplicated_across_files_then_both_places_are_named(tmp_path: Path) -> None:
    found = bundle_problems(tmp_path, "tenants:\n  - {id: acme-eu, name: Again}\n")
    assert found == [
        "identity.yaml:line 2: tenants.acme-eu: duplicate id; first defined at extra.yaml:line 2"
    ]


def test_when_lineage_loops_then_the_cycle_is_reported(tmp_path: Path) -> None:
    found = bundle_problems(
        tmp_path,
        "data_sources:\n"
        "  - {id: a, name: A, derived_from: [{source: b}]}\n"
        "  - {id: b, name: B, derived_from: [{source: a}]}\n",
    )
    assert any("lineage (derived_from) has a cycle" in p for p in found)


def test_when_label_hierarchy_loops_then_the_cycle_is_reported(tmp_path: Path) -> None:
    found = bundle_problems(
        tmp_path,
        "labels:\n"
        "  - {id: x, name: X, level: public, parent: y}\n"
        "  - {id: y, name: Y, level: public, parent: x}\n",
    )
    assert any("label hierarchy (parent) has a cycle" in p for p in found)


def test_when_hostile_unicode_in_ids_then_they_are_refused() -> None:
    found = problems_of('tenants:\n  - id: "t\u200bx"\n    name: T\n')
    assert "tenants[0].id" in found[0]


def test_when_bundle_goes_to_graph_rows_and_back_then_content_is_identical() -> None:
    bundle = read_bundle(MINIMAL)
    again = Bundle.from_document(from_graph(to_graph(bundle)), "graph")
    assert again.canonical() == bundle.canonical()
