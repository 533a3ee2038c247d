"""Wire formats of the admin API (/v1/admin). Bodies are strict like every govroute
body (api/schemas.py says why); answers mirror the lifecycle's own plain data."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from loaders.spec import Id


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


REASON = "Why; recorded with the change (and in the audit)."


class CandidateIn(_In):
    """Policy content to stage: `content` (a JSON document, the schema `govroute schema`
    prints) or `yaml` (the text of a policy file). Or send the YAML itself as the body
    with Content-Type application/yaml and the message as `?message=`."""

    content: dict[str, Any] | None = None
    yaml: str | None = None
    message: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _one_content(self) -> CandidateIn:
        if (self.content is None) == (self.yaml is None):
            raise ValueError("send exactly one of 'content' (a JSON document) or 'yaml' (text)")
        return self


class DiffIn(_In):
    a: int = Field(ge=1, le=2**31, description="The stored version diffed from.")
    b: int = Field(ge=1, le=2**31, description="The stored version diffed to.")


class RollbackIn(_In):
    reason: str = Field(min_length=1, max_length=500, description=REASON)


class RolloutIn(_In):
    mode: Literal["shadow", "canary"]
    percent: float = Field(
        default=0.0, ge=0.0, le=100.0, description="Canary: share of principals."
    )
    tenants: list[Id] = Field(default=[], max_length=1000)
    principals: list[Id] = Field(default=[], max_length=1000)


class RolloutEndIn(_In):
    reason: str = Field(min_length=1, max_length=500, description=REASON)


class PolicySetOut(BaseModel):
    id: str
    version: int
    content_hash: str
    author: str
    message: str
    created_at: str
    status: str
    node_count: int
    edge_count: int
    kind: str


class RolloutOut(BaseModel):
    version: int
    mode: Literal["shadow", "canary"]
    percent: float
    tenants: list[str]
    principals: list[str]
    since: str
    by: str


class VersionOut(BaseModel):
    policy_set: PolicySetOut
    rollout: RolloutOut | None
    content: dict[str, Any] = Field(description="The canonical content (govroute schema).")


class CandidateOut(BaseModel):
    staged: bool = Field(description="False: the content is what is already active.")
    policy_set: PolicySetOut | None
    content_hash: str
    items: int
    threat_fits: list[str]


class RollbackOut(BaseModel):
    changed: bool = Field(description="False: the active content already was that version's.")
    policy_set: PolicySetOut | None = Field(description="The version now active.")
    content_hash: str
    items: int
    description: str


class RolloutEndedOut(BaseModel):
    policy_set: PolicySetOut
    reason: str


class DiffOut(BaseModel):
    before: str
    after: str
    changed: bool
    content: list[dict[str, Any]] = Field(description="Per section: added, removed, changed.")
    impact: dict[str, Any] = Field(description="Outcomes, routes and documents that change.")


class AdminActionOut(BaseModel):
    id: str
    operation: str
    method: str
    path: str
    principal_id: str
    tenant_id: str
    status: Literal["started", "ok", "refused"]
    started_at: str
    finished_at: str | None
    version: int | None
    produced_version: int | None
    parameters: dict[str, Any] | None
    content_hash: str | None
    http_status: int | None
    error_code: str | None
    error: str | None
    result: dict[str, Any] | None
    via: str


# ---------------------------------------------------------------- review and activation


class ReviewIn(_In):
    comment: str = Field(default="", max_length=500, description="Recorded with the approval.")


class RejectIn(_In):
    comment: str = Field(min_length=1, max_length=500, description=REASON)


class ActivateIn(_In):
    rebase_ok: bool = Field(
        default=False,
        description="Activate although the active version moved since the candidate was "
        "staged (its content replaces the active one whole); recorded as rebased_from.",
    )


class RolloutStartedOut(RolloutOut):
    candidate: str = Field(description="The candidate's PolicySet id.")
    active: str = Field(description="The PolicySet that keeps serving everyone else.")


class ActivationOut(BaseModel):
    version: dict[str, Any] = Field(
        description="The version now active, as GET /policies lists it."
    )
    previous_version: int | None
    required: int
    rebased_from: int | None
    nodes: int
    edges: int
    retired: int
    description: str


# ---------------------------------------------------------------- reports


class ReplayIn(_In):
    since: str = Field(default="24h", max_length=64, description="24h, 7d, 30m ago, or ISO 8601.")
    until: str | None = Field(default=None, max_length=64, description="Default: now.")
    tenant: Id | None = None


class DriftCheckIn(_In):
    rollback: bool = Field(
        default=True, description="False: judge and record only (action 'held' on a breach)."
    )


class Report(BaseModel):
    """A lifecycle report as the CLI's --json prints it, and its text rendering."""

    model_config = ConfigDict(extra="allow")

    text: str
