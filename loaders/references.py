"""Cross-item checks of a bundle: every reference resolves, nothing loops.

Run before anything is written; every problem is reported with the file and
line of the item that holds the bad reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from engine.errors import InvalidPolicyData, Problem
from engine.model import ANY_PURPOSE, UNKNOWN_INTENT
from engine.threats.categories import POLICY_HEADS
from loaders.bundle import Bundle
from loaders.tenancy import tenancy_problems

# section -> (path inside an item, sections the id may name). "[]" walks a list.
REFERENCES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "roles": (
        ("tenant", ("tenants",)),
        ("default_purpose", ("purposes",)),
        ("can_access[].source", ("data_sources",)),
        ("can_access[].purposes[]", ("purposes",)),
    ),
    "principals": (
        ("tenant", ("tenants",)),
        ("default_purpose", ("purposes",)),
        ("roles[]", ("roles",)),
    ),
    "regions": (("jurisdiction", ("jurisdictions",)),),
    "labels": (("parent", ("labels",)),),
    "entity_types": (("indicates[]", ("labels",)),),
    "data_sources": (
        ("tenant", ("tenants",)),
        ("region", ("regions",)),
        ("labels[]", ("labels",)),
        ("derived_from[].source", ("data_sources", "documents")),
        ("derived_from[].removes_labels[]", ("labels",)),
    ),
    "documents": (
        ("tenant", ("tenants",)),
        ("source", ("data_sources",)),
        ("labels[]", ("labels",)),
        ("derived_from[].source", ("data_sources", "documents")),
        ("derived_from[].removes_labels[]", ("labels",)),
    ),
    "intents": (("tenant", ("tenants",)), ("requires[]", ("capabilities",))),
    "providers": (("regions[]", ("regions",)), ("certifications[]", ("certifications",))),
    "models": (("provider", ("providers",)), ("capabilities[]", ("capabilities",))),
    "policies": (
        ("tenant", ("tenants",)),
        ("applies_to.purposes[]", ("purposes",)),
        ("applies_to.intents[]", ("intents",)),
        ("applies_to.roles[]", ("roles",)),
        ("applies_to.tenants[]", ("tenants",)),
        ("applies_to.threats[].category", ("threat_categories",)),
        ("governs[]", ("labels",)),
        ("constraints.jurisdictions[]", ("jurisdictions",)),
        ("constraints.regions[]", ("regions",)),
        ("constraints.certifications[]", ("certifications",)),
        ("constraints.forbid_providers[]", ("providers",)),
        ("constraints.forbid_models[]", ("models",)),
        ("prefer.models[]", ("models",)),
        ("prefer.providers[]", ("providers",)),
        ("balance[].model", ("models",)),
        ("tools.providers[]", ("providers",)),
    ),
    "detection": (
        ("recognizers[].entity_type", ("entity_types",)),
        ("deny_lists[].entity_type", ("entity_types",)),
        ("deny_lists[].tenant", ("tenants",)),
        ("allow_lists[].tenant", ("tenants",)),
    ),
}

_SINGULAR = {
    "data_sources": "data source",
    "documents": "document",
    "labels": "label",
    "roles": "role",
    "tenants": "tenant",
    "purposes": "purpose",
    "regions": "region",
    "jurisdictions": "jurisdiction",
    "capabilities": "capability",
    "certifications": "certification",
    "providers": "provider",
    "models": "model",
    "intents": "intent",
    "threat_categories": "threat category",
    "entity_types": "entity type",
}


def check_references(bundle: Bundle) -> None:
    """Raise InvalidPolicyData listing every dangling reference, duplicate and cycle."""
    problems = [
        *_dangling(bundle),
        *_shared_ids(bundle),
        *_cycles(bundle),
        *_shared_keys(bundle),
        *tenancy_problems(bundle),
        *_one_item(bundle, "detection", "detects one way"),
        *_one_item(bundle, "governance", "is governed one way"),
        *_one_item(bundle, "drift", "watches drift one way"),
    ]
    if problems:
        raise InvalidPolicyData(problems)


def _dangling(bundle: Bundle) -> Iterator[Problem]:
    known = {section: bundle.ids(section) for section in _SINGULAR}
    known["intents"] = known["intents"] | {UNKNOWN_INTENT}
    known["purposes"] = known["purposes"] | {ANY_PURPOSE}
    # The shipped models' heads need no declaration; a bundle's own categories do.
    known["threat_categories"] = known["threat_categories"] | set(POLICY_HEADS)
    for section, refs in REFERENCES.items():
        for item in bundle.sections[section]:
            data = item.model_dump()
            for spec, targets in refs:
                for path, value in _walk(data, spec.split("."), ""):
                    if value is None or any(value in known[t] for t in targets):
                        continue
                    kinds = " or ".join(_SINGULAR[t] for t in targets)
                    source, location = bundle.where(section, data["id"])
                    yield Problem(
                        source,
                        location,
                        f"{section}.{data['id']}.{path}",
                        f"unknown {kinds} '{value}'",
                    )


def _walk(data: Any, parts: list[str], prefix: str) -> Iterator[tuple[str, Any]]:
    if not parts:
        yield prefix, data
        return
    if data is None:  # an optional object left out (a policy without `tools`)
        return
    head, rest = parts[0], parts[1:]
    if head.endswith("[]"):
        name = head[:-2]
        for index, element in enumerate(data.get(name) or []):
            yield from _walk(element, rest, f"{prefix}{'.' if prefix else ''}{name}[{index}]")
    else:
        yield from _walk(data.get(head), rest, f"{prefix}{'.' if prefix else ''}{head}")


def _shared_ids(bundle: Bundle) -> Iterator[Problem]:
    # DERIVED_FROM may point at a data source or a document: the id must say which.
    for item_id in sorted(bundle.ids("data_sources") & bundle.ids("documents")):
        source, location = bundle.where("documents", item_id)
        yield Problem(source, location, f"documents.{item_id}", "id is also used by a data source")


def _one_item(bundle: Bundle, section: str, why: str) -> Iterator[Problem]:
    # Settings sections: two items would have to be merged by a rule nobody wrote down.
    items = sorted(bundle.ids(section))
    if len(items) > 1:
        first = bundle.origins[(section, items[0])]
        for item_id in items[1:]:
            source, location = bundle.where(section, item_id)
            yield Problem(
                source,
                location,
                f"{section}.{item_id}",
                f"a policy set {why}: one {section} item; '{items[0]}' is already defined at "
                f"{first}",
            )


def _shared_keys(bundle: Bundle) -> Iterator[Problem]:
    owner: dict[str, str] = {}
    for principal in bundle.sections["principals"]:
        data = principal.model_dump()
        for key in data["api_keys"]:
            if key in owner and owner[key] != data["id"]:
                source, location = bundle.where("principals", data["id"])
                yield Problem(
                    source,
                    location,
                    f"principals.{data['id']}.api_keys",
                    f"the same key hash also identifies '{owner[key]}'",
                )
            owner[key] = data["id"]


def _cycles(bundle: Bundle) -> Iterator[Problem]:
    parents: dict[str, set[str]] = {}
    for label in bundle.sections["labels"]:
        data = label.model_dump()
        parents[f"labels:{data['id']}"] = {f"labels:{data['parent']}"} if data["parent"] else set()
    lineage_sections = ("data_sources", "documents")
    data_ids = {s: bundle.ids(s) for s in lineage_sections}
    for section in lineage_sections:
        for item in bundle.sections[section]:
            data = item.model_dump()
            ups = set()
            for edge in data["derived_from"]:
                kind = "data_sources" if edge["source"] in data_ids["data_sources"] else "documents"
                ups.add(f"lineage:{kind}:{edge['source']}")
            parents[f"lineage:{section}:{data['id']}"] = ups
    reported: set[str] = set()
    for start in parents:
        cycle = _find_cycle(start, parents)
        if cycle and not reported.intersection(cycle):
            reported.update(cycle)
            kind, *_ = cycle[0].split(":", 1)
            names = " -> ".join(node.rsplit(":", 1)[-1] for node in [*cycle, cycle[0]])
            section = "labels" if kind == "labels" else cycle[0].split(":")[1]
            item_id = cycle[0].rsplit(":", 1)[-1]
            source, location = bundle.where(section, item_id)
            what = "label hierarchy (parent)" if kind == "labels" else "lineage (derived_from)"
            yield Problem(source, location, f"{section}.{item_id}", f"{what} has a cycle: {names}")


def _find_cycle(start: str, parents: dict[str, set[str]]) -> list[str] | None:
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in on_path:
            return path[path.index(node) :]
        if node not in parents:
            return None
        path.append(node)
        on_path.add(node)
        for parent in sorted(parents[node]):
            found = visit(parent)
            if found:
                return found
        path.pop()
        on_path.discard(node)
        return None

    return visit(start)
