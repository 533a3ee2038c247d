"""The two sides of a diff: a stored PolicySet version, a policy directory or a file."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.errors import InvalidRequest
from graph.connection import GraphClient
from loaders.bundle import Bundle
from loaders.policy_load import read_bundle, stored_bundle

_VERSION = re.compile(r"v?(\d+)")


@dataclass(frozen=True, slots=True)
class PolicySource:
    label: str  # how reports name this side: "v3" or the path
    bundle: Bundle


def version_of(spec: str) -> int | None:
    """12 or v12 names a stored version, unless a file or directory has that name."""
    found = _VERSION.fullmatch(spec)
    if found is None or Path(spec).exists():
        return None
    return int(found.group(1))


def stored_source(client: GraphClient, version: int) -> PolicySource:
    """A stored version as one side of a diff (the admin API names versions only)."""
    return PolicySource(f"v{version}", stored_bundle(client, version))


def needs_graph(*specs: str) -> bool:
    return any(version_of(s) is not None for s in specs)


def read_source(spec: str, client: Callable[[], GraphClient]) -> PolicySource:
    """`client` is asked for only when `spec` is a version number."""
    version = version_of(spec)
    if version is not None:
        return stored_source(client(), version)
    path = Path(spec)
    if not path.exists():
        raise InvalidRequest(
            f"{spec!r} is neither a stored version (a number) nor a file or directory",
            field="source",
        )
    return PolicySource(str(path), read_bundle(path))
