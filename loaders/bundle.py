"""A bundle: every validated item of one policy load, merged across files.

It knows where each item came from (for error messages) and gives the content
a canonical form, independent of how it was split into files, ordered or
formatted, whose SHA-256 identifies the PolicySet version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from engine.errors import InvalidPolicyData, Problem
from loaders.spec import SECTIONS, PolicyDocument
from loaders.yaml_source import LocatedItem

# List fields whose order carries no meaning; canonical form sorts and dedupes them.
_SET_LIKE = frozenset(
    {
        "roles", "labels", "capabilities", "regions", "certifications", "governs", "intents",
        "tenants", "purposes", "jurisdictions", "forbid_providers", "forbid_models",
        "indicates", "requires", "api_keys", "removes_labels", "context", "permissions",
        "exemplars",  # a set of example utterances; RDF carries no order for them
        "positives", "negatives",  # a threat category's exemplars, likewise
        "phone_regions", "values",  # detection settings: regions, deny/allow list values
    }
)  # fmt: skip
# Any one threat condition is enough, so their order means nothing either (and RDF keeps none).
_KEYED_LISTS = {
    "can_access": "source",
    "derived_from": "source",
    "threats": "category",
    # the detection settings' own items, each with an id
    "recognizers": "id",
    "deny_lists": "id",
    "allow_lists": "id",
    "limits": "metric",  # the drift settings' limits, one per metric
}


@dataclass(slots=True)
class Bundle:
    sections: dict[str, list[BaseModel]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    origins: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def from_items(cls, items: Iterable[LocatedItem]) -> Bundle:
        bundle = cls()
        problems: list[Problem] = []
        for located in items:
            item_id = str(getattr(located.item, "id"))  # noqa: B009 - every spec item has an id
            key = (located.section, item_id)
            where = f"{located.source}:line {located.line}"
            if key in bundle.origins:
                problems.append(
                    Problem(
                        located.source,
                        f"line {located.line}",
                        f"{located.section}.{item_id}",
                        f"duplicate id; first defined at {bundle.origins[key]}",
                    )
                )
                continue
            bundle.origins[key] = where
            bundle.sections[located.section].append(located.item)
        if problems:
            raise InvalidPolicyData(problems)
        return bundle

    @classmethod
    def from_document(cls, document: PolicyDocument, source: str) -> Bundle:
        items = [
            LocatedItem(section, item, source, 0)
            for section in SECTIONS
            for item in getattr(document, section)
        ]
        return cls.from_items(items)

    def where(self, section: str, item_id: str) -> tuple[str, str]:
        """(source, location) of an item, for error messages."""
        origin = self.origins.get((section, item_id), "")
        source, _, location = origin.partition(":")
        return source, location

    def document(self) -> PolicyDocument:
        return PolicyDocument.model_validate(self.canonical())

    def canonical(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for section in SECTIONS:
            items = sorted(self.sections[section], key=lambda m: str(getattr(m, "id")))  # noqa: B009
            out[section] = [_canonical_value(m.model_dump(mode="json")) for m in items]
        return out

    def canonical_json(self) -> str:
        return json.dumps(
            self.canonical(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )

    def content_hash(self) -> str:
        return content_hash_of(self.canonical_json())

    def ids(self, section: str) -> set[str]:
        return {str(getattr(m, "id")) for m in self.sections[section]}  # noqa: B009


def content_hash_of(canonical_json: str) -> str:
    """The PolicySet content hash of a bundle's canonical JSON."""
    return "sha256:" + hashlib.sha256(canonical_json.encode("utf-8")).hexdigest()


def _canonical_value(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _canonical_value(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical_value(v) for v in value]
        if key in _SET_LIKE and all(isinstance(v, str) for v in items):
            return sorted(set(items))
        if key in _KEYED_LISTS:
            field_name = _KEYED_LISTS[key]
            return sorted(items, key=lambda v: str(v.get(field_name, "")))
        return items
    return value
