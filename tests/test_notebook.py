"""The architect's lineage notebook runs top to bottom against the session's Neo4j.

The kernel is this interpreter (a kernelspec written for sys.executable under a
temporary JUPYTER_PATH), so the notebook imports the code under test, and it reaches
the test server through NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD, as an architect's
notebook reaches theirs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipykernel.kernelspec
import nbformat
import pytest
from nbclient import NotebookClient

from graph import store
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from loaders.graph_mapping import from_graph
from loaders.policy_load import LoadReport

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "lineage.ipynb"
KERNEL = "govroute-tests"

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


@pytest.fixture
def kernel_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, neo4j_settings: Neo4jSettings
) -> str:
    prefix = tmp_path / "jupyter"
    ipykernel.kernelspec.install(kernel_name=KERNEL, prefix=str(prefix))
    monkeypatch.setenv("JUPYTER_PATH", str(prefix / "share" / "jupyter"))
    assert neo4j_settings.uri is not None
    assert neo4j_settings.password is not None
    monkeypatch.setenv("NEO4J_URI", neo4j_settings.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_settings.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.password.get_secret_value())
    monkeypatch.delenv("NEO4J_DATABASE", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the inline backend renders the figure
    return KERNEL


def text_of(cell: Any) -> str:
    parts: list[str] = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(str(output["data"].get("text/plain", "")))
    return "".join(parts)


def tagged(nb: Any, tag: str) -> Any:
    (cell,) = [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]
    return cell


def test_when_the_lineage_notebook_runs_then_it_commits_draws_and_answers_the_questions(
    graph: GraphClient, enterprise: LoadReport, kernel_env: str
) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # execute() raises CellExecutionError when any cell fails: the notebook must not break
    NotebookClient(
        nb, kernel_name=kernel_env, timeout=300, resources={"metadata": {"path": str(ROOT)}}
    ).execute()

    table = text_of(tagged(nb, "inheritance-table"))
    for document in (
        "doc-bi-churn-features",
        "doc-churn-top-risk-2025-10",
        "doc-core-eu-statement-4471-2025-09",
        "doc-pay-eu-auth-log-2025-10-14",
    ):
        assert f"\n{document} " in table
    assert (
        "Document:doc-churn-top-risk-2025-10 -PART_OF-> DataSource:churn-scores-eu "
        "-DERIVED_FROM-> DataSource:bi-mart-eu -DERIVED_FROM-> DataSource:dwh-eu -DERIVED_FROM-> "
        "DataSource:card-payments-eu -HAS_LABEL-> SensitivityLabel:financial_account"
    ) in table
    # the aggregation into the analytics extract removes financial_account
    assert "doc-ax-segment-profitability-q3" not in table
    assert "doc-wiki-exec-kpi-deck" not in table

    impact = text_of(tagged(nb, "impact-table"))
    for document in (
        "doc-ax-segment-profitability-q3",
        "doc-bi-churn-features",
        "doc-churn-top-risk-2025-10",
        "doc-wiki-exec-kpi-deck",
    ):
        assert f"\n{document} " in impact
    assert (
        "Document:doc-wiki-exec-kpi-deck -DERIVED_FROM-> DataSource:analytics-extract-eu "
        "-DERIVED_FROM-> DataSource:bi-mart-eu -HAS_LABEL-> SensitivityLabel:phi"
    ) in impact

    figures = [
        o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(figures) == 1

    # the workspace commit is a real policy version holding the new source
    active, content = store.read_policy_content(graph)
    assert active is not None
    assert enterprise.outcome.policy_set is not None
    assert active.version > enterprise.outcome.policy_set.version
    assert "churn-scores-eu" in {d.id for d in from_graph(content).data_sources}
