"""A real redis-server for the tests that need one: on a free loopback port, no
persistence, stopped when the block ends. Its pid lets a test freeze it (SIGSTOP)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from graph.server import free_port


@dataclass(frozen=True, slots=True)
class RedisServer:
    url: str
    pid: int  # to freeze it (SIGSTOP) and resume it


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed: `make test` installs it (Debian package)"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert process.poll() is None, "redis-server exited at start"
            assert time.monotonic() < deadline, "redis-server did not listen within 20 s"
            time.sleep(0.05)
        yield RedisServer(f"redis://127.0.0.1:{port}/0", process.pid)
    finally:
        process.terminate()
        process.wait(10)
