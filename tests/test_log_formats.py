"""The real CLI's logs on a terminal and off it: `govroute serve` under a pseudo-terminal
(rich lines and the startup block), with stderr to a file (JSON lines), and when asked.

Each test runs the actual command as a subprocess against the session's Neo4j with the
reference enterprise, reads what it wrote, sends one decision, and stops it with SIGINT
as a person would with Ctrl-C. Waits are bounded reads, never timed assertions.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from api.log_terminal import startup_block
from api.startup import GraphSummary, StartupSummary
from graph.connection import GraphClient
from graph.schema import apply_schema
from graph.settings import Neo4jSettings
from loaders.policy_load import load_policy_path
from tests.conftest import load_enterprise, wipe
from tests.serving import ROOT, ApiServer

pytestmark = pytest.mark.neo4j

SUPPORT = "gr_demo_eu_support_uRI5-pCzY_bOIljs"
DECIDE = {
    "prompt": "Draft a reply to Jane Doe (jane.doe@example.com) about her declined card.",
    "purpose": "support",
}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
DATA = Path(__file__).parent / "data"


class Terminal:
    """A command whose stdin, stdout and stderr are a pseudo-terminal, 120 columns wide."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        leader, follower = pty.openpty()
        os.set_blocking(leader, False)
        self._leader = leader
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**env, "COLUMNS": "120", "LINES": "40", "TERM": "xterm-256color"},
            stdin=follower,
            stdout=follower,
            stderr=follower,
            start_new_session=True,
        )
        os.close(follower)
        self.screen = ""

    def read_until(self, text: str, timeout_s: float = 180.0) -> str:
        """What the command wrote (colour codes removed) until `text` appears."""
        deadline = time.monotonic() + timeout_s
        while text not in self.screen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the terminal shows:\n{self.screen}")
            ready, _, _ = select.select([self._leader], [], [], 0.5)
            if ready:
                self._read()
            elif self.process.poll() is not None:
                raise AssertionError(f"exited ({self.process.returncode}):\n{self.screen}")
        return self.screen

    def _read(self) -> None:
        try:
            chunk = os.read(self._leader, 65536)
        except (BlockingIOError, OSError):  # EIO: the command closed the terminal
            return
        self.screen += ANSI.sub("", chunk.decode("utf-8", errors="replace")).replace("\r", "")

    def finish(self, timeout_s: float = 180.0) -> int:
        """Everything the command writes until it exits by itself; its exit code."""
        deadline = time.monotonic() + timeout_s
        while self.process.poll() is None and time.monotonic() < deadline:
            if select.select([self._leader], [], [], 0.5)[0]:
                self._read()
        return self.interrupt()

    def interrupt(self) -> int:
        """Ctrl-C, then what is left to read; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            code = self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(30)
        while select.select([self._leader], [], [], 0.2)[0]:
            before = len(self.screen)
            self._read()
            if len(self.screen) == before:
                break
        os.close(self._leader)
        return code


@pytest.fixture
def server(
    neo4j_settings: Neo4jSettings, graph: GraphClient, tmp_path: Path
) -> Iterator[ApiServer]:
    load_enterprise(graph)
    server = ApiServer(
        neo4j_settings, tmp_path, GOVROUTE_LOG_FORMAT="auto", GOVROUTE_LOG_LEVEL="INFO"
    )
    yield server
    server.stop()


def serve(server: ApiServer, *options: str) -> list[str]:
    return [sys.executable, "-m", "api.cli", "serve", *options]


def decide(server: ApiServer) -> str:
    response = httpx.post(
        f"{server.url}/v1/decide",
        json=DECIDE,
        headers={"Authorization": f"Bearer {SUPPORT}"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    decision_id: str = response.json()["id"]
    return decision_id


def test_when_serving_on_a_terminal_then_lines_are_short_text_with_one_startup_block(
    server: ApiServer,
) -> None:
    terminal = Terminal(serve(server), server.env)
    try:
        terminal.read_until(f"{server.url}/console")
        policy_version = httpx.get(f"{server.url}/readyz", timeout=10).json()["policy_version"]
        decision_id = decide(server)
        screen = terminal.read_until(f"decision {decision_id}: allow_with_redactions")
    finally:
        terminal.interrupt()

    block = screen[screen.index("govroute is serving") :]
    assert re.search(r"graph +bolt://127\.0\.0\.1:\d+ +[\d,]+ nodes, [\d,]+ relationships", block)
    assert re.search(rf"policy +{policy_version} \(sha256:", block)
    assert re.search(r"intents +\d+ \(\d+ exemplars\)", block)
    assert re.search(r"models +embedding all-MiniLM-L6-v2 \(onnx\), threat detector \S+", block)
    assert f"API      {server.url}  (OpenAPI at /docs)" in block
    assert f"console  {server.url}/console" in block
    assert "Browser  your Neo4j's own (NEO4J_URI is set)" in block
    assert screen.count("govroute is serving") == 1
    # No recognizer loading, no JSON, no uvicorn lifecycle chatter.
    assert "Loaded recognizer" not in screen
    assert '{"time"' not in screen
    assert "Uvicorn running on" not in screen
    line = next(ln for ln in screen.splitlines() if f"decision {decision_id}" in ln)
    assert re.fullmatch(
        rf"\d\d:\d\d:\d\d INFO    decision {decision_id}: allow_with_redactions  "
        r"principal=eu-support-agent tenant=nw-eu \d+\.\d ms",
        line,
    ), line


def test_when_stderr_is_not_a_terminal_then_every_line_is_json_with_one_startup_record(
    server: ApiServer,
) -> None:
    server.start()  # stdout and stderr to a file, as under a process manager
    server.wait_ready()
    decision_id = decide(server)
    server.stop()

    records = [json.loads(line) for line in server.log.read_text().splitlines()]
    [startup] = [r for r in records if r["logger"] == "govroute.startup"]
    summary = startup["startup"]
    assert (
        startup["message"]
        == f"govroute serving PolicySet {summary['policy']['version']} at {server.url}"
    )
    assert summary["graph"]["nodes"] > 0
    assert summary["graph"]["relationships"] > 0
    assert summary["policy"]["intents"] > 0
    assert summary["console_url"] == f"{server.url}/console"
    assert summary["browser_url"] is None
    assert not [r for r in records if r["logger"] == "presidio-analyzer"]
    [decided] = [
        r
        for r in records
        if r.get("decision_id") == decision_id and r["logger"] == "govroute.decision"
    ]
    assert decided["outcome"] == "allow_with_redactions"
    assert decided["tenant_id"] == "nw-eu"
    # uvicorn's lifecycle lines stay for machines
    assert any(r["message"].startswith("Uvicorn running on") for r in records)


def test_when_json_is_asked_for_on_a_terminal_then_the_terminal_gets_json_lines(
    server: ApiServer,
) -> None:
    terminal = Terminal(serve(server, "--log-format", "json"), server.env)
    try:
        screen = terminal.read_until('"logger":"govroute.startup"')
    finally:
        terminal.interrupt()

    lines = [ln for ln in screen.splitlines() if ln.strip()]
    records = [json.loads(ln) for ln in lines]
    assert "govroute.startup" in {r["logger"] for r in records}
    assert "govroute is serving" not in screen


def test_when_a_catalog_loads_on_a_terminal_then_bars_show_and_off_it_plain_lines(
    neo4j_settings: Neo4jSettings, empty_graph: GraphClient, tmp_path: Path
) -> None:
    load_policy_path(empty_graph, DATA / "minimal", author="tests", message="minimal")
    env = {**ApiServer(neo4j_settings, tmp_path).env}
    try:
        terminal = Terminal([sys.executable, "-m", "api.cli", "load", str(DATA / "catalog")], env)
        code = terminal.finish()
        screen = terminal.screen
        piped = subprocess.run(
            [sys.executable, "-m", "api.cli", "load", str(DATA / "catalog")],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    finally:
        wipe(empty_graph)

    assert code == 0, screen
    # One bar per phase, each ending at its total.
    assert re.search(r"building indexes \(%\) +━+ 100/100", screen)
    for phase in ("reading documents.csv", "writing documents", "writing lineage"):
        assert re.search(rf"{re.escape(phase)} +━+ 6/6", screen), phase
    assert piped.returncode == 0, piped.stderr
    # Off a terminal (a CI log, a pipe): one plain line per phase start and end, no bars
    # and no escape codes (loaders/catalog_progress.py).
    assert "\x1b" not in piped.stderr
    assert "━" not in piped.stderr + piped.stdout
    assert "reading documents.csv: started" in piped.stderr
    assert re.search(r"reading documents\.csv: 6 rows, [\d,]+ rows/s, [\d.]+s done", piped.stderr)
    assert "6 documents, 5 lineage edges" in piped.stdout  # the report: "unchanged" this time


def test_when_an_index_is_built_on_existing_nodes_then_its_population_is_reported(
    empty_graph: GraphClient,
) -> None:
    empty_graph.run_statement(
        "UNWIND range(1, 20000) AS i CREATE (:Document {id: 'populate-' + i, origin: 'test'})"
    )
    empty_graph.run_statement("DROP INDEX document_origin IF EXISTS")
    heard: list[float] = []
    try:
        apply_schema(empty_graph, on_population=heard.append)
        [online] = empty_graph.run_statement(
            "SHOW INDEXES YIELD name, state WHERE name = 'document_origin' RETURN state"
        )
    finally:
        wipe(empty_graph)

    assert heard, "the population was never reported"
    assert heard[-1] == 100.0
    assert all(0.0 <= p <= 100.0 for p in heard)
    assert online["state"] == "ONLINE"


def test_when_the_graph_did_not_answer_at_start_then_the_block_says_not_ready() -> None:
    summary = StartupSummary(
        graph=GraphSummary("bolt://127.0.0.1:7999", None, None),
        policy=None,
        embedding_model="all-MiniLM-L6-v2 (onnx)",
        threat_detector="ngram-linear-0",
        api_url="http://127.0.0.1:9000",
        console_url="http://127.0.0.1:9000/console",
        browser_url=None,
    )
    console = Console(record=True, width=120)

    console.print(startup_block(summary.fields()))

    screen = console.export_text()
    assert summary.message() == "govroute serving no PolicySet yet at http://127.0.0.1:9000"
    assert (
        "graph    bolt://127.0.0.1:7999  not answering: decisions get 503 until it does" in screen
    )
    assert "policy   none loaded yet: not ready" in screen
    assert "console  http://127.0.0.1:9000/console" in screen
