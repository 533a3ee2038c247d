"""Candidates, approvals, activation and rollback of PolicySet versions.

The rules, in one place (the CLI in api/ and the admin API only parse and print):

- **Who.** Every state change is done by a `policy_admin` principal (lifecycle.actors).
  A direct load or a candidate staged without a key records the --author/OS user, as
  before, but only where no approval is required: a candidate that will need approvals
  must know its author principal, or the author could approve their own change.
- **How many approvals.** The stricter of the active version's `governance:` and the
  candidate's own, so a candidate cannot lower the bar for itself (and a candidate
  raising it must meet its own new bar). Approvals come from distinct admins other
  than the author; one each.
- **Direct loads.** While the active version requires approvals, `govroute load` (not
  --candidate) is refused: it would bypass them. Rollback stays the emergency path.
- **Activation** applies the candidate's content as that very version (one transaction:
  nodes, edges, the previous version retired, the rollout ended) and records who, when,
  and the version it replaced (`previous_version`, what an automatic rollback restores).
- **A moved base.** A candidate replaces the active content whole. If the active version
  is no longer the one it was staged over (`base_version`), activating it would undo what
  changed in between, unseen by its approvers: refused unless `rebase_ok`, and then
  recorded as `rebased_from` on the version and said in the outcome.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.errors import Conflict, Forbidden
from engine.model import Principal
from engine.threats.custom import ThreatCategoryFitter
from graph import store
from graph.connection import GraphClient
from graph.versions import Approval, VersionState, all_version_states, version_state
from graph.versions import record_approval as _record_approval
from graph.versions import reject_candidate as _reject_candidate
from lifecycle.actors import display_name
from loaders.bundle import Bundle
from loaders.governance_spec import approvals_required
from loaders.graph_mapping import to_graph
from loaders.policy_load import (
    CandidateReport,
    LoadReport,
    apply_bundle,
    stage_bundle,
    stored_bundle,
)
from loaders.policy_load import rollback as _rollback


@dataclass(frozen=True, slots=True)
class Requirement:
    """Approvals a candidate needs: the larger of its own and the active version's rule."""

    own: int
    active: int

    @property
    def required(self) -> int:
        return max(self.own, self.active)


@dataclass(frozen=True, slots=True)
class Review:
    """A candidate and where it stands: approvals given against those required."""

    state: VersionState
    requirement: Requirement
    rolled_back_by: VersionState | None = None  # the rollback that replaced this version

    @property
    def approvals(self) -> tuple[Approval, ...]:
        return self.state.approvals

    @property
    def missing(self) -> int:
        return max(0, self.requirement.required - len(self.approvals))


@dataclass(frozen=True, slots=True)
class Activation:
    state: VersionState  # the version, now active
    previous_version: int | None
    approvals: tuple[Approval, ...]
    required: int
    rebased_from: int | None  # its base, when the active version had moved since
    nodes: int
    edges: int
    retired: int


# ---------------------------------------------------------------- the rule


def governance_of(client: GraphClient, version: int | None) -> int:
    """Approvals the `governance:` content of a stored version requires (0: none)."""
    if version is None:
        return 0
    # The stored content was validated when it was staged or loaded: reading the one
    # section is enough (a whole Bundle takes ~25 ms on the reference enterprise).
    _, content = store.policy_set_content(client, version)
    return max((int(g["approvals_required"]) for g in content.get("governance", [])), default=0)


def requirement(client: GraphClient, candidate: int | Bundle) -> Requirement:
    """The rule for a candidate (a stored version, or content about to be staged)."""
    active = store.active_policy_set(client)
    own = (
        approvals_required(candidate.sections["governance"])
        if isinstance(candidate, Bundle)
        else governance_of(client, candidate)
    )
    return Requirement(own=own, active=governance_of(client, active.version if active else None))


# ---------------------------------------------------------------- loading and staging


def load(
    client: GraphClient, bundle: Bundle, *, actor: Principal | None, author: str, message: str
) -> LoadReport:
    """A direct load, unless the active version requires approvals (then: stage it)."""
    active = store.active_policy_set(client)
    examined = active.version if active else None
    required = governance_of(client, examined)

    def still_the_one(current: store.PolicySetInfo | None) -> None:
        # The rule was read from `examined`; another load in between could change it.
        if (current.version if current else None) != examined:
            raise Conflict("the active PolicySet changed during this load; run it again")

    if required:
        raise Conflict(
            f"PolicySet v{examined} is active and requires {required} approval(s) for any "
            "change; a direct load would bypass them. Stage it instead: "
            "govroute load DIR --candidate --key KEY, then policy approve and policy activate"
        )
    return apply_bundle(
        client,
        bundle,
        author=display_name(actor) if actor else author,
        message=message,
        check_active=still_the_one,
        provenance={"author_id": actor.id, "activated_by": actor.id} if actor else None,
    )


def stage(
    client: GraphClient,
    bundle: Bundle,
    *,
    actor: Principal | None,
    author: str,
    message: str,
    fitter: ThreatCategoryFitter | None = None,
) -> CandidateReport:
    """Record content as a candidate; its author is `actor` (required when it will
    need approvals, so that they can exclude its author)."""
    if actor is None:
        rule = requirement(client, bundle)
        if rule.required:
            raise Forbidden(
                f"this candidate will need {rule.required} approval(s) by admins other than "
                "its author, so its author must be known: stage it with --key (or "
                "GOVROUTE_ADMIN_KEY) set to your policy_admin API key"
            )
    return stage_bundle(
        client,
        bundle,
        author=display_name(actor) if actor else author,
        message=message,
        author_id=actor.id if actor else None,
        fitter=fitter,
    )


# ---------------------------------------------------------------- review


def review(client: GraphClient, version: int) -> Review:
    return Review(version_state(client, version), requirement(client, version))


def approve(client: GraphClient, version: int, *, actor: Principal, comment: str = "") -> Review:
    """One approval of candidate `version` by `actor`: not its author, once."""
    state = _candidate(client, version, "approved")
    if state.author_id is None:
        raise Conflict(
            f"v{version} was staged without an admin key, so nobody can tell its author "
            "from its approvers: stage the same content again with --key"
        )
    if state.author_id == actor.id:
        raise Forbidden(
            f"{actor.id} staged v{version} and cannot approve it: approvals come from other "
            "policy administrators"
        )
    if any(a.by == actor.id for a in state.approvals):
        raise Conflict(f"{actor.id} has already approved v{version}; one approval per admin")
    _record_approval(client, version, by=actor.id, by_name=actor.name, comment=comment)
    return review(client, version)


def reject(client: GraphClient, version: int, *, actor: Principal, comment: str) -> VersionState:
    """Mark candidate `version` rejected: never approved, rolled out or activated again."""
    _candidate(client, version, "rejected")
    return _reject_candidate(client, version, by=actor.id, by_name=actor.name, comment=comment)


# ---------------------------------------------------------------- activation and rollback


def activate(
    client: GraphClient, version: int, *, actor: Principal, rebase_ok: bool = False
) -> Activation:
    """Make candidate `version` the active version, if its approvals are complete."""
    state = _candidate(client, version, "activated")
    bundle = stored_bundle(client, version)
    active = store.active_policy_set(client)
    current = active.version if active else None
    rule = Requirement(
        own=approvals_required(bundle.sections["governance"]),
        active=governance_of(client, current),
    )
    if len(state.approvals) < rule.required:
        raise Conflict(_short_of_approvals(state, rule))
    moved = state.base_version != current
    if moved and not rebase_ok:
        raise Conflict(
            f"v{version} was staged over v{state.base_version}, but v{current} is active now: "
            f"its content replaces v{current} whole, undoing whatever v{current} changed, "
            f"which its approvers did not see. Check `govroute policy diff {current} "
            f"{version}`, then activate with --rebase-ok, or stage the change again"
        )

    def unchanged(now_active: store.PolicySetInfo | None) -> None:
        # Approvals and the base were checked against `current`; refuse if it moved since.
        if (now_active.version if now_active else None) != current:
            raise Conflict(f"the active PolicySet changed while v{version} was being activated")

    outcome = store.apply_policy_content(
        client,
        to_graph(bundle),
        content_hash=state.info.content_hash,
        canonical=bundle.canonical_json(),
        author=state.info.author,
        message=state.info.message,
        promote=store.Promotion(
            version,
            by=actor.id,
            by_name=actor.name,
            rebased_from=state.base_version if moved else None,
        ),
        check_active=unchanged,
    )
    return Activation(
        state=version_state(client, version),
        previous_version=current,
        approvals=state.approvals,
        required=rule.required,
        rebased_from=state.base_version if moved else None,
        nodes=outcome.nodes,
        edges=outcome.edges,
        retired=outcome.retired,
    )


def rollback(
    client: GraphClient,
    version: int,
    *,
    actor: Principal,
    reason: str,
    evidence: Mapping[str, Any] | None = None,
) -> LoadReport:
    """The emergency path: an earlier version's content, active again as a new version,
    with no approvals; who and why are recorded on it."""
    return _rollback(
        client,
        version,
        author=display_name(actor),
        reason=reason,
        evidence=evidence,
        author_id=actor.id,
    )


# ---------------------------------------------------------------- listing


def listing(client: GraphClient) -> list[Review]:
    """Every version, newest first, each with the approvals it had and the rule for it:
    a candidate's is the stricter of its own and the active one's, any other's its own."""
    states = all_version_states(client)
    active = next((s.version for s in states if s.status == "active"), None)
    active_rule = governance_of(client, active)
    rollbacks = {s.previous_version: s for s in states if s.rollback_of is not None}
    out = []
    for s in states:
        own = governance_of(client, s.version) if s.info.kind == "policy" else 0
        rule = Requirement(own, active_rule if s.status == "candidate" else 0)
        out.append(Review(s, rule, rolled_back_by=rollbacks.get(s.version)))
    return out


def _candidate(client: GraphClient, version: int, verb: str) -> VersionState:
    state = version_state(client, version)
    if state.status != "candidate":
        hint = " (an earlier version comes back with `govroute policy rollback`)"
        raise Conflict(
            f"v{version} is {state.status}, not a candidate: only candidates are {verb}"
            + (hint if verb == "activated" and state.status == "retired" else "")
        )
    return state


def _short_of_approvals(state: VersionState, rule: Requirement) -> str:
    given = ", ".join(a.by for a in state.approvals) or "nobody yet"
    why = (
        f"the active version's governance requires {rule.active}"
        if rule.active >= rule.own
        else f"its own governance requires {rule.own}"
    )
    return (
        f"v{state.version} needs {rule.required} approval(s) ({why}) and has "
        f"{len(state.approvals)}: approved by {given}. Another policy_admin approves it "
        f"with `govroute policy approve {state.version}`"
    )
