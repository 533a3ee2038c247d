"""The bundled Neo4j Community server: fetched from Maven Central, run with java.

No Docker and no tarball: Maven resolves `org.neo4j:neo4j` (the whole server)
and `org.neo4j.client:neo4j-browser` into a jar cache, and the server runs as a
background `java` process whose home (conf, data, logs, run) lives under
GOVROUTE_NEO4J_HOME. docs/neo4j.md records what was learned making this work.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from engine.errors import LocalServerError
from graph.settings import LocalServerSettings, Neo4jSettings

NEO4J_VERSION = "5.26.31"
BROWSER_VERSION = "5.24.0"
SUPPORTED_JAVA = (17, 21)

# The official launcher adds these; without the --add-opens flags start-up dies
# with a LinkageError about java.nio.
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True, slots=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_uri: str
    http_uri: str
    version: str | None = None
    stale_pid_removed: bool = False

    def describe(self) -> str:
        if not self.running:
            return "Neo4j is not running" + (
                " (removed a stale pid file)" if self.stale_pid_removed else ""
            )
        return (
            f"Neo4j {self.version or NEO4J_VERSION} is running (pid {self.pid}); "
            f"Bolt {self.bolt_uri}, Browser {self.http_uri}/browser/"
        )


class LocalNeo4j:
    """Lifecycle of one local server home. Safe to call from several processes in turn."""

    def __init__(self, settings: LocalServerSettings) -> None:
        self.settings = settings
        self.home = settings.home.resolve()
        self.lib = (settings.cache / f"neo4j-{NEO4J_VERSION}" / "lib").resolve()

    # ------------------------------------------------------------------ paths

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.settings.bolt_port}"

    @property
    def http_uri(self) -> str:
        return f"http://127.0.0.1:{self.settings.http_port}"

    @property
    def _pid_file(self) -> Path:
        return self.home / "run" / "govroute-neo4j.pid"

    @property
    def _password_file(self) -> Path:
        return self.home / "password"

    @property
    def console_log(self) -> Path:
        return self.home / "logs" / "console.log"

    def client_settings(self) -> Neo4jSettings:
        """How a client reaches this server: its Bolt URI, user neo4j, its password."""
        return Neo4jSettings.model_validate(
            {"NEO4J_URI": self.bolt_uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": self.password()}
        )

    def password(self) -> str:
        """The local server's neo4j password, generated once per home."""
        try:
            return self._password_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError as exc:
            raise LocalServerError(
                f"no password at {self._password_file}: start the server first "
                "(`govroute neo4j start`)"
            ) from exc

    # ------------------------------------------------------------------ fetch

    def fetch(self) -> Path:
        """Resolve the server and Browser jars into the cache (once)."""
        marker = self.lib / ".complete"
        if marker.exists():
            return self.lib
        mvn = shutil.which("mvn")
        if mvn is None:
            raise LocalServerError("Maven (mvn) is needed once to fetch the Neo4j jars; install it")
        staging = self.lib.with_name("lib.partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        pom = resources.files("graph") / "resources" / "pom.xml"
        with resources.as_file(pom) as pom_path:
            cmd = [
                mvn,
                "-B",
                "-q",
                "-f",
                str(pom_path),
                "dependency:copy-dependencies",
                f"-DoutputDirectory={staging}",
                "-DincludeScope=runtime",
                f"-Dneo4j.version={NEO4J_VERSION}",
                f"-Dneo4j.browser.version={BROWSER_VERSION}",
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise LocalServerError(
                f"Maven could not fetch Neo4j {NEO4J_VERSION}:\n"
                f"{done.stdout[-3000:]}{done.stderr[-2000:]}"
            )
        if not any(staging.glob("neo4j-browser-*.jar")) or not any(staging.glob("neo4j-*.jar")):
            raise LocalServerError(f"Maven finished but {staging} lacks the server or Browser jars")
        shutil.rmtree(self.lib, ignore_errors=True)
        staging.rename(self.lib)
        marker.touch()
        return self.lib

    # ------------------------------------------------------------------ config

    def _java(self) -> Path:
        candidates: list[Path] = []
        if self.settings.java:
            candidates.append(self.settings.java)
        if os.environ.get("JAVA_HOME"):
            candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
        jvm = Path("/usr/lib/jvm")
        if jvm.is_dir():
            for major in SUPPORTED_JAVA:
                candidates.extend(sorted(jvm.glob(f"*-{major}-*/bin/java")))
                candidates.extend(sorted(jvm.glob(f"*{major}*/bin/java")))
        on_path = shutil.which("java")
        if on_path:
            candidates.append(Path(on_path))
        for candidate in candidates:
            if candidate.exists() and _java_major(candidate) in SUPPORTED_JAVA:
                return candidate
        raise LocalServerError(
            "Neo4j 5.26 needs Java 17 or 21; none found. "
            "Set GOVROUTE_NEO4J_JAVA to its java binary."
        )

    def _write_conf(self) -> None:
        s = self.settings
        conf = f"""# Written by govroute on every start; edit graph/settings.py instead.
server.directories.data=data
server.directories.logs=logs
server.directories.run=run
server.directories.plugins=plugins
server.directories.import=import
server.default_listen_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:{s.bolt_port}
server.bolt.advertised_address=127.0.0.1:{s.bolt_port}
server.bolt.tls_level=DISABLED
server.http.enabled=true
server.http.listen_address=127.0.0.1:{s.http_port}
server.http.advertised_address=127.0.0.1:{s.http_port}
server.https.enabled=false
dbms.security.auth_enabled=true
server.memory.heap.initial_size={s.heap}
server.memory.heap.max_size={s.heap}
server.memory.pagecache.size={s.pagecache}
dbms.usage_report.enabled=false
client.allow_telemetry=false
db.tx_log.rotation.retention_policy=1 days
"""
        (self.home / "conf" / "neo4j.conf").write_text(conf, encoding="utf-8")

    def _ensure_password(self, java: Path) -> None:
        if self._password_file.exists():
            return
        if (self.home / "data" / "dbms" / "auth.ini").exists() or (
            self.home / "data" / "databases"
        ).exists():
            raise LocalServerError(
                f"{self.home} holds a database but no password file; "
                f"remove {self.home} to start afresh"
            )
        password = _new_password()
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}
        done = subprocess.run(  # noqa: S603
            [
                str(java),
                "-cp",
                f"{self.lib}/*",
                "org.neo4j.server.startup.Neo4jAdminCommand",
                "dbms",
                "set-initial-password",
                "--",  # token_urlsafe may start with "-", which picocli reads as an option
                password,
            ],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            raise LocalServerError(
                f"could not set the initial password: {done.stdout}{done.stderr}"
            )
        self._password_file.write_text(password + "\n", encoding="utf-8")
        self._password_file.chmod(0o600)

    # ------------------------------------------------------------------ lifecycle

    def status(self) -> ServerStatus:
        pid = self._read_pid()
        stale = False
        if pid is not None and not _alive(pid):
            self._pid_file.unlink(missing_ok=True)
            pid, stale = None, True
        version = self._http_version() if pid is not None else None
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            bolt_uri=self.bolt_uri,
            http_uri=self.http_uri,
            version=version,
            stale_pid_removed=stale,
        )

    def start(self) -> ServerStatus:
        """Start the server in the background and wait until Bolt answers."""
        current = self.status()
        if current.running:
            return current
        for port in (self.settings.bolt_port, self.settings.http_port):
            if not _port_frees(port, within_s=10.0):
                raise LocalServerError(
                    f"port {port} on 127.0.0.1 is taken by another process; stop it or set "
                    "GOVROUTE_NEO4J_BOLT_PORT / GOVROUTE_NEO4J_HTTP_PORT"
                )
        self.fetch()
        java = self._java()
        for sub in ("conf", "data", "logs", "run", "plugins", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        (self.home / "run" / "neo4j.pid").unlink(missing_ok=True)  # Neo4j's own, stale after a kill
        self._write_conf()
        self._ensure_password(java)
        h = self.home
        cmd = [
            str(java),
            f"-Xms{self.settings.heap}",
            f"-Xmx{self.settings.heap}",
            *_JVM_FLAGS,
            "-cp",
            f"{h}/plugins/*:{h}/conf/*:{self.lib}/*",
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={h}",
            f"--config-dir={h}/conf",
            "--console-mode",
        ]
        with self.console_log.open("ab") as log:
            process = subprocess.Popen(  # noqa: S603
                cmd,
                cwd=h,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # survives the CLI that started it
            )
        self._pid_file.write_text(f"{process.pid}\n", encoding="utf-8")
        self._wait_ready(process)
        return self.status()

    def stop(self, timeout_s: float = 60.0) -> ServerStatus:
        """SIGTERM by our own pid (a clean shutdown), SIGKILL if it will not go."""
        pid = self._read_pid()
        if pid is None or not _alive(pid):
            return self.status()
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.1)
        self._pid_file.unlink(missing_ok=True)
        (self.home / "run" / "neo4j.pid").unlink(missing_ok=True)
        return self.status()

    def _wait_ready(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.settings.start_timeout_s
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self._pid_file.unlink(missing_ok=True)
                raise LocalServerError(
                    f"Neo4j exited with code {process.returncode} during start-up.\n"
                    f"{self._log_tail()}"
                )
            if self._http_version() and _bolt_open(self.settings.bolt_port):
                return
            time.sleep(0.25)
        raise LocalServerError(
            f"Neo4j did not answer within {self.settings.start_timeout_s:.0f}s.\n{self._log_tail()}"
        )

    def _log_tail(self) -> str:
        parts = []
        for name in ("console.log", "neo4j.log", "debug.log"):
            path = self.home / "logs" / name
            if path.exists():
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[-25:]
                parts.append(f"--- {path} ---\n" + "\n".join(lines))
        return "\n".join(parts)

    def _http_version(self) -> str | None:
        try:
            with urllib.request.urlopen(self.http_uri + "/", timeout=2) as reply:  # noqa: S310
                body = json.loads(reply.read())
        except (OSError, ValueError, urllib.error.URLError):
            return None
        version = body.get("neo4j_version")
        return str(version) if version else None

    def _read_pid(self) -> int | None:
        try:
            text = self._pid_file.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child (already exited, not yet reaped) counts as gone.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _port_frees(port: int, *, within_s: float) -> bool:
    """True once nothing listens on the port; a server killed a moment ago may still."""
    deadline = time.monotonic() + within_s
    while _port_in_use(port):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.25)
    return True


def _bolt_open(port: int) -> bool:
    return _port_in_use(port)


def _java_major(java: Path) -> int | None:
    try:
        done = subprocess.run(  # noqa: S603
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)', done.stderr + done.stdout)
    return int(match.group(1)) if match else None


@contextmanager
def throwaway_server(home: Path, *, heap: str, pagecache: str) -> Iterator[LocalNeo4j]:
    """A Neo4j of its own under `home` on free loopback ports, for tests and
    benchmarks; stopped on exit."""
    server = LocalNeo4j(
        LocalServerSettings(
            home=home,
            bolt_port=free_port(),
            http_port=free_port(),
            heap=heap,
            pagecache=pagecache,
        )
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _new_password() -> str:
    return secrets.token_urlsafe(18)


def free_port() -> int:
    """A currently free loopback port (for tests that run their own server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
