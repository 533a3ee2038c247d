"""The dashboard's and the alert rules' metrics exist in what the running code exports.

One real app (the reference enterprise on the session's Neo4j) is started; its own
registry, the one GET /metrics serves, is walked for every series name its metrics can
expose, children or not (a counter's `_total`, a histogram's `_bucket`/`_sum`/`_count`).
Every metric a dashboard panel, a dashboard variable or an alert reads must be one of
them, so renaming a metric in api/telemetry.py fails here until the dashboard and the
rules follow.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from api.app import create_app
from api.settings import ApiSettings, RateLimitSettings, Settings, TelemetrySettings
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from tests.conftest import load_enterprise
from tests.promql_names import (
    dashboard_expressions,
    exported_series,
    metric_names,
    rule_expressions,
)

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "deploy" / "grafana" / "govroute.json"
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"


@pytest.fixture(scope="module")
def client(
    neo4j_settings: Neo4jSettings, graph: GraphClient, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    load_enterprise(graph)
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(
            state_dir=tmp_path_factory.mktemp("state"), secret=SecretStr("dashboard-tests-secret")
        ),
        rate_limits=RateLimitSettings(redis_url=None),
        telemetry=TelemetrySettings(otlp_endpoint=None),
    )
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="module")
def exported(client: TestClient) -> set[str]:
    app: Any = client.app
    return exported_series(app.state.telemetry.registry)


def missing(expressions: Iterator[tuple[str, str]], exported: set[str]) -> dict[str, list[str]]:
    """Where an expression reads a metric the code does not export, and which."""
    out: dict[str, list[str]] = {}
    for where, expr in expressions:
        unknown = sorted(metric_names(expr) - exported)
        if unknown:
            out[where] = unknown
    return out


def dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return loaded


def test_when_metrics_are_scraped_then_every_series_is_among_the_registry_walk(
    client: TestClient, exported: set[str]
) -> None:
    client.post(
        "/v1/decide",
        json={"prompt": "Summarise the travel policy."},
        headers={"Authorization": "Bearer gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"},
    )
    scraped = {
        sample.name
        for family in text_string_to_metric_families(client.get("/metrics").text)
        for sample in family.samples
    }

    assert "govroute_decisions_total" in scraped
    assert scraped <= exported
    # Labelled metrics without a child yet are not scraped, but the walk has them.
    assert {"govroute_breaker_state", "govroute_upstream_errors_total"} <= exported - scraped


def test_when_the_dashboard_is_read_then_every_panel_metric_is_exported(
    exported: set[str],
) -> None:
    used = {name for _, expr in dashboard_expressions(dashboard()) for name in metric_names(expr)}

    assert missing(dashboard_expressions(dashboard()), exported) == {}
    assert len(used) >= 20  # the extraction found the metrics, not nothing


def test_when_the_alert_rules_are_read_then_every_alert_metric_is_exported(
    exported: set[str],
) -> None:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))

    assert missing(rule_expressions(rules), exported) == {}
    assert len({n for _, e in rule_expressions(rules) for n in metric_names(e)}) >= 10


def test_when_a_metric_is_renamed_then_the_check_names_the_panel_and_the_metric(
    exported: set[str],
) -> None:
    renamed = exported - {"govroute_decisions_total"}

    found = missing(dashboard_expressions(dashboard()), renamed)

    assert found["panel 'Decisions by outcome' query A"] == ["govroute_decisions_total"]
    assert set(found) >= {"panel 'Deny share and threat denies' query B"}


def test_when_expressions_are_read_then_only_metric_names_are_taken() -> None:
    expr = (
        'sum by (le, phase) (rate(govroute_phase_seconds_bucket{job=~"$job", phase!="auth"}'
        "[$__rate_interval] offset 5m)) / on (job) group_left (version) "
        "max(govroute_active_policy_version_info) > bool 0.5 and vector(1e3) or label_replace("
        'govroute_graph_up, "x", "$1", "job", "(.*)")'
    )

    assert metric_names(expr) == {
        "govroute_phase_seconds_bucket",
        "govroute_active_policy_version_info",
        "govroute_graph_up",
    }
    with pytest.raises(ValueError, match="__name__"):
        metric_names('{__name__="govroute_graph_up"}')
