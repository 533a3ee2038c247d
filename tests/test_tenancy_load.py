"""Tenant boundaries and declared purposes in policy files: what a load refuses, and how
it says so. Pure: the checks run before anything is written, so no Neo4j."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine.errors import InvalidPolicyData
from loaders.policy_load import read_bundle

BASE = """
tenants:
  - {id: acme, name: ACME}
  - {id: globex, name: Globex}
purposes:
  - {id: support, description: Helping a customer., dpv: "dpv:CustomerCare"}
  - {id: fraud, description: Investigating fraud.}
data_sources:
  - {id: acme-crm, name: ACME CRM, tenant: acme}
  - {id: globex-crm, name: Globex CRM, tenant: globex}
  - {id: wiki, name: Wiki, shared: true}
documents:
  - {id: acme-note, source: acme-crm}
"""


def problems_of(tmp_path: Path, extra: str) -> list[str]:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "extra.yaml").write_text(textwrap.dedent(extra), encoding="utf-8")
    with pytest.raises(InvalidPolicyData) as caught:
        read_bundle(tmp_path)
    return [str(p) for p in caught.value.problems]


def test_when_a_role_of_one_tenant_grants_another_tenants_source_then_both_are_named(
    tmp_path: Path,
) -> None:
    (problem,) = problems_of(
        tmp_path,
        """
        roles:
          - id: acme-agent
            name: ACME agent
            tenant: acme
            can_access: [{source: globex-crm, purposes: [support]}]
        """,
    )
    assert "extra.yaml" in problem
    assert "roles.acme-agent.can_access[0].source" in problem
    assert "'acme-agent' of tenant 'acme'" in problem
    assert "'globex-crm' of tenant 'globex'" in problem


def test_when_a_purpose_is_misspelt_then_the_load_says_where(tmp_path: Path) -> None:
    (problem,) = problems_of(
        tmp_path,
        """
        roles:
          - id: agent
            name: Agent
            tenant: acme
            can_access: [{source: acme-crm, purposes: [suport]}]
        """,
    )
    assert "extra.yaml:line 3" in problem  # the role that holds the grant
    assert "roles.agent.can_access[0].purposes[0]" in problem
    assert "'suport'" in problem


def test_when_a_default_or_policy_purpose_is_undeclared_then_each_is_a_problem(
    tmp_path: Path,
) -> None:
    problems = problems_of(
        tmp_path,
        """
        roles:
          - {id: agent, name: Agent, tenant: acme, default_purpose: billing}
        principals:
          - {id: ann, name: Ann, tenant: acme, roles: [agent], default_purpose: sales}
        policies:
          - id: allow-billing
            description: Billing may be discussed.
            effect: allow
            applies_to: {purposes: [biling]}
        """,
    )
    assert len(problems) == 3
    assert any("roles.agent.default_purpose: unknown purpose 'billing'" in p for p in problems)
    assert any("principals.ann.default_purpose: unknown purpose 'sales'" in p for p in problems)
    assert any("applies_to.purposes[0]: unknown purpose 'biling'" in p for p in problems)


def test_when_a_principal_holds_another_tenants_role_then_the_load_refuses(
    tmp_path: Path,
) -> None:
    (problem,) = problems_of(
        tmp_path,
        """
        roles:
          - {id: globex-agent, name: Globex agent, tenant: globex}
        principals:
          - {id: ann, name: Ann, tenant: acme, roles: [globex-agent]}
        """,
    )
    assert "principals.ann.roles[0]" in problem
    assert "tenant 'acme' cannot hold role 'globex-agent' of tenant 'globex'" in problem


def test_when_lineage_crosses_into_another_tenant_then_the_load_refuses(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path,
        """
        data_sources:
          - id: acme-mart
            name: ACME mart
            tenant: acme
            derived_from: [{source: globex-crm}]
          - id: shared-mart
            name: Shared mart
            shared: true
            derived_from: [{source: acme-note}]
        """,
    )
    assert len(problems) == 2
    assert any(
        "acme-mart.derived_from[0].source: is tenant 'acme' but derives from 'globex-crm' "
        "of tenant 'globex'" in p
        for p in problems
    )
    assert any("shared-mart.derived_from[0].source: is shared" in p for p in problems)


def test_when_a_document_names_a_tenant_other_than_its_sources_then_the_load_refuses(
    tmp_path: Path,
) -> None:
    (problem,) = problems_of(
        tmp_path,
        """
        documents:
          - {id: odd, source: acme-crm, tenant: globex}
        """,
    )
    assert "documents.odd.tenant" in problem
    assert "'acme-crm' belongs to tenant 'acme'" in problem


def test_when_a_data_source_names_no_tenant_then_shared_must_be_said(tmp_path: Path) -> None:
    (problem,) = problems_of(
        tmp_path,
        """
        data_sources:
          - {id: loose, name: Loose}
        """,
    )
    assert "data_sources.loose" in problem
    assert "shared: true" in problem


def test_when_a_tenants_policy_names_another_tenant_then_the_load_refuses(
    tmp_path: Path,
) -> None:
    problems = problems_of(
        tmp_path,
        """
        roles:
          - {id: globex-agent, name: Globex agent, tenant: globex}
        policies:
          - id: acme-allow
            description: ACME's own allow.
            effect: allow
            tenant: acme
            applies_to: {tenants: [globex], roles: [globex-agent]}
        """,
    )
    assert len(problems) == 2
    assert any("cannot apply to tenant 'globex'" in p for p in problems)
    assert any("cannot name role 'globex-agent' of tenant 'globex'" in p for p in problems)


def test_when_roles_disagree_on_the_default_purpose_then_the_principal_must_choose(
    tmp_path: Path,
) -> None:
    (problem,) = problems_of(
        tmp_path,
        """
        roles:
          - {id: a, name: A, tenant: acme, default_purpose: support}
          - {id: b, name: B, default_purpose: fraud}
        principals:
          - {id: ann, name: Ann, tenant: acme, roles: [a, b]}
        """,
    )
    assert "principals.ann.default_purpose" in problem
    assert "fraud, support" in problem


def test_when_shared_and_tenant_scoped_items_are_used_within_bounds_then_the_load_passes(
    tmp_path: Path,
) -> None:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    extra = """
    roles:
      - id: everyone
        name: Everyone
        default_purpose: support
        can_access: [{source: wiki, purposes: ["*"]}, {source: acme-crm, purposes: [support]}]
    principals:
      - {id: ann, name: Ann, tenant: acme, roles: [everyone]}
    documents:
      - {id: acme-page, source: wiki, tenant: acme, derived_from: [{source: acme-note}]}
    """
    (tmp_path / "extra.yaml").write_text(textwrap.dedent(extra), encoding="utf-8")
    document = read_bundle(tmp_path).document()
    purposes = {p.id: p.dpv for p in document.purposes}
    assert purposes == {"support": "https://w3id.org/dpv#CustomerCare", "fraud": None}
