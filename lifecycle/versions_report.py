"""Text and JSON for the lifecycle operations of lifecycle.versions (CLI and admin API)."""

from __future__ import annotations

import json
from typing import Any

from graph.versions import VersionState
from lifecycle.versions import Activation, Review


def rollout_text(state: VersionState) -> str:
    if state.rollout == "shadow":
        return "shadow"
    if state.rollout == "canary":
        parts = [f"{state.canary_percent:g}%"] if state.canary_percent else []
        if state.canary_tenants:
            parts.append("tenants " + ",".join(state.canary_tenants))
        if state.canary_principals:
            parts.append("principals " + ",".join(state.canary_principals))
        return "canary " + " ".join(parts or ["(nobody)"])
    return ""


def approvals_text(item: Review) -> str:
    """A candidate's `given/required approvers`; for other versions the approvers it had
    (`-`: none, e.g. a direct load or a rollback)."""
    names = ",".join(a.by for a in item.approvals)
    if item.state.status == "candidate":
        return f"{len(item.approvals)}/{item.requirement.required}" + (f" {names}" if names else "")
    return names or "-"


def notes_text(item: Review) -> str:
    """What else the lifecycle recorded: activation, rejection, rollback, a rebase."""
    state = item.state
    notes: list[str] = []
    if state.activated_by and state.base_version is not None and state.status != "candidate":
        # A promoted candidate (a direct load or rollback is activated by its author).
        notes.append(f"activated by {state.activated_by} over v{state.previous_version}")
    if state.rebased_from is not None:
        notes.append(f"rebased from v{state.rebased_from}")
    if state.rejected_by:
        comment = f": {state.rejection_comment}" if state.rejection_comment else ""
        notes.append(f"rejected by {state.rejected_by}{comment}")
    if state.rollback_of is not None:
        why = f": {state.rollback_reason}" if state.rollback_reason else ""
        notes.append(f"rollback to v{state.rollback_of}{why}")
    if state.rollout_end_reason and not state.rollout:
        notes.append(f"rollout ended ({state.rollout_end_reason})")
    back = item.rolled_back_by
    if back is not None:
        why = f": {back.rollback_reason}" if back.rollback_reason else ""
        notes.append(f"rolled back by v{back.version}{why}")
    return "; ".join(notes)


def as_json(item: Review) -> dict[str, Any]:
    s = item.state
    return {
        "version": s.version,
        "kind": s.info.kind,
        "status": s.status,
        "content_hash": s.info.content_hash,
        "author": s.info.author,
        "author_id": s.author_id,
        "created_at": s.info.created_at,
        "message": s.info.message,
        "base_version": s.base_version,
        "approvals": {
            "required": item.requirement.required,
            "own_rule": item.requirement.own,
            "active_rule": item.requirement.active,
            "given": [
                {"by": a.by, "by_name": a.by_name, "at": a.at, "comment": a.comment}
                for a in item.approvals
            ],
        },
        "rollout": None
        if s.rollout is None
        else {
            "mode": s.rollout,
            "percent": s.canary_percent,
            "tenants": list(s.canary_tenants),
            "principals": list(s.canary_principals),
        },
        "rollout_end_reason": s.rollout_end_reason,
        "activated_at": s.activated_at,
        "activated_by": s.activated_by,
        "previous_version": s.previous_version,
        "rebased_from": s.rebased_from,
        "rejected": None
        if s.rejected_by is None
        else {"by": s.rejected_by, "at": s.rejected_at, "comment": s.rejection_comment},
        "rollback": None
        if s.rollback_of is None
        else {"to": s.rollback_of, "reason": s.rollback_reason, "evidence": s.rollback_evidence},
        "rolled_back_by": None
        if item.rolled_back_by is None
        else {
            "version": item.rolled_back_by.version,
            "reason": item.rolled_back_by.rollback_reason,
        },
    }


def listing_json(items: list[Review]) -> str:
    return json.dumps([as_json(i) for i in items], indent=2) + "\n"


def review_text(item: Review, *, verb: str = "approved") -> str:
    """After an approval: where the candidate stands."""
    v = item.state.version
    last = item.approvals[-1] if item.approvals else None
    head = f"v{v} {verb} by {last.by}" if last and verb == "approved" else f"v{v}"
    if item.missing:
        return (
            f"{head}: {len(item.approvals)} of {item.requirement.required} approval(s); "
            f"{item.missing} more needed before `govroute policy activate {v}`"
        )
    return (
        f"{head}: {len(item.approvals)} of {item.requirement.required} approval(s); "
        f"ready: `govroute policy activate {v}`"
    )


def activation_text(done: Activation) -> str:
    s = done.state
    approvers = ", ".join(a.by for a in done.approvals) or "none required"
    previous = f"v{done.previous_version}" if done.previous_version else "nothing"
    lines = [
        f"activated PolicySet v{s.version} ({s.info.content_hash[:19]}…) by {s.activated_by}: "
        f"{done.nodes} nodes, {done.edges} edges"
        + (f", {done.retired} retired" if done.retired else ""),
        f"  replaces {previous} (previous_version, what a rollback restores)",
        f"  approvals: {len(done.approvals)} of {done.required} ({approvers})",
    ]
    if done.rebased_from is not None:
        lines.append(
            f"  rebased: staged over v{done.rebased_from}, activated over {previous} "
            "(--rebase-ok; recorded as rebased_from)"
        )
    if s.rollout_end_reason == "activated":
        lines.append("  its rollout ended (activated)")
    return "\n".join(lines)


def rejection_text(state: VersionState) -> str:
    comment = f": {state.rejection_comment}" if state.rejection_comment else ""
    return (
        f"rejected candidate v{state.version} by {state.rejected_by}{comment}; it can no longer "
        "be approved, rolled out or activated"
    )
