"""Benchmark: the gateway's added latency and throughput, against a fast local upstream
called directly and through LiteLLM's proxy, in one run.

    .venv/bin/python bench/gateway.py [--runs 3] [--requests 400] [--max-seconds 15]
                                      [--no-workers-check] [--compare-asyncio]
                                      [--no-litellm] [--py-spy PATH] [--keep-logs DIR]

Starts, all on 127.0.0.1 and stopped again at the end:
- its own Neo4j (temporary home, free ports) with examples/enterprise loaded;
- bench/fast_upstream.py, a raw-asyncio OpenAI-compatible server answering a fixed
  small completion in tens of microseconds, so it is never the bottleneck;
- govroute as `govroute serve` runs it (uvicorn, one worker, no reload, JSON logs,
  here to a file), with GOVROUTE_UPSTREAM_OVERRIDES pointing every provider at the
  fast upstream and every provider key variable set to a dummy; unless
  --no-workers-check, a second govroute of two such processes sharing one port
  (SO_REUSEPORT; see `serve_govroute` for why not uvicorn's --workers); with
  --compare-asyncio, a third on asyncio's own loop and h11 instead of uvloop and
  httptools;
- LiteLLM's proxy (litellm[proxy]==LITELLM_VERSION from PyPI, installed once into a
  virtual environment of its own, ~/.cache/govroute/bench-litellm-venv, never into
  the project's) with one model name over two deployments that both point at the
  fast upstream (openai/ provider, api_base), a master key, no database, no
  callbacks, LITELLM_LOG=ERROR and the local model cost map (no network).

Then drives the same load at every target with httpx: one AsyncClient (a pool of one
keep-alive connection) per virtual user, the request bodies encoded once, at
concurrency 1 and 16, for two fixed-size prompts: a ~60-word benign business
request that the eu-support-agent principal is allowed to send unchanged, and one of the
same size carrying an e-mail address and a card number, which the firewall redacts.
Each cell warms up, then sends --requests requests or runs --max-seconds, whichever
comes first. The cells are interleaved (every target once per prompt and
concurrency, then the next), and the whole round repeats --runs times, so load from
other processes on the machine falls on every target alike; the figures printed at
the end are the medians over the rounds.

Rate limits: the bench sets GOVROUTE_DEFAULT_RPM/TPM and the tenant defaults to 0
(no limit); eu-support-agent and its tenant have no limits of their own in the graph, so
no request of the bench is throttled. Every govroute response is checked: HTTP 200,
an X-Govroute-Decision-Id, and the expected outcome (allow / allow_with_redactions);
the upstream's request counter must grow by what each target sent, and the last
request govroute forwarded must not contain the e-mail address.

Besides latency and throughput, each cell reports the server side's CPU time per
request (the target's processes and their threads; for govroute, Neo4j's too, since
it writes govroute's provenance), and for the one-process govroute the mean time of
each phase from its own /metrics histograms.

--py-spy PATH: afterwards, profile the one-process govroute with py-spy (every thread)
during an extra concurrency-16 cell and print where its samples go (threads blocked
on a lock, queue or socket are left out).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import yaml  # noqa: E402

from api.telemetry import PHASES  # noqa: E402
from bench.cpu import cpu_seconds  # noqa: E402

LITELLM_VERSION = "1.108.7"
"""Newest litellm whose [proxy] extra resolves from PyPI here (1.108.8 to 1.110.2 pin
litellm-enterprise/litellm-proxy builds the registry does not serve; 1.107.0 was a
compromised release and is skipped)."""
BENCH_VENV = Path.home() / ".cache" / "govroute" / "bench-litellm-venv"
ENTERPRISE = ROOT / "examples" / "enterprise"
PYTHON = sys.executable

SUPPORT_KEY = "gr_demo_eu_support_uRI5-pCzY_bOIljs"  # eu-support-agent: no limits in the graph
PURPOSE = "support"
LITELLM_KEY = "sk-bench-master-0123456789"
LITELLM_MODEL = "bench-model"
EMAIL = "jane.doe@example.com"

PROMPTS = {
    # 64 words: allowed unchanged for eu-support-agent (outcome "allow").
    "benign": (
        "Please draft a short and friendly reply to a customer who asks why her new debit "
        "card has not arrived yet. Explain that cards are sent within five business days, "
        "that she can follow the delivery in the mobile app, and that she can order a "
        "replacement at no cost if it has not arrived after ten days. Keep it under one "
        "hundred words."
    ),
    # 62 words, with an e-mail address and a card number: the address is pseudonymized
    # and the card masked (outcome "allow_with_redactions").
    "pii": (
        f"Please draft a short and friendly reply to a customer, writing from {EMAIL}, who "
        "says that the card 4111 1111 1111 1111 was charged twice for the same hotel "
        "booking last week. Explain that we opened an investigation, that the second "
        "charge will be refunded within five business days, and that she will get a "
        "written confirmation. Thank her for her patience."
    ),
}
EXPECTED_OUTCOME = {"benign": "allow", "pii": "allow_with_redactions"}
CONCURRENCY = (1, 16)


# ---------------------------------------------------------------- processes


class Proc:
    """A server subprocess in a session of its own, stopped by its own process group."""

    def __init__(self, name: str, cmd: Sequence[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            list(cmd),
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout_s: float = 20.0) -> None:
        if self.alive():
            os.killpg(self.process.pid, signal.SIGTERM)  # the group this Popen created
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()

    def tail(self, lines: int = 30) -> str:
        text = self.log.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def free_port() -> int:
    from graph.server import free_port as graph_free_port

    return graph_free_port()


def wait_http(
    proc: Proc, url: str, timeout_s: float, headers: dict[str, str] | None = None
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if not proc.alive():
            raise RuntimeError(f"{proc.name} exited during start-up:\n{proc.tail()}")
        try:
            if httpx.get(url, headers=headers, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{proc.name} did not answer {url} within {timeout_s:.0f} s:\n{proc.tail()}")


# ---------------------------------------------------------------- govroute server mode


def govroute_app() -> Any:
    """uvicorn's app factory for the govroute servers (each worker calls it)."""
    from api.app import create_app
    from api.logs import configure_logging
    from api.settings import Settings

    settings = Settings()
    configure_logging(settings.telemetry.log_format, settings.telemetry.log_level)
    return create_app(settings)


def serve_govroute(port: int, loop: str, http: str) -> None:
    """What `govroute serve` does (uvicorn, log_config=None, the settings' log level),
    JSON lines to stderr (the bench sends them to a file), on a listening socket of its
    own with SO_REUSEPORT, so that several such processes share the port.

    Not uvicorn's --workers: its supervisor binds a socket whose protocol field is 0,
    so asyncio never sets TCP_NODELAY on the accepted connections, and each response
    (headers and body are two writes) waits ~40 ms for the client's delayed ACK."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    config = uvicorn.Config(
        govroute_app,
        factory=True,
        log_config=None,
        log_level="info",
        loop=loop,  # type: ignore[arg-type]
        http=http,  # type: ignore[arg-type]
    )
    uvicorn.Server(config).run(sockets=[sock])


def provider_key_vars() -> list[str]:
    data = yaml.safe_load((ENTERPRISE / "providers.yaml").read_text())
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "key_env" and isinstance(value, str):
                    found.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return sorted(found)


def start_govroute(
    name: str,
    home: Path,
    neo4j: dict[str, str],
    upstream: str,
    workers: int,
    *,
    loop: str = "auto",
    http: str = "auto",
) -> tuple[list[Proc], str]:
    port = free_port()
    env = {
        **os.environ,
        **{k: v for k, v in neo4j.items() if not k.startswith("_")},
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "GOVROUTE_UPSTREAM_OVERRIDES": json.dumps({"*": upstream}),
        "GOVROUTE_STATE_DIR": str(home / f"state-{name}"),
        "GOVROUTE_SECRET": "bench-secret-0123456789abcdef",
        "GOVROUTE_LOG_FORMAT": "json",
        "GOVROUTE_LOG_LEVEL": "INFO",
        # No limit anywhere: eu-support-agent and nw-eu set none in the graph.
        "GOVROUTE_DEFAULT_RPM": "0",
        "GOVROUTE_DEFAULT_TPM": "0",
        "GOVROUTE_DEFAULT_TENANT_RPM": "0",
        "GOVROUTE_DEFAULT_TENANT_TPM": "0",
    }
    env |= dict.fromkeys(provider_key_vars(), "bench-dummy-provider-key")
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    env.pop("REDIS_URL", None)
    cmd = [PYTHON, str(Path(__file__).resolve()), "--serve-govroute", str(port)]
    cmd += ["--loop", loop, "--http", http]
    procs = [Proc(f"{name}-{i}", cmd, env, home / f"{name}-{i}.log") for i in range(1, workers + 1)]
    for proc in procs:  # each process answers on the shared port once its lifespan is done
        deadline = time.monotonic() + 300
        while b"Application startup complete" not in proc.log.read_bytes():
            if not proc.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"{proc.name} did not start:\n{proc.tail()}")
            time.sleep(0.25)
    return procs, f"http://127.0.0.1:{port}"


# ---------------------------------------------------------------- LiteLLM


def litellm_bin() -> Path:
    """The proxy's entry point in its own venv, installed from PyPI on first use."""
    python = BENCH_VENV / "bin" / "python"
    litellm = BENCH_VENV / "bin" / "litellm"
    version = None
    if python.exists():
        probe = subprocess.run(
            [str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
            capture_output=True,
            text=True,
            check=False,
        )
        version = probe.stdout.strip() if probe.returncode == 0 else None
    if version != LITELLM_VERSION or not litellm.exists():
        print(f"installing litellm[proxy]=={LITELLM_VERSION} into {BENCH_VENV} ...", flush=True)
        if not python.exists():
            base = Path(sys.base_prefix) / "bin" / "python3"
            subprocess.run([str(base), "-m", "venv", str(BENCH_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"litellm[proxy]=={LITELLM_VERSION}"],
            check=True,
        )
    return litellm


def litellm_config(upstream: str) -> dict[str, Any]:
    deployment = {"api_base": upstream, "api_key": "bench-dummy-provider-key"}
    return {
        "model_list": [
            {
                "model_name": LITELLM_MODEL,
                "litellm_params": {"model": "openai/bench-upstream-a", **deployment},
            },
            {
                "model_name": LITELLM_MODEL,
                "litellm_params": {"model": "openai/bench-upstream-b", **deployment},
            },
        ],
        "litellm_settings": {
            "callbacks": [],
            "success_callback": [],
            "failure_callback": [],
            "set_verbose": False,
            "json_logs": False,
        },
        "router_settings": {"routing_strategy": "simple-shuffle"},
        "general_settings": {"master_key": LITELLM_KEY},
    }


def start_litellm(home: Path, upstream: str) -> tuple[Proc, str]:
    binary = litellm_bin()
    config = home / "litellm.yaml"
    config.write_text(yaml.safe_dump(litellm_config(upstream), sort_keys=False))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS"))}
    env |= {
        "LITELLM_LOG": "ERROR",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",  # no fetch from the network at start-up
        "LITELLM_TELEMETRY": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "DISABLE_SCHEMA_UPDATE": "True",
    }
    cmd = [str(binary), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--num_workers", "1"]
    proc = Proc("litellm", cmd, env, home / "litellm.log")
    url = f"http://127.0.0.1:{port}"
    wait_http(proc, f"{url}/health/liveliness", 300)
    return proc, url


def litellm_version() -> str:
    python = BENCH_VENV / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('litellm'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip() or "?"


# ---------------------------------------------------------------- load


@dataclass(frozen=True)
class Target:
    name: str
    url: str  # .../v1/chat/completions
    headers: dict[str, str]
    bodies: dict[str, bytes]  # per prompt
    pids: tuple[int, ...] = ()  # the server side: their CPU time is counted per request
    store_pids: tuple[int, ...] = ()  # of which the database's (counted, also shown apart)


def chat_body(prompt: str, *, model: str, govroute: bool) -> bytes:
    body: dict[str, Any] = {
        "model": model,
        "messages": [
            {"role": "system", "content": "You are Northwind's internal assistant."},
            {"role": "user", "content": prompt},
        ],
        "max_tokens": 128,
        "temperature": 0.2,
    }
    if govroute:
        body["metadata"] = {"govroute_purpose": PURPOSE}
    return json.dumps(body).encode()


def headers_for(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}


@dataclass
class Cell:
    target: str
    prompt: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    cpu_s: float = 0.0  # server-side CPU time during the measured requests
    store_cpu_s: float = 0.0  # the part of it spent by the database

    @property
    def store_cpu_ms(self) -> float:
        """The database's CPU milliseconds per request (included in cpu_ms)."""
        return self.store_cpu_s * 1000 / len(self.latencies) if self.latencies else float("nan")

    @property
    def cpu_ms(self) -> float:
        """Server-side CPU milliseconds per request."""
        return self.cpu_s * 1000 / len(self.latencies) if self.latencies else float("nan")

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


async def drive(
    target: Target, prompt: str, concurrency: int, requests: int, warmup: int, max_s: float
) -> Cell:
    body = target.bodies[prompt]
    cell = Cell(target.name, prompt, concurrency)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    clients = [
        httpx.AsyncClient(limits=limits, timeout=60, headers=target.headers)
        for _ in range(concurrency)
    ]
    url = target.url
    try:

        async def warm(client: httpx.AsyncClient) -> None:
            for _ in range(warmup):
                response = await client.post(url, content=body)
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{target.name} warm-up: HTTP {response.status_code} {response.text[:300]}"
                    )

        await asyncio.gather(*(warm(c) for c in clients))
        issued = 0
        deadline = time.perf_counter() + max_s

        async def user(client: httpx.AsyncClient) -> None:
            nonlocal issued
            while issued < requests and time.perf_counter() < deadline:
                issued += 1
                started = time.perf_counter()
                response = await client.post(url, content=body)
                elapsed = time.perf_counter() - started
                if response.status_code == 200:
                    cell.latencies.append(elapsed)
                else:
                    cell.errors += 1

        cpu0, store0 = cpu_seconds(target.pids), cpu_seconds(target.store_pids)
        began = time.perf_counter()
        await asyncio.gather(*(user(c) for c in clients))
        cell.elapsed = time.perf_counter() - began
        cell.cpu_s = cpu_seconds(target.pids) - cpu0
        cell.store_cpu_s = cpu_seconds(target.store_pids) - store0
    finally:
        for client in clients:
            await client.aclose()
    return cell


# ---------------------------------------------------------------- checks and metrics


def check_govroute(target: Target, upstream: str) -> list[str]:
    """One request per prompt: allowed, routed, redacted as expected."""
    notes = []
    for prompt, expected in EXPECTED_OUTCOME.items():
        response = httpx.post(target.url, content=target.bodies[prompt], headers=target.headers)
        if response.status_code != 200:
            raise RuntimeError(
                f"{target.name}/{prompt}: HTTP {response.status_code}: {response.text}"
            )
        decision = response.headers.get("x-govroute-decision-id", "")
        outcome = response.json()["govroute"]["outcome"]
        if not decision.startswith("dec_") or outcome != expected:
            raise RuntimeError(
                f"{target.name}/{prompt}: decision {decision!r}, outcome {outcome!r}, "
                f"expected {expected!r}: {response.text[:500]}"
            )
        sent = json.dumps(httpx.get(f"{upstream}/_stats").json()["last"])
        if prompt == "pii" and EMAIL in sent:
            raise RuntimeError(f"{target.name}: the upstream received the e-mail address")
        notes.append(
            f"{target.name}/{prompt}: 200, {decision}, outcome {outcome}, "
            f"model {response.headers.get('x-govroute-model')}"
        )
    return notes


def scrape(base: str) -> dict[str, tuple[float, float]]:
    """govroute's phase histograms: name -> (sum of seconds, count)."""
    text = httpx.get(f"{base}/metrics").text
    out: dict[str, tuple[float, float]] = {}
    sums: dict[str, float] = {}
    counts: dict[str, float] = {}
    pattern = re.compile(
        r"^(govroute_phase_seconds|govroute_decision_seconds|govroute_upstream_seconds)"
        r"_(sum|count)(\{[^}]*\})? ([0-9.e+-]+)$"
    )
    for line in text.splitlines():
        match = pattern.match(line)
        if not match:
            continue
        metric, kind, labels, value = match.groups()
        phase = re.search(r'phase="([^"]+)"', labels or "")
        name = (
            phase.group(1) if phase else metric.removeprefix("govroute_").removesuffix("_seconds")
        )
        bucket = sums if kind == "sum" else counts
        bucket[name] = bucket.get(name, 0.0) + float(value)
    for name, total in sums.items():
        out[name] = (total, counts.get(name, 0.0))
    return out


def phase_means(
    before: dict[str, tuple[float, float]], after: dict[str, tuple[float, float]]
) -> dict[str, float]:
    means = {}
    for name, (total, count) in after.items():
        total0, count0 = before.get(name, (0.0, 0.0))
        if count - count0 > 0:
            means[name] = (total - total0) / (count - count0) * 1000
    return means


# ---------------------------------------------------------------- profile


def profile(py_spy: Path, pid: int, seconds: float, out: Path) -> None:
    """Record every thread of `pid` with py-spy (raw collapsed stacks into `out`)."""
    cmd = [str(py_spy), "record", "--pid", str(pid), "--duration", str(int(seconds))]
    cmd += ["--rate", "250", "--format", "raw", "--output", str(out), "--threads"]
    subprocess.run(cmd, check=True, capture_output=True)


def summarize_profile(raw: Path, top: int = 25) -> str:
    """Samples by thread, by component (each sample goes to the innermost frame that
    belongs to a known component, so the shares add up), and the top frames."""
    self_samples: Counter[str] = Counter()
    components: Counter[str] = Counter()
    threads: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        frames = stack.split(";")
        if any(frames[-1].startswith(w) for w in _WAITING):
            continue  # a thread blocked on a lock, a queue or a socket: not using the CPU
        total += count
        threads[re.sub(r"_\d+$", "", frames[0].split(": ", 1)[-1])] += count
        self_samples[_short(frames[-1])] += count
        owner = next((b for b in map(_bucket, reversed(frames[1:])) if b), "other")
        components[owner] += count
    lines = [f"{total} samples of running threads", "by thread:"]
    lines += [f"  {n / total:6.1%}  {t}" for t, n in threads.most_common(8)]
    lines.append("by component (innermost):")
    lines += [f"  {n / total:6.1%}  {b}" for b, n in components.most_common()]
    lines.append(f"self time, top {top} frames:")
    lines += [f"  {n / total:6.1%}  {f}" for f, n in self_samples.most_common(top)]
    return "\n".join(lines)


_WAITING = (
    "wait (threading.py",
    "Condition.wait",
    "QueueListener.dequeue",
    "_wait_for_io",
    "select (selectors.py",
    "EpollSelector.select",
    "_worker (concurrent/futures/thread.py",
    "get (queue.py",
)
_BUCKETS = (
    ("embedding (onnxruntime)", ("engine/embedding.py", "onnxruntime")),
    ("detection (engine/detect, presidio)", ("engine/detect.py", "presidio")),
    ("intent signals scan", ("engine/signals.py",)),
    ("intent index (faiss, scoring)", ("engine/intent.py", "faiss")),
    ("normalize", ("engine/normalize.py",)),
    ("decide core (policy, route)", ("engine/decide.py", "engine/route.py", "engine/policy.py")),
    ("output filter", ("engine/output_filter.py", "api/gateway/output.py")),
    ("provenance writer", ("graph/provenance_writer.py",)),
    ("neo4j driver", ("neo4j/",)),
    ("logging", ("logging/", "api/logs.py")),
    ("telemetry (metrics, spans)", ("Telemetry.", "prometheus_client", "opentelemetry")),
    ("httpx client (upstream)", ("httpx/", "httpcore/")),
    ("uvicorn (httptools or h11)", ("uvicorn/", "h11/")),
    ("fastapi + starlette routing", ("fastapi/", "starlette/")),
    ("pydantic", ("pydantic",)),
    ("rate limits", ("api/ratelimit.py", "limits/")),
    ("anyio (httpcore streams, thread hops)", ("anyio/",)),
    ("decision threads (executor)", ("concurrent/futures",)),
    ("asyncio / uvloop", ("asyncio/", "uvloop")),
    ("json", ("json/",)),
    ("govroute api code (routes, service, runtime)", ("/api/", "/engine/", "/graph/")),
)


def _bucket(frame: str) -> str | None:
    for name, needles in _BUCKETS:
        if any(n in frame for n in needles):
            return name
    return None


def _short(frame: str) -> str:
    match = re.match(r"(.*) \((.*?):(\d+)\)$", frame)
    if not match:
        return frame
    function, path, _ = match.groups()
    for marker in ("site-packages/", "python3.11/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{function} ({path})"


# ---------------------------------------------------------------- report


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(cells: list[list[Cell]], names: list[str]) -> list[str]:
    """The medians over rounds; added p50 is the median of each round's difference."""
    rows = []
    by_key = group(cells)
    header = (
        f"{'prompt':<7}{'target':<22}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'added p50':>11}{'CPU ms/req':>12}{'of it Neo4j':>13}{'errors':>8}"
    )
    rows.append(header)
    for prompt in PROMPTS:
        for concurrency in CONCURRENCY:
            for name in names:
                runs = by_key[(name, prompt, concurrency)]
                if not runs:
                    continue
                added = added_p50(by_key, (name, prompt, concurrency))
                rows.append(
                    f"{prompt:<7}{name:<22}{concurrency:>5}{median([c.rps for c in runs]):>9.0f}"
                    f"{median([c.pct(50) for c in runs]):>9.2f}"
                    f"{median([c.pct(99) for c in runs]):>9.2f}"
                    f"{'' if name == 'direct' else f'{added:+.2f}':>11}"
                    f"{median([c.cpu_ms for c in runs]):>12.2f}"
                    f"{store_cpu(runs):>13}"
                    f"{sum(c.errors for c in runs):>8}"
                )
    return rows


def store_cpu(runs: Sequence[Cell]) -> str:
    if not any(c.store_cpu_s for c in runs):
        return ""
    return f"{median([c.store_cpu_ms for c in runs]):.2f}"


def group(cells: list[list[Cell]]) -> dict[tuple[str, str, int], list[Cell]]:
    """(target, prompt, concurrency) -> that cell of every round, in round order."""
    by_key: dict[tuple[str, str, int], list[Cell]] = defaultdict(list)
    for round_cells in cells:
        for cell in round_cells:
            by_key[(cell.target, cell.prompt, cell.concurrency)].append(cell)
    return by_key


def added_p50(by_key: dict[tuple[str, str, int], list[Cell]], key: tuple[str, str, int]) -> float:
    """The median over rounds of the target's p50 minus direct's p50 in the same round."""
    _, prompt, concurrency = key
    direct = by_key[("direct", prompt, concurrency)]
    runs = by_key[key]
    return median([c.pct(50) - d.pct(50) for c, d in zip(runs, direct, strict=False)])


def verdict(cells: list[list[Cell]]) -> list[str]:
    by_key = group(cells)
    if not by_key.get(("litellm", "benign", 1)):
        return ["(no LiteLLM cells: no verdict)"]
    out = []
    ours = [n for n in dict.fromkeys(k[0] for k in by_key) if n.startswith("govroute")]
    for name in ours:
        for prompt in PROMPTS:
            for concurrency in CONCURRENCY:
                mine = added_p50(by_key, (name, prompt, concurrency))
                theirs = added_p50(by_key, ("litellm", prompt, concurrency))
                ok = "PASS" if mine < theirs else "FAIL"
                out.append(
                    f"{ok}  {name}: added p50, {prompt}, concurrency {concurrency}: "
                    f"{mine:+.2f} ms vs LiteLLM {theirs:+.2f} ms"
                )
            mine_rps = median([c.rps for c in by_key[(name, prompt, 16)]])
            theirs_rps = median([c.rps for c in by_key[("litellm", prompt, 16)]])
            ok = "PASS" if mine_rps >= theirs_rps else "FAIL"
            out.append(
                f"{ok}  {name}: req/s at concurrency 16, {prompt}: {mine_rps:.0f} vs LiteLLM "
                f"{theirs_rps:.0f}"
            )
    return out


# ---------------------------------------------------------------- main


@contextmanager
def neo4j_graph(home: Path) -> Iterator[dict[str, str]]:
    from graph.connection import GraphClient
    from graph.schema import apply_schema
    from graph.server import throwaway_server
    from loaders.policy_load import load_policy_path

    print(f"starting Neo4j under {home} ...", flush=True)
    with throwaway_server(home / "neo4j", heap="1g", pagecache="512m") as server:
        env = {
            "NEO4J_URI": server.bolt_uri,
            "NEO4J_USER": "neo4j",
            "NEO4J_PASSWORD": server.password(),
        }
        client = GraphClient.connect(server.client_settings())
        try:
            apply_schema(client)
            load_policy_path(client, ENTERPRISE, author="bench", message="bench gateway")
        finally:
            client.close()
        yield env | {"_pid": str(server.status().pid or "")}


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="rounds over every cell")
    parser.add_argument("--requests", type=int, default=400, help="per cell, after warm-up")
    parser.add_argument("--max-seconds", type=float, default=15.0, help="per cell")
    parser.add_argument("--warmup", type=int, default=10, help="requests per virtual user")
    parser.add_argument("--no-litellm", action="store_true")
    parser.add_argument(
        "--no-workers-check", action="store_true", help="skip govroute with 2 workers"
    )
    parser.add_argument(
        "--compare-asyncio",
        action="store_true",
        help="also run a one-worker govroute on asyncio's loop and h11 (uvicorn's fallbacks)",
    )
    parser.add_argument("--loop", default="auto", help="uvicorn --loop for govroute")
    parser.add_argument("--http", default="auto", help="uvicorn --http for govroute")
    parser.add_argument("--py-spy", type=Path, help="profile govroute with this py-spy binary")
    parser.add_argument("--profile-seconds", type=float, default=20.0)
    parser.add_argument("--keep-logs", type=Path, help="copy the servers' logs here")
    parser.add_argument("--serve-govroute", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_govroute is not None:
        serve_govroute(args.serve_govroute, args.loop, args.http)
        return

    home = Path(tempfile.mkdtemp(prefix="govroute-bench-gateway-"))
    procs: list[Proc] = []
    try:
        with ExitStack() as stack:
            neo4j = stack.enter_context(neo4j_graph(home))
            stack.callback(lambda: [p.stop() for p in reversed(procs)])
            run(args, home, neo4j, procs)
    finally:
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for log in home.glob("*.log"):
                shutil.copy(log, args.keep_logs / log.name)
        shutil.rmtree(home, ignore_errors=True)


def run(args: Any, home: Path, neo4j: dict[str, str], procs: list[Proc]) -> None:
    up_port = free_port()
    upstream_proc = Proc(
        "upstream",
        [PYTHON, str(ROOT / "bench" / "fast_upstream.py"), "--port", str(up_port)],
        dict(os.environ),
        home / "upstream.log",
    )
    procs.append(upstream_proc)
    upstream = f"http://127.0.0.1:{up_port}"
    wait_http(upstream_proc, f"{upstream}/_stats", 30)
    upstream_v1 = f"{upstream}/v1"

    targets = [
        Target(
            "direct",
            f"{upstream_v1}/chat/completions",
            headers_for("bench-dummy-provider-key"),
            {p: chat_body(t, model=LITELLM_MODEL, govroute=False) for p, t in PROMPTS.items()},
            (upstream_proc.pid,),
        )
    ]
    # govroute's provenance lands in Neo4j: its CPU counts for govroute.
    neo4j_pids = (int(neo4j["_pid"]),) if neo4j.get("_pid") else ()
    print("starting govroute (1 worker) ...", flush=True)
    gov_procs, gov_url = start_govroute(
        "govroute", home, neo4j, upstream_v1, 1, loop=args.loop, http=args.http
    )
    procs += gov_procs
    gov_proc = gov_procs[0]
    gov_bodies = {p: chat_body(t, model="auto", govroute=True) for p, t in PROMPTS.items()}
    targets.append(
        Target(
            "govroute",
            f"{gov_url}/v1/chat/completions",
            headers_for(SUPPORT_KEY),
            gov_bodies,
            (*[p.pid for p in gov_procs], *neo4j_pids),
            neo4j_pids,
        )
    )
    base_urls = {"govroute": gov_url}
    if not args.no_workers_check:
        print("starting govroute (2 workers) ...", flush=True)
        procs2, url2 = start_govroute(
            "govroute-2w", home, neo4j, upstream_v1, 2, loop=args.loop, http=args.http
        )
        procs += procs2
        targets.append(
            Target(
                "govroute 2 workers",
                f"{url2}/v1/chat/completions",
                headers_for(SUPPORT_KEY),
                gov_bodies,
                (*[p.pid for p in procs2], *neo4j_pids),
                neo4j_pids,
            )
        )
    if args.compare_asyncio:
        print("starting govroute (1 worker, asyncio loop and h11) ...", flush=True)
        procs3, url3 = start_govroute(
            "govroute-asyncio", home, neo4j, upstream_v1, 1, loop="asyncio", http="h11"
        )
        procs += procs3
        targets.append(
            Target(
                "govroute asyncio+h11",
                f"{url3}/v1/chat/completions",
                headers_for(SUPPORT_KEY),
                gov_bodies,
                (*[p.pid for p in procs3], *neo4j_pids),
                neo4j_pids,
            )
        )
    if not args.no_litellm:
        print(f"starting LiteLLM {LITELLM_VERSION} proxy ...", flush=True)
        lite_proc, lite_url = start_litellm(home, upstream_v1)
        procs.append(lite_proc)
        targets.append(
            Target(
                "litellm",
                f"{lite_url}/v1/chat/completions",
                headers_for(LITELLM_KEY),
                {p: chat_body(t, model=LITELLM_MODEL, govroute=False) for p, t in PROMPTS.items()},
                (lite_proc.pid,),
            )
        )

    for target in targets:
        if target.name.startswith("govroute"):
            for note in check_govroute(target, upstream):
                print("check:", note)
    names = [t.name for t in targets]
    print(f"\ntargets: {', '.join(names)}; load average before: {load_average()}", flush=True)

    rounds: list[list[Cell]] = []
    phases: dict[tuple[str, int], list[dict[str, float]]] = defaultdict(list)
    loads = [load_average()]
    for round_no in range(1, args.runs + 1):
        cells: list[Cell] = []
        for prompt in PROMPTS:
            for concurrency in CONCURRENCY:
                for target in targets:
                    before_count = httpx.get(f"{upstream}/_stats").json()["completions"]
                    before = scrape(base_urls[target.name]) if target.name in base_urls else {}
                    cell = asyncio.run(
                        drive(
                            target,
                            prompt,
                            concurrency,
                            args.requests,
                            args.warmup,
                            args.max_seconds,
                        )
                    )
                    sent = httpx.get(f"{upstream}/_stats").json()["completions"] - before_count
                    expected = len(cell.latencies) + cell.errors + args.warmup * concurrency
                    if sent != expected:  # each request reached the upstream, exactly once
                        raise RuntimeError(
                            f"{target.name}: upstream saw {sent} requests, expected {expected}"
                        )
                    if target.name in base_urls:
                        after = scrape(base_urls[target.name])
                        phases[(prompt, concurrency)].append(phase_means(before, after))
                    cells.append(cell)
                    print(
                        f"run {round_no} {prompt:<6} c={concurrency:<2} {target.name:<20} "
                        f"{cell.rps:7.0f} req/s  p50 {cell.pct(50):7.2f} ms  "
                        f"p99 {cell.pct(99):7.2f} ms  CPU {cell.cpu_ms:6.2f} ms/req  "
                        f"n={len(cell.latencies)} "
                        f"errors={cell.errors}",
                        flush=True,
                    )
        rounds.append(cells)
        loads.append(load_average())

    print(f"\nload average (1, 5, 15 min) before and after each round: {' | '.join(loads)}")
    version = litellm_version() if not args.no_litellm else "-"
    print(f"LiteLLM {version}; medians over {args.runs} rounds:\n")
    for line in report(rounds, names):
        print(line)
    print("\ngovroute (1 worker), mean ms per request by phase (server-side histograms):")
    keys = [*PHASES, "decision", "upstream"]
    print(f"{'prompt':<8}{'conc':>5}" + "".join(f"{k:>13}" for k in keys))
    for (prompt, concurrency), samples in phases.items():
        row = [median([s[k] for s in samples if k in s]) for k in keys]
        print(f"{prompt:<8}{concurrency:>5}" + "".join(f"{v:>13.3f}" for v in row))
    print("\nverdict:")
    for line in verdict(rounds):
        print("  " + line)

    if args.py_spy:
        out = home / "profile.txt"
        print(f"\nprofiling govroute (pid {gov_proc.pid}) for {args.profile_seconds:.0f} s ...")
        target = next(t for t in targets if t.name == "govroute")

        async def profiled() -> None:
            loop = asyncio.get_running_loop()
            job = loop.run_in_executor(
                None, profile, args.py_spy, gov_proc.pid, args.profile_seconds, out
            )
            await asyncio.sleep(0.5)
            await drive(target, "benign", 16, 10**9, 0, args.profile_seconds - 1)
            await job

        asyncio.run(profiled())
        print(summarize_profile(out))
        shutil.copy(out, home / "profile-raw.log")  # kept with --keep-logs


if __name__ == "__main__":
    main()
