"""`policy replay N`: recorded traffic of a window, decided again under stored version N.

`replay_version` is the operation the CLI and the admin API share: it reads version
N's content (active, retired or candidate alike), checks once per version that
decided the window whether its intents' exemplars are N's (then intents are picked
again under N's thresholds, else the recorded match stands), streams the window's
records from Neo4j page by page and re-decides each on the pure core
(lifecycle.replay), in worker processes when asked. It returns the same
`DiffCounts` shadow reports, and what was read, skipped and how long each part took.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from engine.errors import InvalidRequest
from engine.model import Snapshot
from graph import store
from graph.connection import GraphClient
from graph.decision_stream import decision_versions, recorded_decisions
from graph.snapshot import build_snapshot
from lifecycle.outcome_diff import DiffCounts
from lifecycle.replay import Replayer, ReplayStats, same_exemplars
from loaders.graph_mapping import to_graph
from loaders.policy_load import stored_bundle


@dataclass(frozen=True, slots=True)
class ReplayReport:
    version: int
    policy_set: str  # its PolicySet id, e.g. policyset-v12
    status: str  # active | retired | candidate
    since: datetime
    until: datetime
    tenant: str | None
    counts: DiffCounts
    stats: ReplayStats
    # Versions that decided the window, and whether their intents could be picked again.
    recorded_versions: dict[str, bool]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "policy_set": self.policy_set,
            "status": self.status,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "tenant": self.tenant,
            "recorded_versions": dict(sorted(self.recorded_versions.items())),
            "stats": self.stats.as_dict(),
            "diff": self.counts.as_dict(),
        }

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)

    def text(self) -> str:
        s = self.stats
        scope = f", tenant {self.tenant}" if self.tenant else ""
        window = f"{self.since:%Y-%m-%d %H:%M:%S} .. {self.until:%Y-%m-%d %H:%M:%S} UTC"
        lines = [
            f"replay of {window}{scope} under v{self.version} ({self.status})",
            f"  read {s.read} decisions: replayed {s.replayed}, skipped {s.no_input} recorded "
            f"before inputs were kept, {s.unreadable} with an unreadable input",
        ]
        if s.unreadable_ids:
            lines.append(f"  unreadable: {', '.join(s.unreadable_ids)}")
        picked = ", ".join(
            f"{v} {'picked again' if ok else 'recorded match kept (exemplars differ)'}"
            for v, ok in sorted(self.recorded_versions.items())
        )
        if picked:
            lines.append(f"  intents: {picked}")
        lines.append(
            f"  intent picked again for {s.intent_rematched}, recorded match kept for "
            f"{s.intent_recorded}; texts kept (tenant opt-in) for {s.texts_kept}"
        )
        rate = s.replayed / s.wall_seconds if s.wall_seconds > 0 else 0.0
        lines.append(
            f"  {s.wall_seconds:.2f}s ({rate:.0f} decisions/s): reading {s.read_seconds:.2f}s, "
            f"deciding {s.decide_seconds:.2f}s CPU"
        )
        lines.append(self.counts.text(f"v{self.version}"))
        return "\n".join(lines)


def replay_version(
    client: GraphClient,
    version: int,
    *,
    since: datetime,
    until: datetime,
    tenant: str | None = None,
    workers: int = 1,
) -> ReplayReport:
    """Re-decide the window's recorded decisions under stored `version` (see the module)."""
    if since >= until:
        raise InvalidRequest(
            f"the window is empty: --since {since.isoformat()} is not before --until "
            f"{until.isoformat()}",
            field="since",
        )
    sets = {ps.id: ps for ps in store.list_policy_sets(client)}
    bundle = stored_bundle(client, version)  # NotFound names the version
    info = next(ps for ps in sets.values() if ps.version == version)
    target = build_snapshot(to_graph(bundle), version=info.id, content_hash=info.content_hash)
    recorded: dict[str, bool] = {}
    for ps_id in decision_versions(client, since, until, tenant=tenant):
        other = sets.get(ps_id)
        if other is None or other.kind != "policy":
            recorded[ps_id] = False
            continue
        measured = target if other.id == info.id else _snapshot(client, other.version)
        recorded[ps_id] = same_exemplars(target, measured.intents)
    replayer = Replayer(
        bundle,
        info.id,
        frozenset(v for v, ok in recorded.items() if ok),
        workers=workers,
    )
    counts, stats = replayer.run(recorded_decisions(client, since, until, tenant=tenant))
    return ReplayReport(
        version, info.id, info.status, since, until, tenant, counts, stats, recorded
    )


def _snapshot(client: GraphClient, version: int) -> Snapshot:
    """A stored version's snapshot, for its intents (whose exemplars replay compares)."""
    return build_snapshot(to_graph(stored_bundle(client, version)), version="", content_hash="")
