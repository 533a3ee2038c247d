"""A notebook architect's draft of the policy content, committed like any policy load.

`Workspace(client)` starts from the active PolicySet's content (as the graph holds
it), lets the architect add or change data sources and documents, and `commit`
validates the whole draft with the checks every load runs (Bundle ids, references,
lineage cycles) and applies it through `loaders.policy_load.apply_bundle`: a new
PolicySet version, atomic, with author and message, exactly like a YAML load.

The graph is not the source of truth for policy content, the policy repository is:
a later YAML load of a policy directory that lacks a notebook's data source retires
that data source (declarative loads own every policy node). `export_yaml` writes
the draft's data sources and documents to a YAML file to add to the repository, so
the next load keeps them.

Impact questions (`impact_of_labeling`) are answered from the graph, so they need a
draft without uncommitted lineage or label changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from engine.errors import InvalidPolicyData, InvalidRequest, NotFound, Problem
from engine.model import Snapshot
from graph import lineage, store
from graph.connection import GraphClient
from graph.snapshot import build_snapshot
from loaders.bundle import Bundle
from loaders.graph_mapping import from_graph
from loaders.policy_load import LoadReport, apply_bundle
from loaders.spec import SECTIONS, DataSource, Document, LineageEdge, PolicyDocument

SOURCE = "<workspace>"
"""How problems found in a draft name their source."""

Upstream: TypeAlias = LineageEdge | str | tuple[str, str] | tuple[str, str, Sequence[str]]
"""One DERIVED_FROM edge: a LineageEdge, an upstream id, or (id, transform[, removes])."""

_ITEM_SECTIONS = ("data_sources", "documents")
_LINEAGE_SECTIONS = ("labels", *_ITEM_SECTIONS)
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Change:
    section: str  # "data_sources", "documents", ...
    id: str
    kind: Literal["added", "changed", "removed"]


class Workspace:
    """A mutable draft of the active policy content; see the module docstring."""

    def __init__(self, client: GraphClient) -> None:
        self._client = client
        self.refresh()

    # ------------------------------------------------------------------ state

    def refresh(self) -> None:
        """Drop the draft and start again from the active policy content."""
        self._read_base()
        self._origin = self._base

    def _read_base(self) -> None:
        info, content = store.read_policy_content(self._client)
        self.base_version: int | None = info.version if info else None
        self.snapshot: Snapshot = build_snapshot(
            content,
            version=info.id if info else "none",
            content_hash=info.content_hash if info else "",
        )
        document = from_graph(content)
        self._base: dict[str, dict[str, BaseModel]] = {
            section: {str(item.id): item for item in getattr(document, section)}
            for section in SECTIONS
        }
        self._draft = {section: dict(items) for section, items in self._base.items()}

    def document(self) -> PolicyDocument:
        """The draft as one policy document."""
        return PolicyDocument.model_validate(
            {section: list(items.values()) for section, items in self._draft.items()}
        )

    def changes(self, *, since_opened: bool = False) -> list[Change]:
        """What the draft adds, changes and removes relative to the active content.

        With since_opened, relative to the content this workspace was opened (or last
        refreshed) from instead, so what earlier commits of this workspace did counts too.
        """
        origin = self._origin if since_opened else self._base
        out: list[Change] = []
        for section in SECTIONS:
            base, draft = origin[section], self._draft[section]
            for item_id in sorted(base.keys() | draft.keys()):
                if item_id not in base:
                    out.append(Change(section, item_id, "added"))
                elif item_id not in draft:
                    out.append(Change(section, item_id, "removed"))
                elif _comparable(base[item_id]) != _comparable(draft[item_id]):
                    out.append(Change(section, item_id, "changed"))
        return out

    def __contains__(self, item_id: object) -> bool:
        return any(item_id in self._draft[s] for s in _ITEM_SECTIONS)

    # ------------------------------------------------------------------ edits

    def add_data_source(
        self,
        id: str,
        name: str,
        *,
        kind: str = "dataset",
        description: str = "",
        region: str | None = None,
        labels: Iterable[str] = (),
        derived_from: Iterable[Upstream] = (),
        tenant: str | None = None,
        shared: bool = False,
        replace: bool = False,
    ) -> DataSource:
        """Add a data source to the draft (or redefine it with replace=True).

        `derived_from` takes upstream ids or (id, transform, removes_labels) tuples,
        e.g. [("crm-eu", "aggregation", ["pii"])]. Where tenants exist it needs
        `tenant` or `shared=True` (docs/tenancy.md). References are checked at commit.
        """
        item = _validated(
            DataSource,
            "data_sources",
            id,
            id=id,
            name=name,
            kind=kind,
            description=description,
            region=region,
            labels=_ids(labels),
            derived_from=_lineage(derived_from),
            tenant=tenant,
            shared=shared,
        )
        self._put("data_sources", item, replace)
        return item

    def add_document(
        self,
        id: str,
        source: str,
        *,
        title: str = "",
        labels: Iterable[str] = (),
        derived_from: Iterable[Upstream] = (),
        tenant: str | None = None,
        replace: bool = False,
    ) -> Document:
        """Add a document PART_OF `source` to the draft (or redefine it with replace=True);
        without `tenant` it belongs to its source's tenant."""
        item = _validated(
            Document,
            "documents",
            id,
            id=id,
            source=source,
            title=title,
            labels=_ids(labels),
            derived_from=_lineage(derived_from),
            tenant=tenant,
        )
        self._put("documents", item, replace)
        return item

    def set_labels(self, item_id: str, labels: Iterable[str]) -> None:
        """Replace the direct labels of a data source or document in the draft."""
        section = self._section_of(item_id)
        current = self._draft[section][item_id]
        fields = {**current.model_dump(), "labels": _ids(labels)}
        self._draft[section][item_id] = _validated(type(current), section, item_id, **fields)

    def remove(self, item_id: str) -> None:
        """Remove a data source or document from the draft (commit retires it)."""
        del self._draft[self._section_of(item_id)][item_id]

    # ------------------------------------------------------------------ commit and export

    def commit(self, message: str, author: str) -> LoadReport:
        """Validate the whole draft like any load and apply it as a new PolicySet version.

        Raises InvalidPolicyData, with nothing written, when a reference dangles, ids
        clash, lineage loops, or the active version moved since this workspace was
        opened (someone else loaded; `refresh()` and redo the edits). An unchanged
        draft commits nothing (the report says unchanged).
        """
        bundle = Bundle.from_document(self.document(), SOURCE)
        # Problems name the workspace, without the line numbers a draft does not have.
        bundle.origins = dict.fromkeys(bundle.origins, SOURCE)
        active = store.active_policy_set(self._client)
        version = active.version if active else None
        if version != self.base_version:
            raise InvalidPolicyData(
                [
                    Problem(
                        SOURCE,
                        "",
                        "",
                        f"the active PolicySet is v{version}, but this workspace started "
                        f"from v{self.base_version}: refresh() and redo the changes",
                    )
                ]
            )
        report = apply_bundle(self._client, bundle, author=author, message=message)
        self._read_base()
        return report

    def export_yaml(
        self, path: Path | str, ids: Iterable[str] | None = None, *, only_changes: bool = True
    ) -> Path:
        """Write data sources and documents of the draft as policy YAML; returns the path.

        `ids` names exactly the items to write. Without it, and with only_changes (the
        default), the file holds what this workspace added or changed since it was
        opened, committed or not; a changed item must then be deleted from the file
        that defined it before. With only_changes=False it holds every data source
        and document, to replace the repository's data files.
        """
        if ids is not None:
            wanted = set(_ids(ids))
            missing = sorted(wanted - {i for s in _ITEM_SECTIONS for i in self._draft[s]})
            if missing:
                raise NotFound(f"not in the draft: {', '.join(missing)}")
            keep = {(s, i) for s in _ITEM_SECTIONS for i in self._draft[s] if i in wanted}
        elif only_changes:
            keep = {(c.section, c.id) for c in self.changes(since_opened=True)}
        else:
            keep = {(s, i) for s in _ITEM_SECTIONS for i in self._draft[s]}
        sections = {
            section: [
                item.model_dump(mode="json", exclude_defaults=True)
                for item_id, item in sorted(self._draft[section].items())
                if (section, item_id) in keep
            ]
            for section in _ITEM_SECTIONS
        }
        header = (
            "# Exported from a govroute notebook workspace. Add this file to the policy\n"
            "# repository: a YAML load that lacks these items retires them from the graph.\n"
        )
        target = Path(path)
        text = yaml.dump(sections, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
        target.write_text(header + text, encoding="utf-8")
        return target

    # ------------------------------------------------------------------ impact

    def impact_of_labeling(
        self, source_id: str, label_id: str, *, limit: int = lineage.DEFAULT_LIMIT
    ) -> list[lineage.Inheritor]:
        """Items that would newly carry `label_id` if `source_id` held it, with paths.

        Computed from the committed graph (the hypothetical label is never written);
        the answer includes `source_id` itself unless it already carries the label.
        Raises InvalidRequest when the draft has uncommitted label or lineage changes,
        since the graph would not reflect them.
        """
        pending = [c for c in self.changes() if c.section in _LINEAGE_SECTIONS]
        if pending:
            listed = ", ".join(f"{c.section}.{c.id} ({c.kind})" for c in pending[:5])
            raise InvalidRequest(
                f"commit the draft first: impact is computed from the graph, which does not "
                f"hold {listed}"
            )
        if label_id not in self.snapshot.labels:
            raise NotFound(f"no sensitivity label {label_id!r}")
        return lineage.impact_of_label(
            self._client, source_id, label_id, self.snapshot.label_ancestry, limit=limit
        )

    # ------------------------------------------------------------------ internals

    def _put(self, section: str, item: BaseModel, replace: bool) -> None:
        item_id = str(item.id)  # type: ignore[attr-defined]
        if item_id in self._draft[section] and not replace:
            raise InvalidPolicyData(
                [
                    Problem(
                        SOURCE,
                        "",
                        f"{section}.{item_id}",
                        "already exists; pass replace=True to redefine it",
                    )
                ]
            )
        self._draft[section][item_id] = item

    def _section_of(self, item_id: str) -> str:
        for section in _ITEM_SECTIONS:
            if item_id in self._draft[section]:
                return section
        raise NotFound(f"no data source or document {item_id!r} in the draft")


class _NoAliases(yaml.SafeDumper):
    # The policy reader refuses anchors and aliases, so the writer never emits them.
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _ids(values: Iterable[str]) -> list[str]:
    if isinstance(values, str):  # a lone id, not an iterable of characters
        return [values]
    return sorted(set(values))


def _lineage(edges: Iterable[Upstream]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for edge in edges:
        if isinstance(edge, LineageEdge):
            edge_dict = edge.model_dump()
        elif isinstance(edge, str):
            edge_dict = {"source": edge}
        else:
            source, transform, *rest = edge
            edge_dict = {"source": source, "transform": transform}
            if rest:
                edge_dict["removes_labels"] = rest[0]
        edge_dict["removes_labels"] = _ids(edge_dict.get("removes_labels") or ())
        out.append(edge_dict)
    return sorted(out, key=lambda e: str(e["source"]))


def _comparable(item: BaseModel) -> dict[str, Any]:
    # Order carries no meaning in these lists (the canonical form sorts them too).
    data = item.model_dump(mode="json")
    if "labels" in data:
        data["labels"] = sorted(data["labels"])
    if "derived_from" in data:
        data["derived_from"] = sorted(
            ({**e, "removes_labels": sorted(e["removes_labels"])} for e in data["derived_from"]),
            key=lambda e: str(e["source"]),
        )
    return data


def _validated(model: type[M], section: str, item_id: str, **fields: Any) -> M:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:
        raise InvalidPolicyData(
            [
                Problem(
                    SOURCE,
                    "",
                    ".".join([section, item_id, *(str(p) for p in error["loc"])]),
                    str(error["msg"]),
                )
                for error in exc.errors(include_url=False)
            ]
        ) from exc
