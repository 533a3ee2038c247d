"""Log lines for a person at a terminal: short, coloured, one line per record (rich).

`TerminalHandler` is the sink api/logs.py puts behind its queue when the log format
is `text` and stderr is a terminal. A line is the time, the level, the logger (without
its `govroute.` prefix) and the message, then, dimmed, the request's context fields the
message does not already say and the decision's duration. The startup summary
(api/startup.py) is drawn as a small block instead of a line. uvicorn's own lifecycle
chatter at INFO is left out: the startup summary says where the server listens.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# Who asked, from the request context api/logs.py binds (names shortened on screen). The
# decision id is in the decision's own line and the policy version in the summary; a
# JSON line has them all.
_FIELDS = (("principal_id", "principal"), ("tenant_id", "tenant"))
# Loggers whose name on screen is shorter than their own.
_SHORT_NAMES = {"uvicorn.access": "http", "uvicorn.error": "uvicorn"}
_LEVELS = {
    "DEBUG": "dim",
    "INFO": "green",
    "WARNING": "bold yellow",
    "ERROR": "bold red",
    "CRITICAL": "bold white on red",
}
# Lifecycle lines of uvicorn's ("Started server process", "Uvicorn running on ...").
_CHATTY = "uvicorn.error"


class TerminalHandler(logging.Handler):
    def __init__(self, console: Console | None = None) -> None:
        super().__init__()
        self.console = console or Console(stderr=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == _CHATTY and record.levelno < logging.WARNING:
            return False
        return super().filter(record)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            startup = getattr(record, "startup", None)
            if isinstance(startup, dict):
                self.console.print(startup_block(startup))
            else:
                self.console.print(line(record), soft_wrap=True, highlight=False)
        except Exception:
            self.handleError(record)


def line(record: logging.LogRecord) -> Text:
    """One record as one line of styled text."""
    message = record.getMessage()
    when = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
    out = Text(when, style="dim")
    out.append(f" {record.levelname:<7} ", style=_LEVELS.get(record.levelname, ""))
    name = _SHORT_NAMES.get(record.name, record.name.removeprefix("govroute."))
    if not message.startswith(name):  # "decision: decision dec_1: deny" says it twice
        out.append(f"{name}: ", style="cyan")
    out.append(message)
    extras = []
    if record.name != "uvicorn.access":  # its line follows the decision's, same caller
        extras = [
            f"{short}={value}"
            for key, short in _FIELDS
            if (value := getattr(record, key, None)) is not None and str(value) not in message
        ]
    duration = getattr(record, "duration_ms", None)
    if duration is not None:
        extras.append(f"{duration:.1f} ms")
    if extras:
        out.append("  " + " ".join(extras), style="dim")
    if record.exc_text:
        out.append("\n" + record.exc_text, style="red")
    return out


def startup_block(summary: dict[str, Any]) -> Table:
    """The startup summary (api/startup.py's fields) as a two-column block."""
    graph, policy = summary["graph"], summary["policy"]
    size = (
        f"{graph['nodes']:,} nodes, {graph['relationships']:,} relationships"
        if graph["nodes"] is not None
        else "not answering: decisions get 503 until it does"
    )
    rows = [
        ("graph", f"{graph['uri']}  {size}"),
        (
            "policy",
            f"{policy['version']} ({policy['content_hash'][:19]}…)"
            if policy
            else "none loaded yet: not ready",
        ),
        ("intents", f"{policy['intents']} ({policy['exemplars']} exemplars)" if policy else "-"),
        (
            "models",
            f"embedding {summary['embedding_model']}, threat detector {summary['threat_detector']}",
        ),
        ("API", f"{summary['api_url']}  (OpenAPI at /docs)"),
        ("console", summary["console_url"]),
        ("Browser", summary["browser_url"] or "your Neo4j's own (NEO4J_URI is set)"),
    ]
    table = Table.grid(padding=(0, 2))
    table.title = Text("govroute is serving", style="bold green")
    table.title_justify = "left"
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        table.add_row(name, value)
    return table
