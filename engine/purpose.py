"""Which purpose a request is decided for: the one it names, which must be declared.

Purposes are declared in policy content (loaders.spec.PurposeDefinition) so that a
misspelt one is an error where it is written instead of a grant that never matches.
A request that names no purpose gets its caller's default (engine.decide).
"""

from __future__ import annotations

from engine.errors import InvalidRequest
from engine.model import Snapshot


def check_declared(snapshot: Snapshot, purpose: str | None) -> None:
    """Refuse a request whose purpose the active PolicySet does not declare."""
    if purpose is None or purpose in snapshot.purposes:
        return
    declared = ", ".join(sorted(snapshot.purposes)) or "none"
    raise InvalidRequest(
        f"purpose '{purpose}' is not declared in the active policy (declared: {declared})",
        field="purpose",
    )
