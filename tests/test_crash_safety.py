"""Provenance survives SIGKILL: every decision whose answer a client received is in
Neo4j once the killed API has been started again.

The real server runs as a subprocess (`govroute serve`, uvicorn on 127.0.0.1) against
a Neo4j of this module's own (so freezing or stopping it leaves the session's alone).
Clients send decisions from several threads; mid-load the API is SIGKILLed, with
Neo4j up, frozen (SIGSTOP) or stopped meanwhile; then Neo4j comes back, the API is
started on the same state directory, and every answered id is looked up in the graph.
In the frozen case the API is restarted while Neo4j is still frozen: it must start,
say not ready, and become ready (and replay) once Neo4j resumes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import LiteralString

import httpx
import pytest

from graph.connection import GraphClient, records
from graph.server import LocalNeo4j, throwaway_server
from loaders.policy_load import load_policy_path
from tests.conftest import ENTERPRISE
from tests.serving import ApiServer, frozen

KEYS = ("gr_demo_eu_analyst_7yv3K_rT96Ry0XZC", "gr_demo_eu_support_uRI5-pCzY_bOIljs")
FOUND: LiteralString = "UNWIND $ids AS id MATCH (x:Decision {id: id}) RETURN count(x) AS n"


@pytest.fixture(scope="module")
def crash_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    with throwaway_server(
        tmp_path_factory.mktemp("crash-neo4j"), heap="512m", pagecache="256m"
    ) as s:
        with GraphClient.connect(s.client_settings()) as client:
            load_policy_path(client, ENTERPRISE, author="tests", message="reference enterprise")
        yield s


class Load:
    """Client threads sending decisions until told to stop; keeps the answered ids."""

    def __init__(self, url: str, threads: int = 4) -> None:
        self.url = url
        self.answered: list[str] = []
        self.refused: list[int] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)
        ]

    def start(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def count(self) -> int:
        with self._lock:
            return len(self.answered)

    def _run(self, n: int) -> None:
        with httpx.Client(timeout=30) as client:
            i = 0
            while not self._stop.is_set():
                i += 1
                key = KEYS[(n + i) % len(KEYS)]
                try:
                    response = client.post(
                        f"{self.url}/v1/decide",
                        json={"prompt": f"Draft a reply to ticket {n}-{i} for Jane Doe."},
                        headers={"Authorization": f"Bearer {key}"},
                    )
                except httpx.HTTPError:
                    continue  # the server is gone: nothing was answered
                with self._lock:
                    if response.status_code == 200:
                        self.answered.append(response.json()["id"])
                    else:
                        self.refused.append(response.status_code)
                if response.status_code != 200:
                    time.sleep(0.2)  # e.g. 429 once the demo keys' 600/min are spent


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout_s:.0f} s: {what}")
        time.sleep(0.2)


def in_graph(neo4j: LocalNeo4j, ids: list[str]) -> int:
    with GraphClient.connect(neo4j.client_settings()) as client:
        return int(client.read(records, FOUND, ids=ids)[0]["n"])


@pytest.mark.neo4j
@pytest.mark.slow
@pytest.mark.parametrize("neo4j_during_load", ["up", "frozen", "stopped"])
def test_when_the_api_is_sigkilled_mid_load_then_every_answered_decision_reaches_neo4j(
    crash_neo4j: LocalNeo4j, tmp_path: Path, neo4j_during_load: str
) -> None:
    settings = crash_neo4j.client_settings()
    api = ApiServer(settings, tmp_path).start()
    successor = ApiServer(settings, tmp_path)
    try:
        api.wait_ready()
        load = Load(api.url).start()
        try:
            wait_for(lambda: load.count() >= 40, 120, "40 answers with Neo4j up")
            if neo4j_during_load == "up":
                wait_for(lambda: load.count() >= 150, 120, "150 answers")
                api.kill()
            elif neo4j_during_load == "frozen":
                pid = crash_neo4j.status().pid
                assert pid is not None
                with frozen(pid):
                    seen = load.count()
                    wait_for(lambda: load.count() >= seen + 100, 120, "100 answers, frozen")
                    api.kill()
                    load.stop()
                    # A replica started while Neo4j stalls: it serves HTTP, not ready.
                    successor.start().wait_serving()
                    assert successor.readyz() == 503
            else:
                crash_neo4j.stop()
                seen = load.count()
                wait_for(lambda: load.count() >= seen + 100, 120, "100 answers, stopped")
                api.kill()
                load.stop()
                crash_neo4j.start()
        finally:
            load.stop()
        answered = list(load.answered)
        assert len(answered) >= 140
        assert len(set(answered)) == len(answered)

        if successor.process is None:
            successor.start()
        successor.wait_ready()
        wait_for(
            lambda: in_graph(crash_neo4j, answered) == len(answered),
            120,
            "every answered decision is in Neo4j",
        )
    finally:
        api.kill()
        successor.stop()
    print(
        f"\n{neo4j_during_load}: {len(answered)} answered before SIGKILL, all in Neo4j "
        f"after restart; refused {len(load.refused)} ({sorted(set(load.refused))})"
    )
