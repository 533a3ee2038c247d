"""Test helpers: the real API server as a subprocess, and freezing real processes.

`ApiServer` runs `govroute serve` (uvicorn on 127.0.0.1, a free port) against the
Neo4j it is given, with its own state directory, so a test can SIGKILL it and start
it again on the same journal. `frozen` stops a process with SIGSTOP and always
resumes it with SIGCONT, whatever the test did meanwhile.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from api.gateway.fake_upstream import BackgroundServer
from graph.server import free_port
from graph.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parents[1]


class ApiServer:
    def __init__(self, neo4j: Neo4jSettings, state_dir: Path, **env: str) -> None:
        assert neo4j.uri is not None
        assert neo4j.password is not None
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = state_dir / "api.log"
        inherited = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        self._env = {
            **inherited,
            "NEO4J_URI": neo4j.uri,
            "NEO4J_USER": neo4j.user,
            "NEO4J_PASSWORD": neo4j.password.get_secret_value(),
            "GOVROUTE_HOST": "127.0.0.1",
            "GOVROUTE_PORT": str(self.port),
            "GOVROUTE_STATE_DIR": str(state_dir),
            "GOVROUTE_SECRET": "tests-secret-0123456789abcdef",
            "GOVROUTE_LOG_FORMAT": "text",
            "GOVROUTE_LOG_LEVEL": "WARNING",
            "HF_HUB_OFFLINE": "1",
            # `govroute serve` checks for drift every few minutes; a test that wants it says so
            "GOVROUTE_DRIFT_CHECK_INTERVAL_S": "0",
            "TRANSFORMERS_OFFLINE": "1",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        """The environment `govroute serve` runs with (a copy), for a test running it itself."""
        return dict(self._env)

    def start(self) -> ApiServer:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "api.cli", "serve"],
                cwd=ROOT,
                env=self._env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return self

    def wait_serving(self, timeout_s: float = 180.0) -> None:
        """Until the server answers HTTP at all (/healthz), ready or not."""
        self._wait(lambda r: r.status_code == 200, "/healthz", timeout_s)

    def wait_ready(self, timeout_s: float = 180.0) -> None:
        self._wait(lambda r: r.status_code == 200, "/readyz", timeout_s)

    def readyz(self) -> int:
        return httpx.get(f"{self.url}/readyz", timeout=5).status_code

    def _wait(self, ok: Callable[[httpx.Response], bool], path: str, timeout_s: float) -> None:
        assert self.process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the API exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if ok(httpx.get(f"{self.url}{path}", timeout=5)):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{path} not OK within {timeout_s:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is drained."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, lines: int = 40) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@contextmanager
def frozen(pid: int) -> Iterator[None]:
    """The process stopped (SIGSTOP) inside the block, resumed (SIGCONT) after it."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


class ScriptedFake:
    """A fake provider (any kind, api/gateway/fake_*.py) on 127.0.0.1, scripted over
    HTTP: `script` its rules, read what it `received`, `reset` it between tests."""

    def __init__(self, app: FastAPI, base_path: str = "/v1") -> None:
        self.server = BackgroundServer(app).start()
        # A connection per control call: uvicorn closes a keep-alive connection idle for
        # 5 s, and a test that waits longer than that (for provenance to reach Neo4j)
        # would otherwise race that close with its next call and read a disconnect.
        self.http = httpx.Client(
            base_url=self.server.url, timeout=10, headers={"Connection": "close"}
        )
        self.base = f"{self.server.url}{base_path}"

    def script(self, *rules: dict[str, Any], seed: int = 0) -> None:
        self.http.post("/_control", json={"rules": list(rules), "seed": seed}).raise_for_status()

    def received(self) -> list[dict[str, Any]]:
        requests: list[dict[str, Any]] = self.http.get("/_received").json()["requests"]
        return requests

    def reset(self) -> None:
        self.http.post("/_control/reset").raise_for_status()

    def stop(self) -> None:
        self.http.close()
        self.server.stop()


def set_environment(values: dict[str, str]) -> Callable[[], None]:
    """Set these environment variables (provider keys a module's app reads at call time);
    the function returned puts back what was there, for a fixture's `finally`."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)

    def restore() -> None:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value

    return restore


def tool_turn(call: Any, result: str) -> list[Any]:
    """The assistant's call (as the client got it) and the tool's answer, OpenAI shapes."""
    return [
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": call.id,
                    "type": "function",
                    "function": {"name": call.function.name, "arguments": call.function.arguments},
                }
            ],
        },
        {"role": "tool", "tool_call_id": call.id, "content": result},
    ]
