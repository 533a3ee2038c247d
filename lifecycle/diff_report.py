"""`govroute policy diff` output: text for people (changes grouped), JSON for machines
(every changed combination, ungrouped)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from lifecycle.impact import Impact, impact
from lifecycle.offline import offline_world
from lifecycle.semantic_diff import ContentDiff, content_diff
from lifecycle.sources import PolicySource

_SHOWN = 8  # names listed before "and N more"


@dataclass(frozen=True, slots=True)
class PolicyDiff:
    before: str
    after: str
    content: ContentDiff
    impact: Impact

    @property
    def empty(self) -> bool:
        return self.content.empty and self.impact.empty


def policy_diff(before: PolicySource, after: PolicySource) -> PolicyDiff:
    """The content diff and the decision impact of going from `before` to `after` (pure
    core; `govroute policy diff` and POST /v1/admin/policies/diff both call this)."""
    return PolicyDiff(
        before.label,
        after.label,
        content_diff(before.bundle, after.bundle),
        impact(offline_world(before.bundle), offline_world(after.bundle)),
    )


def _names(values: Iterable[str | None]) -> str:
    shown = [v or "(none)" for v in dict.fromkeys(values)]
    more = f" and {len(shown) - _SHOWN} more" if len(shown) > _SHOWN else ""
    return ", ".join(shown[:_SHOWN]) + more


def text(diff: PolicyDiff) -> str:
    lines = [f"policy diff {diff.before} -> {diff.after}"]
    if diff.empty:
        lines.append("no changes: same content, same decisions")
        return "\n".join(lines)
    lines.append("content:" if not diff.content.empty else "content: no changes")
    for section in diff.content.sections:
        counts = [
            f"{len(v)} {k}"
            for k, v in (
                ("added", section.added),
                ("removed", section.removed),
                ("changed", section.changed),
            )
            if v
        ]
        lines.append(f"  {section.section}: {', '.join(counts)}")
        lines += [f"    + {i}" for i in section.added]
        lines += [f"    - {i}" for i in section.removed]
        for item in section.changed:
            lines.append(f"    ~ {item.id}")
            lines += [f"        {f.describe()}" for f in item.fields]
    lines += _impact_lines(diff.impact)
    return "\n".join(lines)


def _impact_lines(impact: Impact) -> list[str]:
    lines = [
        f"decision impact ({impact.probes} principal x intent x label x purpose "
        f"combinations, {impact.decided} decisions by each version):"
    ]
    if impact.empty:
        return [*lines, "  no decision changes"]
    grouped: dict[tuple[Any, ...], list[tuple[str, str | None]]] = {}
    for o in impact.outcomes:
        key = (o.principals, o.label, o.before, o.after)
        grouped.setdefault(key, []).append((o.intent, o.purpose))
    if impact.outcomes:
        lines.append(f"  outcomes: {len(impact.outcomes)} combinations change")
    for (principals, label, before, after), rest in grouped.items():
        lines.append(
            f"    {_names(principals)}: label {label or '(none)'}: {before} -> {after}"
            f" for intents {_names(i for i, _ in rest)}; purposes {_names(p for _, p in rest)}"
        )
    routes: dict[tuple[Any, ...], list[tuple[str, str | None, str | None]]] = {}
    for r in impact.routes:
        routes.setdefault((r.principals, r.gained, r.lost), []).append(
            (r.intent, r.label, r.purpose)
        )
    if impact.routes:
        lines.append(f"  routes: {len(impact.routes)} combinations gain or lose models")
    for (principals, gained, lost), probes in routes.items():
        change = " ".join([*(f"+{m}" for m in gained), *(f"-{m}" for m in lost)])
        lines.append(
            f"    {_names(principals)}: {change} for intents {_names(i for i, _, _ in probes)};"
            f" labels {_names(lb for _, lb, _ in probes)};"
            f" purposes {_names(p for _, _, p in probes)}"
        )
    documents: dict[tuple[Any, ...], list[str | None]] = {}
    for d in impact.documents:
        documents.setdefault((d.principals, d.document, d.before, d.after), []).append(d.purpose)
    if impact.documents:
        lines.append(f"  documents: {len(impact.documents)} principal x document x purpose change")
    for (principals, document, before, after), purposes in documents.items():
        lines.append(
            f"    {document} for {_names(principals)}: {before} -> {after}"
            f" (purposes {_names(purposes)})"
        )
    return lines


def as_dict(diff: PolicyDiff) -> dict[str, Any]:
    """The machine-readable diff: `--json`'s document, the admin API's answer."""
    return {
        "before": diff.before,
        "after": diff.after,
        "changed": not diff.empty,
        "content": [asdict(s) for s in diff.content.sections],
        "impact": asdict(diff.impact),
    }


def as_json(diff: PolicyDiff) -> str:
    return json.dumps(as_dict(diff), indent=2, ensure_ascii=False) + "\n"
