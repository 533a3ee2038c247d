"""Wire formats of the review API (docs/review.md has real examples of each)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class VerdictIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    reason: str = Field(
        min_length=1, max_length=2000, description="Why: recorded as the verdict's provenance."
    )


class ReasonOut(BaseModel):
    policy_id: str | None
    sentence: str


class HeldOut(BaseModel):
    """HTTP 202 of POST /v1/decide for a decision a review policy holds."""

    status: Literal["held_for_review"]
    decision_id: str
    review_id: str
    poll_url: str = Field(description="GET it with the same key for the verdict.")
    expires_at: str
    reasons: list[ReasonOut]
    decision: dict[str, Any] = Field(description="The decision record, outcome 'review'.")


class VerdictOut(BaseModel):
    reviewer_id: str | None = Field(description="None for an expiry.")
    decided_at: str
    reason: str | None


class ServedOut(BaseModel):
    status: Literal["served", "failed"]
    at: str
    error: str | None
    answer_kept_until: str | None


class ReviewOut(BaseModel):
    """One review. `answer` only for the requester; `request` only for reviewers/auditors."""

    model_config = ConfigDict(extra="allow")

    id: str
    decision_id: str
    kind: Literal["decide", "chat"]
    status: Literal["pending", "approved", "rejected", "expired"]
    tenant_id: str
    principal_id: str
    created_at: str
    expires_at: str
    reasons: list[ReasonOut]
    verdict: VerdictOut | None
    served: ServedOut | None
    poll_url: str
