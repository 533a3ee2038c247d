"""Who may change the policy lifecycle: an admin key's principal, with `policy_admin`.

(Minimal; part A of issue 11 writes the shared helper of this name and signature.)
"""

from __future__ import annotations

from engine.errors import Forbidden, NotAuthenticated
from engine.model import Principal
from graph.connection import GraphClient
from graph.facts import principal_for_key

ADMIN_PERMISSION = "policy_admin"


def admin_for_key(client: GraphClient, key: str) -> Principal:
    """The principal of an admin key; NotAuthenticated or Forbidden otherwise."""
    if not key:
        raise NotAuthenticated("an admin key is required: pass --key or set GOVROUTE_ADMIN_KEY")
    principal = principal_for_key(client, key)
    if principal is None:
        raise NotAuthenticated("unknown or revoked admin key")
    if ADMIN_PERMISSION not in principal.permissions:
        raise Forbidden(
            f"principal {principal.id} lacks the permission {ADMIN_PERMISSION!r} "
            "that policy lifecycle changes require"
        )
    return principal
