"""Who acts on the policy lifecycle: an admin API key, resolved to its principal.

Every lifecycle operation that changes state (stage, approve, reject, activate, roll
back) is done by a principal whose roles carry the `policy_admin` permission; the CLI
takes the key from --key or GOVROUTE_ADMIN_KEY, the admin API from the request.
"""

from __future__ import annotations

from engine.errors import Forbidden, NotAuthenticated
from engine.model import Principal
from graph.connection import GraphClient
from graph.facts import principal_for_key
from loaders.spec import Permission

ADMIN_KEY_ENV = "GOVROUTE_ADMIN_KEY"


def admin_for_key(client: GraphClient, key: str | None) -> Principal:
    """The policy administrator `key` identifies; refuses a missing, unknown or
    non-admin key (NotAuthenticated, NotAuthenticated, Forbidden)."""
    if not key:
        raise NotAuthenticated(
            f"this changes policy state: give a policy_admin API key with --key or {ADMIN_KEY_ENV}"
        )
    principal = principal_for_key(client, key)
    if principal is None:
        raise NotAuthenticated("unknown or revoked API key")
    if Permission.POLICY_ADMIN not in principal.permissions:
        raise Forbidden(
            f"principal {principal.id} may not change policy versions: none of its roles "
            f"({', '.join(sorted(principal.roles)) or 'none'}) has the policy_admin permission"
        )
    return principal


def display_name(principal: Principal) -> str:
    """How a principal is recorded as an author, approver or activator: name and id."""
    return f"{principal.name} ({principal.id})" if principal.name else principal.id
