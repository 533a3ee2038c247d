"""Test session fixtures: one real Neo4j server per session, on free loopback ports.

The server is the same bundled Community server `govroute neo4j start` runs,
under a temporary home, so tests never touch a developer's own data. Tests that
need an empty graph use `empty_graph`; tests that need the reference enterprise
use `enterprise` (loaded once, re-loaded when a test changed it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import queries, store
from graph.connection import GraphClient, records
from graph.schema import apply_schema
from graph.server import LocalNeo4j, throwaway_server
from graph.settings import Neo4jSettings
from loaders.policy_load import LoadReport, load_policy_path, read_bundle

ROOT = Path(__file__).resolve().parents[1]
ENTERPRISE = ROOT / "examples" / "enterprise"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    with throwaway_server(tmp_path_factory.mktemp("neo4j"), heap="1g", pagecache="512m") as server:
        yield server


@pytest.fixture(scope="session")
def neo4j_settings(neo4j_server: LocalNeo4j) -> Neo4jSettings:
    return neo4j_server.client_settings()


@pytest.fixture(scope="session")
def graph(neo4j_settings: Neo4jSettings) -> Iterator[GraphClient]:
    client = GraphClient.connect(neo4j_settings)
    apply_schema(client)
    try:
        yield client
    finally:
        client.close()


def unhurried(settings: Neo4jSettings) -> Neo4jSettings:
    """The same server with a 5 s request-path deadline instead of 0.8 s.

    For modules that test what is exposed, not how the deadline fails safe (that is
    tests/test_failsafe*.py): a cold first facts query on a loaded machine can pass
    0.8 s, and the item would then be withheld as facts_unavailable, by design.
    """
    return settings.model_copy(update={"request_timeout_s": 5.0})


def wipe(client: GraphClient) -> None:
    while True:
        deleted = client.write(records, queries.DELETE_ALL_BATCH, batch=10_000)[0]["deleted"]
        if deleted == 0:
            return


@pytest.fixture
def empty_graph(graph: GraphClient) -> GraphClient:
    wipe(graph)
    return graph


def load_enterprise(client: GraphClient) -> LoadReport:
    """The reference enterprise as the active PolicySet.

    A no-op when it already is. Otherwise the graph is emptied first: another
    module may have left content behind (a catalog pointing at sources the
    enterprise does not have) that would rightly make the load refuse.
    """
    active = store.active_policy_set(client)
    if active is None or active.content_hash != read_bundle(ENTERPRISE).content_hash():
        wipe(client)
    return load_policy_path(client, ENTERPRISE, author="tests", message="reference enterprise")


@pytest.fixture
def enterprise(graph: GraphClient) -> LoadReport:
    return load_enterprise(graph)
