"""The shipped alert rules and dashboard queries, checked by Prometheus's own promtool.

`promtool check rules` parses every rule (PromQL, templates, durations); `promtool test
rules` runs deploy/prometheus/alerts_test.yml, where the key alerts fire on synthetic
series and stay quiet before their `for:`. The dashboard's queries go through the same
parser as recording rules, Grafana's variables replaced by what Grafana would put there.
promtool is Debian's prometheus package (`make promtool`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from tests.promql_names import dashboard_expressions

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
RULE_TESTS = ROOT / "deploy" / "prometheus" / "alerts_test.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "govroute.json"
# What must page or warn someone; each has a case in alerts_test.yml that makes it fire.
KEY_ALERTS = {
    "GovrouteGraphDown",
    "GovrouteProvenanceBacklog",
    "GovrouteBreakerOpen",
    "GovrouteUpstreamErrorRate",
    "GovrouteChatsFailing",
    "GovrouteDenyShareHigh",
    "GovrouteThreatDenySurge",
    "GovrouteDecisionLatencyHigh",
    "GovrouteDecisionErrors",
    "GovrouteNoActivePolicy",
}
# What Grafana substitutes for its variables, so that promtool sees plain PromQL.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$job": ".*"}


def promtool(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("promtool")
    assert binary is not None, "promtool is missing: `make promtool` installs Debian's prometheus"
    return subprocess.run(
        [binary, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_when_promtool_checks_the_alert_rules_then_every_rule_is_valid() -> None:
    result = promtool("check", "rules", RULES)
    assert result.returncode == 0, result.stdout + result.stderr
    alerts = [r["alert"] for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]]
    assert f"SUCCESS: {len(alerts)} rules found" in result.stdout


def test_when_the_rule_unit_tests_run_then_the_key_alerts_fire_on_synthetic_series() -> None:
    result = promtool("test", "rules", RULE_TESTS.name, cwd=RULE_TESTS.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    tested = {
        case["alertname"]
        for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert tested >= KEY_ALERTS, f"no firing case for {sorted(KEY_ALERTS - tested)}"


def test_when_each_alert_is_read_then_it_has_a_severity_summary_and_runbook_section() -> None:
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    anchors = {
        re.sub(r"[^a-z0-9 -]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        for line in operations.splitlines()
        if line.startswith("#")
    }
    for group in yaml.safe_load(RULES.read_text())["groups"]:
        for rule in group["rules"]:
            name = rule["alert"]
            assert rule["labels"]["severity"] in {"critical", "warning", "info"}, name
            assert rule["annotations"]["summary"], name
            assert rule["annotations"]["description"], name
            runbook = rule["annotations"]["runbook"]
            assert runbook == f"docs/operations.md#{name.lower()}", name
            assert name.lower() in anchors, f"docs/operations.md has no section for {name}"


def test_when_the_dashboard_queries_are_parsed_by_promtool_then_each_is_valid_promql(
    tmp_path: Path,
) -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    rules = []
    for i, (where, expr) in enumerate(dashboard_expressions(dashboard)):
        for variable, value in GRAFANA_VARIABLES.items():
            expr = expr.replace(variable, value)
        assert "$" not in expr, f"{where}: a Grafana variable this test does not know: {expr}"
        rules.append({"record": f"dashboard:query_{i}", "expr": expr})
    assert len(rules) >= 20
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    result = promtool("check", "rules", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_when_a_query_is_broken_then_promtool_refuses_it(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    broken = {"record": "dashboard:broken", "expr": "sum by (le (rate(govroute_x[5m]))"}
    path.write_text(yaml.safe_dump({"groups": [{"name": "broken", "rules": [broken]}]}))
    result = promtool("check", "rules", path)
    assert result.returncode != 0
    assert '"dashboard:broken": could not parse expression' in result.stdout + result.stderr


def test_when_the_dashboard_is_laid_out_then_panels_have_unique_ids_and_never_overlap() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    panels = dashboard["panels"]
    taken: dict[tuple[int, int], str] = {}

    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        grid = panel["gridPos"]
        assert grid["x"] + grid["w"] <= 24, panel["title"]
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                assert (x, y) not in taken, f"{panel['title']} overlaps {taken.get((x, y))}"
                taken[x, y] = panel["title"]
        if panel["type"] != "row":
            assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
            assert panel["targets"], panel["title"]
