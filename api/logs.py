"""Logs: one JSON object per line for machines, short lines for a person at a terminal.

Every line carries the request's decision, caller and policy version when known. The
format is `json`, `text` or `auto` (the default: text when stderr is a terminal, JSON
otherwise); text on a terminal is drawn by rich (api/log_terminal.py), elsewhere it is
plain `TextFormatter` lines.

Each HTTP request gets a fresh log context (`request_context`); the request path adds
to it (`bind`) as it learns who is calling and which decision it makes, so every line
logged while serving the request names them, whichever logger wrote it. Lines are
handed to a queue on the request thread and written by a listener thread, so a slow
stderr never slows a decision. Nothing here logs request text: callers log ids,
counts and labels, never prompts.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import queue
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from opentelemetry import trace
from rich.console import Console

from api.log_terminal import TerminalHandler

LogFormat = Literal["json", "text", "auto"]

# The request-scoped fields, in the order JSON lines show them.
CONTEXT_FIELDS = ("decision_id", "principal_id", "tenant_id", "policy_version")

_context: ContextVar[dict[str, str] | None] = ContextVar("govroute_log_context", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}
# uvicorn's own terminal-coloured copy of its message
_DROPPED = frozenset({"color_message"})
# Libraries that log routine work at INFO. Presidio logs "Loaded recognizer: <name>" for
# every recognizer it builds (presidio_analyzer.EntityRecognizer.__init__), twenty lines
# and more each time a PolicySet's detector is built; its warnings still come through.
QUIET_LOGGERS: Mapping[str, int] = {"presidio-analyzer": logging.WARNING}


@contextmanager
def request_context() -> Iterator[dict[str, str]]:
    """A fresh, mutable context for one request (shared with its worker threads)."""
    fields: dict[str, str] = {}
    token = _context.set(fields)
    try:
        yield fields
    finally:
        _context.reset(token)


def bind(**fields: str) -> None:
    """Add fields to the current request's log context; outside a request, nothing."""
    current = _context.get()
    if current is not None:
        current.update(fields)


class ContextFilter(logging.Filter):
    """Copies the request context and the current trace ids onto each record.

    Runs on the logging thread (a handler filter), where the context is visible.
    Fields given with `extra=` win over the context.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        span = trace.get_current_span().get_span_context()
        if span.is_valid and not hasattr(record, "trace_id"):
            record.trace_id = format(span.trace_id, "032x")
            record.span_id = format(span.span_id, "016x")
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, then the context fields, then any other extras."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in _DROPPED and key not in out:
                out[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            out["exception"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, ensure_ascii=False, default=str, separators=(",", ":"))


class TextFormatter(logging.Formatter):
    """A readable line for a terminal, with the context fields as key=value."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(
            f"{key}={getattr(record, key)}" for key in CONTEXT_FIELDS if hasattr(record, key)
        )
        return f"{line} [{fields}]" if fields else line


class _QueueHandler(logging.handlers.QueueHandler):
    """Enqueues the record with its message and traceback rendered, extras kept."""

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        message = record.getMessage()
        exc_text = record.exc_text
        if record.exc_info and not exc_text:
            exc_text = logging.Formatter().formatException(record.exc_info)
        ready = logging.makeLogRecord(record.__dict__)
        ready.msg, ready.args, ready.exc_info, ready.exc_text = message, None, None, exc_text
        return ready


def formatter(kind: Literal["json", "text"]) -> logging.Formatter:
    return JsonFormatter() if kind == "json" else TextFormatter()


def resolve_format(kind: LogFormat, stream: TextIO) -> Literal["json", "text"]:
    """`auto` is text for a person (the stream is a terminal) and JSON for machines."""
    if kind != "auto":
        return kind
    return "text" if stream.isatty() else "json"


def sink_for(kind: LogFormat, stream: TextIO) -> logging.Handler:
    """The handler that writes the lines: rich on a terminal, else one line per record."""
    resolved = resolve_format(kind, stream)
    if resolved == "text" and stream.isatty():
        return TerminalHandler(Console(file=stream))
    sink = logging.StreamHandler(stream)
    sink.setFormatter(formatter(resolved))
    return sink


def configure_logging(kind: LogFormat, level: str = "INFO") -> logging.handlers.QueueListener:
    """Route every log line (govroute's, uvicorn's, libraries') through one queue to stderr.

    For the process entry points (`govroute serve`/`up`); returns the started listener,
    which the caller stops on exit to flush what is queued.
    """
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    sink = sink_for(kind, sys.stderr)
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)
    handler = _QueueHandler(records)
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _QueueHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    listener = logging.handlers.QueueListener(records, sink, respect_handler_level=True)
    listener.start()
    return listener
