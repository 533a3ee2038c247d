"""The `governance:` section of the policy files: what a change to this content needs.

One item per PolicySet (its id names it, e.g. `default`)::

    governance:
      - id: default
        approvals_required: 1     # approvals by admins other than the author (default 0)

It is content like any other section, so it is versioned, diffed and approved with the
rest; the rule that governs a candidate is the stricter of the active version's and the
candidate's own (lifecycle.versions), so a change cannot lower the bar for itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")]

# More approvers than this is a typo, not a process (and would lock every change out).
MAX_APPROVALS = 10


class Governance(BaseModel):
    """How a candidate version of this content becomes active."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Id
    approvals_required: int = Field(
        default=0,
        ge=0,
        le=MAX_APPROVALS,
        description="Approvals a candidate needs before `govroute policy activate`, each by a "
        "different policy_admin principal other than its author. While the active version "
        "requires any, a direct `govroute load` is refused: stage a candidate instead.",
    )


def approvals_required(items: Iterable[BaseModel]) -> int:
    """What a bundle's `governance` section asks for (0 when it has none)."""
    return max((g.approvals_required for g in items if isinstance(g, Governance)), default=0)
