"""A frozen Neo4j (SIGSTOP) gives bounded answers: 503 for what needs the graph,
decisions from cache for what does not, /readyz unready, and ready again after.

A throwaway Neo4j of this module's own is frozen, so the session's server is never
touched; every freeze is undone with SIGCONT in a finally. The assertions are on
outcomes (status codes, the request finished at all); bench/failsafe.py prints the
waiting times.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings, Settings
from graph.connection import GraphClient
from graph.server import LocalNeo4j, throwaway_server
from loaders.policy_load import load_policy_path
from tests.conftest import ENTERPRISE
from tests.serving import frozen
from tests.test_failsafe_redis import finishes

ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"
ENGINEER = "gr_demo_eu_engineer_cFhc2wNyeRSuW30R"


@pytest.fixture(scope="module")
def stall_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    with throwaway_server(
        tmp_path_factory.mktemp("stall-neo4j"), heap="512m", pagecache="256m"
    ) as s:
        with GraphClient.connect(s.client_settings()) as client:
            load_policy_path(client, ENTERPRISE, author="tests", message="reference enterprise")
        yield s


def pid_of(server: LocalNeo4j) -> int:
    pid = server.status().pid
    assert pid is not None
    return pid


def eventually(condition: Callable[[], bool], what: str, bound_s: float = 60.0) -> None:
    deadline = time.monotonic() + bound_s
    while not condition():
        assert time.monotonic() < deadline, f"not within {bound_s:.0f} s: {what}"
        time.sleep(0.1)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.neo4j
def test_when_neo4j_freezes_then_uncached_keys_get_503_and_readyz_turns_unready(
    stall_neo4j: LocalNeo4j, tmp_path: Path
) -> None:
    settings = Settings(neo4j=stall_neo4j.client_settings(), api=ApiSettings(state_dir=tmp_path))
    body = {"prompt": "Summarise the churn feature catalogue."}
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        assert client.post("/v1/decide", json=body, headers=auth(ANALYST)).status_code == 200
        with frozen(pid_of(stall_neo4j)):
            unknown = finishes(lambda: client.post("/v1/decide", json=body, headers=auth(ENGINEER)))
            assert unknown.status_code == 503, unknown.text
            assert unknown.json()["error"]["code"] == "graph_unavailable"
            # A key seen before the freeze answers from the last state.
            known = finishes(lambda: client.post("/v1/decide", json=body, headers=auth(ANALYST)))
            assert known.status_code == 200, known.text
            eventually(lambda: client.get("/readyz").status_code == 503, "/readyz unready")
            ready = client.get("/readyz").json()
            assert (ready["status"], ready["graph"]) == ("not_ready", "down")
            # Context that cannot be checked is withheld, within the deadline.
            with_context = finishes(
                lambda: client.post(
                    "/v1/decide",
                    json={
                        **body,
                        "purpose": "analytics",
                        "context": [{"id": "doc-x", "text": "x"}],
                    },
                    headers=auth(ANALYST),
                )
            )
            assert with_context.status_code == 200
            assert [w["code"] for w in with_context.json()["withholdings"]] == ["facts_unavailable"]
        eventually(lambda: client.get("/readyz").status_code == 200, "/readyz ready again")
        after = client.post("/v1/decide", json=body, headers=auth(ENGINEER))
        assert after.status_code == 200, after.text
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        assert runtime.writer.flush()
        eventually(lambda: not runtime.writer.behind, "provenance caught up")


@pytest.mark.neo4j
def test_when_a_replica_starts_while_neo4j_is_frozen_then_it_serves_unready_until_neo4j_returns(
    stall_neo4j: LocalNeo4j, tmp_path: Path
) -> None:
    settings = Settings(neo4j=stall_neo4j.client_settings(), api=ApiSettings(state_dir=tmp_path))
    body = {"prompt": "Summarise the churn feature catalogue."}
    app = create_app(settings)
    with frozen(pid_of(stall_neo4j)):
        client = finishes(lambda: TestClient(app).__enter__(), bound_s=120)
        try:
            assert client.get("/healthz").status_code == 200
            ready = client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["policy_version"] is None
            refused = finishes(lambda: client.post("/v1/decide", json=body, headers=auth(ANALYST)))
            assert refused.status_code == 503
            assert refused.json()["error"]["code"] == "graph_unavailable"
        except BaseException:
            client.__exit__(None, None, None)
            raise
    try:
        eventually(lambda: client.get("/readyz").status_code == 200, "ready once Neo4j resumes")
        answered = client.post("/v1/decide", json=body, headers=auth(ANALYST))
        assert answered.status_code == 200, answered.text
        assert client.get("/readyz").json()["policy_version"] == answered.json()["policy_version"]
    finally:
        client.__exit__(None, None, None)
