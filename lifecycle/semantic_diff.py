"""What changed between two policy contents, item by item and field by field.

Both sides are compared in their canonical form (loaders.bundle), so how the
content is split into files, ordered or formatted never shows as a change, and a
stored version (whose canonical JSON is recorded on its PolicySet) compares with a
directory directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from loaders.bundle import Bundle
from loaders.spec import SECTIONS


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: str  # dotted path inside the item, e.g. "applies_to.roles"
    before: Any  # None when the field is new
    after: Any  # None when the field is gone

    def describe(self) -> str:
        if _scalars(self.before) and _scalars(self.after):
            gone = [v for v in self.before if v not in self.after]
            new = [v for v in self.after if v not in self.before]
            if gone or new:
                parts = [f"+{v}" for v in new] + [f"-{v}" for v in gone]
                return f"{self.path}: {' '.join(parts)}"
        return f"{self.path}: {_json(self.before)} -> {_json(self.after)}"


@dataclass(frozen=True, slots=True)
class ItemChange:
    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class SectionDiff:
    section: str  # "policies", "labels", ...
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[ItemChange, ...] = ()


@dataclass(frozen=True, slots=True)
class ContentDiff:
    sections: tuple[SectionDiff, ...]  # only sections with a change

    @property
    def empty(self) -> bool:
        return not self.sections


def content_diff(before: Bundle, after: Bundle) -> ContentDiff:
    a, b = before.canonical(), after.canonical()
    sections = []
    for section in SECTIONS:
        old = {str(item["id"]): item for item in a.get(section, [])}
        new = {str(item["id"]): item for item in b.get(section, [])}
        changed = tuple(
            ItemChange(item_id, fields)
            for item_id in sorted(old.keys() & new.keys())
            if (fields := tuple(_field_changes(old[item_id], new[item_id], "")))
        )
        diff = SectionDiff(
            section,
            added=tuple(sorted(new.keys() - old.keys())),
            removed=tuple(sorted(old.keys() - new.keys())),
            changed=changed,
        )
        if diff.added or diff.removed or diff.changed:
            sections.append(diff)
    return ContentDiff(tuple(sections))


def _field_changes(old: Any, new: Any, path: str) -> Iterator[FieldChange]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(old.keys() | new.keys()):
            yield from _field_changes(old.get(key), new.get(key), f"{path}.{key}" if path else key)
    elif old != new:
        yield FieldChange(path, old, new)


def _scalars(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str | int | float) for v in value)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
