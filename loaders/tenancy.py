"""Tenant boundaries of a bundle: nothing of one tenant points at another tenant's items.

Run with the other reference checks, before anything is written. A tenant's
entities may use shared ones (no tenant) and their own; a shared entity's data may
not come from a tenant's (its label paths would name that tenant's items to every
tenant). Every problem names both sides, so the fix is obvious from the message.
What may be shared, per kind, is in docs/tenancy.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.errors import Problem
from loaders.bundle import Bundle


def tenancy_problems(bundle: Bundle) -> Iterator[Problem]:
    sources = {d["id"]: d for d in _dumps(bundle, "data_sources")}
    documents = {d["id"]: d for d in _dumps(bundle, "documents")}
    owner: dict[str, str | None] = {i: d["tenant"] for i, d in sources.items()}
    for doc_id, doc in documents.items():
        owner[doc_id] = doc["tenant"] or (sources.get(doc["source"]) or {}).get("tenant")
    yield from _data_scope(bundle, sources)
    yield from _documents(bundle, documents, sources)
    yield from _lineage(bundle, "data_sources", sources, owner)
    yield from _lineage(bundle, "documents", documents, owner)
    yield from _grants(bundle, sources)
    roles = {r["id"]: r for r in _dumps(bundle, "roles")}
    yield from _principals(bundle, roles)
    yield from _policies(bundle, roles)


def scope_name(tenant: str | None) -> str:
    return f"tenant '{tenant}'" if tenant else "shared"


def _dumps(bundle: Bundle, section: str) -> list[dict[str, Any]]:
    return [item.model_dump() for item in bundle.sections[section]]


def _problem(bundle: Bundle, section: str, item_id: str, field: str, message: str) -> Problem:
    source, location = bundle.where(section, item_id)
    return Problem(source, location, f"{section}.{item_id}{field}", message)


def _data_scope(bundle: Bundle, sources: dict[str, dict[str, Any]]) -> Iterator[Problem]:
    # With tenants declared, "shared" must be a decision, not an omission.
    if not bundle.sections["tenants"]:
        return
    for source_id, data in sources.items():
        if data["tenant"] is None and not data["shared"]:
            yield _problem(
                bundle,
                "data_sources",
                source_id,
                "",
                "names no tenant: give it `tenant: <id>`, or `shared: true` if every "
                "tenant's grants may read it",
            )


def _documents(
    bundle: Bundle, documents: dict[str, dict[str, Any]], sources: dict[str, dict[str, Any]]
) -> Iterator[Problem]:
    for doc_id, doc in documents.items():
        source_tenant = (sources.get(doc["source"]) or {}).get("tenant")
        if doc["tenant"] and source_tenant and doc["tenant"] != source_tenant:
            yield _problem(
                bundle,
                "documents",
                doc_id,
                ".tenant",
                f"is tenant '{doc['tenant']}' but its data source '{doc['source']}' belongs "
                f"to tenant '{source_tenant}'",
            )


def _lineage(
    bundle: Bundle,
    section: str,
    items: dict[str, dict[str, Any]],
    owner: dict[str, str | None],
) -> Iterator[Problem]:
    for item_id, item in items.items():
        mine = owner.get(item_id)
        for index, edge in enumerate(item["derived_from"]):
            theirs = owner.get(edge["source"])
            if theirs is None or theirs == mine:
                continue
            yield _problem(
                bundle,
                section,
                item_id,
                f".derived_from[{index}].source",
                f"is {scope_name(mine)} but derives from '{edge['source']}' of tenant "
                f"'{theirs}'; lineage may cross into shared items only",
            )


def _grants(bundle: Bundle, sources: dict[str, dict[str, Any]]) -> Iterator[Problem]:
    for role in _dumps(bundle, "roles"):
        if role["tenant"] is None:
            continue  # a shared role's grant reaches only the source tenant's own principals
        for index, grant in enumerate(role["can_access"]):
            theirs = (sources.get(grant["source"]) or {}).get("tenant")
            if theirs is not None and theirs != role["tenant"]:
                yield _problem(
                    bundle,
                    "roles",
                    role["id"],
                    f".can_access[{index}].source",
                    f"role '{role['id']}' of tenant '{role['tenant']}' cannot grant data "
                    f"source '{grant['source']}' of tenant '{theirs}'",
                )


def _principals(bundle: Bundle, roles: dict[str, dict[str, Any]]) -> Iterator[Problem]:
    for principal in _dumps(bundle, "principals"):
        pid, tenant = principal["id"], principal["tenant"]
        for index, role_id in enumerate(principal["roles"]):
            theirs = (roles.get(role_id) or {}).get("tenant")
            if theirs is not None and theirs != tenant:
                yield _problem(
                    bundle,
                    "principals",
                    pid,
                    f".roles[{index}]",
                    f"principal of tenant '{tenant}' cannot hold role '{role_id}' of "
                    f"tenant '{theirs}'",
                )
        defaults = sorted(
            {
                roles[r]["default_purpose"]
                for r in principal["roles"]
                if r in roles and roles[r]["default_purpose"]
            }
        )
        if principal["default_purpose"] is None and len(defaults) > 1:
            yield _problem(
                bundle,
                "principals",
                pid,
                ".default_purpose",
                f"its roles declare different default purposes ({', '.join(defaults)}): "
                "declare the principal's own",
            )


def _policies(bundle: Bundle, roles: dict[str, dict[str, Any]]) -> Iterator[Problem]:
    intents = {i["id"]: i["tenant"] for i in _dumps(bundle, "intents")}
    for policy in _dumps(bundle, "policies"):
        tenant = policy["tenant"]
        if tenant is None:
            continue
        scope = policy["applies_to"]
        for index, other in enumerate(scope["tenants"]):
            if other != tenant:
                yield _problem(
                    bundle,
                    "policies",
                    policy["id"],
                    f".applies_to.tenants[{index}]",
                    f"a policy of tenant '{tenant}' cannot apply to tenant '{other}'",
                )
        for field, owners in (
            ("roles", {r: d["tenant"] for r, d in roles.items()}),
            ("intents", intents),
        ):
            for index, ref in enumerate(scope[field]):
                theirs = owners.get(ref)
                if theirs is not None and theirs != tenant:
                    yield _problem(
                        bundle,
                        "policies",
                        policy["id"],
                        f".applies_to.{field}[{index}]",
                        f"a policy of tenant '{tenant}' cannot name {field[:-1]} '{ref}' of "
                        f"tenant '{theirs}'",
                    )
