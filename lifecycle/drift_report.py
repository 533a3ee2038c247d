"""A drift report as text, from its JSON form: `govroute drift check` prints a check just
made, `govroute drift status` one read back from its DriftCheck node, alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

MAX_ROUTES_SHOWN = 8


def text(report: Mapping[str, Any]) -> str:
    lines = [
        f"drift check {report['id']} at {report['at'][:19]} by {report['by']}",
        f"  {report['summary']}",
    ]
    windows = report["windows"]
    for name in ("recent", "baseline"):
        w = windows.get(name)
        if w:
            lines.append(
                f"  {name + ':':<10}{w['version']} {w['since'][:19]} .. {w['until'][:19]}: "
                f"{w['decisions']} decisions, {w['attempts']} upstream attempts"
            )
    limits = report["thresholds"]
    lines.append(
        f"  {'limits:':<10}{limits['source']} (at least {limits['min_decisions']} decisions "
        "per side and group)"
    )
    for o in report["observations"]:
        if o["status"] == "breach":
            tag = "BREACH" if o["action"] == "rollback" else "ALERT"
            lines.append(f"  {tag:<8}{_observation(o)} [{o['action']}]")
    statuses = Counter(o["status"] for o in report["observations"])
    lines.append(
        f"  judged: {statuses['ok'] + statuses['breach']} within or over their limits, "
        f"{statuses['too_few']} not judged (too few decisions)"
    )
    routes = report["emptied_routes"]
    if routes:
        names = [f"{r['intent']} x {r['label'] or 'no label'}" for r in routes]
        head = ", ".join(names[:MAX_ROUTES_SHOWN])
        more = (
            f" (and {len(routes) - MAX_ROUTES_SHOWN} more)"
            if len(routes) > MAX_ROUTES_SHOWN
            else ""
        )
        lines.append(f"  emptied routes ({len(routes)}): {head}{more}")
    if report.get("rollback_to"):
        lines.append(f"  restored: v{report['baseline_version']} as v{report['rollback_to']}")
    if report.get("reason") and report["action"] in ("held", "failed"):
        lines.append(f"  reason: {report['reason']}")
    return "\n".join(lines)


def _observation(o: Mapping[str, Any]) -> str:
    def value(v: float | None) -> str:
        if v is None:
            return "-"
        if o["metric"] == "upstream_latency_p95_ms":
            return f"{v:.0f} ms"
        if o["metric"] == "empty_routes":
            return f"{v:g}"
        if o["metric"] == "intent_score_psi":
            return f"{v:.3f}"
        return f"{v:.1%}"

    return (
        f"{o['metric']} {o['scope']}: {value(o['baseline'])} -> {value(o['recent'])} "
        f"(limit {o['limit']}, n={o['baseline_n']}/{o['recent_n']})"
    )
