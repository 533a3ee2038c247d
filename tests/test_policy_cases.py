"""`govroute policy test`: decision cases of a policy directory, run as CI runs them.

The shipped examples' cases go through the real command in a subprocess; broken,
malformed and missing cases must fail loudly (exit code, diff, file/case/field).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from engine.errors import InvalidCases
from lifecycle.cases import case_files, case_schema, read_cases
from loaders.policy_load import read_bundle

ROOT = Path(__file__).resolve().parents[1]
ENTERPRISE = ROOT / "examples" / "enterprise"
INSURER = ROOT / "examples" / "health_insurer"
MINIMAL = ROOT / "tests" / "data" / "minimal"


def govroute(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def minimal_copy(tmp_path: Path) -> Path:
    work = tmp_path / "minimal"
    shutil.copytree(MINIMAL, work)
    return work


def edit_case(path: Path, index: int, **expect: object) -> None:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases[index]["expect"].update(expect)
    path.write_text(yaml.safe_dump(cases, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("policy_dir", [ENTERPRISE, INSURER], ids=["enterprise", "insurer"])
def test_when_the_shipped_examples_cases_run_through_the_cli_then_all_pass(
    policy_dir: Path, tmp_path: Path
) -> None:
    junit = tmp_path / "cases.xml"

    run = govroute("policy", "test", policy_dir, "--junit", junit)

    assert run.returncode == 0, run.stdout + run.stderr
    count = len(read_cases(case_files(policy_dir)))
    assert f"{count} passed, 0 failed, {count} cases" in run.stdout
    suite = ET.parse(junit).getroot().find("testsuite")  # noqa: S314 - the file this test wrote
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        str(count),
        "0",
        "0",
    )


def test_when_an_expectation_is_broken_then_exit_code_1_and_an_expected_vs_actual_diff(
    tmp_path: Path,
) -> None:
    work = minimal_copy(tmp_path)
    edit_case(work / "cases" / "minimal.yaml", 0, outcome="deny", exposed=["doc-2"])
    junit = tmp_path / "cases.xml"

    run = govroute("policy", "test", work, "--junit", junit)

    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAIL minimal-card-data-routes-to-the-pci-certified-eu-model" in run.stdout
    assert "outcome:\n      expected: deny\n      actual:   allow_with_redactions" in run.stdout
    assert "exposed:\n      expected: [doc-2]\n      actual:   [doc-1]" in run.stdout
    assert "1 passed, 1 failed, 2 cases" in run.stdout
    (failure,) = ET.parse(junit).getroot().iter("failure")  # noqa: S314 - the file this test wrote
    assert failure.get("message") == "outcome: expected deny, got allow_with_redactions"


def test_when_a_directory_has_no_cases_then_the_command_fails_instead_of_passing(
    tmp_path: Path,
) -> None:
    work = minimal_copy(tmp_path)
    shutil.rmtree(work / "cases")

    run = govroute("policy", "test", work)

    assert run.returncode == 2
    assert "no decision cases found" in run.stderr


def test_when_a_case_names_an_unknown_principal_then_it_fails_saying_so(tmp_path: Path) -> None:
    work = minimal_copy(tmp_path)
    path = work / "cases" / "minimal.yaml"
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases[1]["principal"] = "mallory"
    path.write_text(yaml.safe_dump(cases, sort_keys=False), encoding="utf-8")

    run = govroute("policy", "test", work)

    assert run.returncode == 1
    assert "could not run: no principal 'mallory' in the policy (known: alice" in run.stdout


def test_when_a_case_file_is_malformed_then_the_error_names_file_line_case_and_field(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "- name: typo-in-outcome\n"
        "  principal: alice\n"
        "  intent: {id: summarize}\n"
        "  request: {prompt: hello}\n"
        "  expect:\n"
        "    outcome: alow\n"
        "- name: unknown-key\n"
        "  principal: alice\n"
        "  intent: {id: summarize}\n"
        "  request: {prompt: hello, purpse: analytics}\n"
        "  expect: {outcome: allow}\n",
        encoding="utf-8",
    )

    with pytest.raises(InvalidCases) as caught:
        read_cases([bad], relative_to=tmp_path)

    got = [(p.source, p.location, p.path) for p in caught.value.problems]
    assert got == [
        ("bad.yaml", "line 6", "case 'typo-in-outcome': expect.outcome"),
        ("bad.yaml", "line 10", "case 'unknown-key': request.purpse"),
    ]
    outcomes = "'allow', 'allow_with_redactions', 'deny' or 'review'"
    assert outcomes in caught.value.problems[0].message
    assert caught.value.problems[1].message == "is not a known field"


def test_when_two_cases_share_a_name_then_the_second_is_reported(tmp_path: Path) -> None:
    one = (
        "- {name: same, principal: alice, intent: {id: x}, request: {prompt: a},"
        " expect: {outcome: allow}}\n"
    )
    (tmp_path / "a.yaml").write_text(one, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(one, encoding="utf-8")

    with pytest.raises(InvalidCases) as caught:
        read_cases(case_files(tmp_path, [tmp_path]), relative_to=tmp_path)

    assert [str(p) for p in caught.value.problems] == [
        "a.yaml:line 1: name: duplicate case name 'same'"
    ]


def test_when_the_case_schema_is_printed_then_every_shipped_case_file_validates_against_it() -> (
    None
):
    run = govroute("policy", "schema")
    schema = json.loads(run.stdout)
    assert schema == case_schema()

    files = [f for d in (ENTERPRISE, INSURER, MINIMAL) for f in case_files(d)]
    for file in files:
        jsonschema.validate(yaml.safe_load(file.read_text(encoding="utf-8")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([{"name": "x", "principal": "p"}], schema)


def test_when_a_policy_directory_holds_cases_then_the_policy_load_ignores_them(
    tmp_path: Path,
) -> None:
    only_policy = tmp_path / "only"
    shutil.copytree(MINIMAL, only_policy, ignore=shutil.ignore_patterns("cases"))

    assert (MINIMAL / "cases").is_dir()
    assert not (only_policy / "cases").exists()
    assert read_bundle(MINIMAL).content_hash() == read_bundle(only_policy).content_hash()
