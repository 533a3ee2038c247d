"""Metric names in PromQL expressions, and the series names a Prometheus registry exports.

Enough of PromQL's lexical shape to find every metric an expression reads: what is
left once strings, label matchers `{...}`, ranges `[...]`, grouping label lists
(`by (...)`, `on (...)`, ...), Grafana variables, functions and keywords are taken
out. A metric named only through `{__name__="..."}` is not found, so such an
expression is refused rather than passed unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.IGNORECASE
)
_VARIABLE = re.compile(r"\$\{?\w+\}?")
# An identifier not glued to a number or a dot (`5m`, `0.5`, `1e3` are no names).
_IDENTIFIER = re.compile(r"(?<![\w.:])([a-zA-Z_:][\w:]*)(\s*\()?")
_KEYWORDS = frozenset(
    {
        # aggregation operators, which may take `by (...)` before their parenthesis
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
        "bottomk", "topk", "quantile", "limitk", "limit_ratio",
        # binary operators and modifiers
        "and", "or", "unless", "bool", "offset", "atan2",
        "by", "without", "on", "ignoring", "group_left", "group_right",
        # literals
        "inf", "nan",
    }
)  # fmt: skip


def metric_names(expr: str) -> set[str]:
    """The metric names `expr` reads."""
    if "__name__" in expr:
        raise ValueError(f"metric selected by __name__ cannot be checked: {expr}")
    text = _STRING.sub(" ", expr)
    text = _VARIABLE.sub(" ", text)
    while True:  # a matcher can hold a range's variable and vice versa: until stable
        stripped = _RANGE.sub(" ", _MATCHERS.sub(" ", _GROUPING.sub(" ", text)))
        if stripped == text:
            break
        text = stripped
    names = set()
    for match in _IDENTIFIER.finditer(text):
        name, call = match.group(1), match.group(2)
        if call is None and name.lower() not in _KEYWORDS:
            names.add(name)
    return names


def exported_series(registry: CollectorRegistry) -> set[str]:
    """Every series name the registry's metrics can expose, children or not.

    A labelled metric that has no child yet exposes no sample, so the names come from
    each family's type: a counter `x` is `x_total` and `x_created`, a histogram `x` is
    `x_bucket`, `x_sum`, `x_count` and `x_created`, an info `x` is `x_info`.
    """
    suffixes = {
        "counter": ("_total", "_created"),
        "histogram": ("_bucket", "_sum", "_count", "_created"),
        "summary": ("", "_sum", "_count", "_created"),
        "gauge": ("",),
        "info": ("_info",),
        "stateset": ("",),
        "gaugehistogram": ("_bucket", "_gsum", "_gcount"),
        "unknown": ("",),
    }
    return {
        family.name + suffix for family in registry.collect() for suffix in suffixes[family.type]
    }


def dashboard_expressions(dashboard: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, expr) for each query of each panel (rows' nested panels included) and
    each templating variable's query."""

    def panels(items: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for panel in items:
            yield panel
            yield from panels(panel.get("panels", []))

    for panel in panels(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            if target.get("expr"):
                yield f"panel {panel['title']!r} query {target['refId']}", target["expr"]
    for variable in dashboard.get("templating", {}).get("list", []):
        query = variable.get("query")
        text = query.get("query") if isinstance(query, dict) else None
        if variable.get("type") == "query" and text:
            # Grafana's label_values(metric, label) names a metric, not PromQL
            found = re.fullmatch(r"\s*label_values\(\s*(.+?)\s*,\s*\w+\s*\)\s*", text)
            yield f"variable {variable['name']!r}", found.group(1) if found else text


def rule_expressions(rules: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, expr) for each rule of a Prometheus rules file."""
    for group in rules["groups"]:
        for rule in group["rules"]:
            name = rule.get("alert") or rule.get("record")
            yield f"rule {name!r} in group {group['name']!r}", rule["expr"]
