"""One PolicySet version as plain data, for GET /v1/admin/policies/{version} (the
listing is lifecycle.versions.listing, which `govroute policy list` prints too)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graph import store
from graph.connection import GraphClient


def version_detail(client: GraphClient, version: int) -> dict[str, Any]:
    """One version's record, its canonical content, and its rollout if it is under one."""
    info, content = store.policy_set_content(client, version)
    rollout = store.rollout_candidate(client)
    mine = rollout if rollout is not None and rollout.policy_set.version == version else None
    return {
        "policy_set": asdict(info),
        "rollout": None if mine is None else rollout_dict(mine),
        "content": content,
    }


def rollout_dict(rollout: store.Rollout) -> dict[str, Any]:
    return {
        "version": rollout.policy_set.version,
        "mode": rollout.mode,
        "percent": rollout.percent,
        "tenants": list(rollout.tenants),
        "principals": list(rollout.principals),
        "since": rollout.since,
        "by": rollout.by,
    }
