"""`govroute audit export`: stored decisions as PROV-O, streamed (docs/audit.md, "The export").

`export_decisions` reads decisions a page at a time (graph.decision_reads), turns each
record into nodes (lifecycle.prov_decision) and writes them at once (lifecycle.rdf_stream),
so a million decisions export in the memory of one page. The CLI and the admin API call
it with their own output stream.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TextIO

from engine.errors import InvalidRequest
from graph.connection import GraphClient
from graph.decision_reads import iter_decisions, read_dpv_mappings
from lifecycle.prov_decision import Blank, decision_nodes
from lifecycle.rdf_stream import JsonLdStream, RdfStream, TurtleStream
from lifecycle.since import parse_since


class ExportFormat(StrEnum):
    TURTLE = "turtle"
    JSONLD = "jsonld"


@dataclass(frozen=True, slots=True)
class ExportSummary:
    decisions: int
    first: str | None  # created_at of the oldest exported decision
    last: str | None
    since: str
    until: str | None
    tenant: str | None
    skipped: tuple[str, ...] = ()  # ids whose record is not a decision record any more

    def text(self) -> str:
        window = f"from {self.since}" + (f" until {self.until}" if self.until else "")
        who = f" of tenant {self.tenant}" if self.tenant else ""
        line = f"exported {self.decisions} decisions{who} {window}"
        if self.skipped:
            shown = ", ".join(self.skipped[:10]) + (" ..." if len(self.skipped) > 10 else "")
            line += (
                f"; skipped {len(self.skipped)} whose record is not a decision record "
                f"(edited? run govroute audit verify): {shown}"
            )
        return line


def parse_time(value: str, *, now: datetime, option: str) -> str:
    """A point in time as an ISO 8601 UTC string (lifecycle.since: `24h`, `7d` before
    `now`, or an ISO date or datetime, naive meaning UTC)."""
    return parse_since(value, now=now, field=option).astimezone(UTC).isoformat()


def export_decisions(
    client: GraphClient,
    out: TextIO,
    *,
    since: str,
    until: str | None = None,
    tenant: str | None = None,
    format: ExportFormat = ExportFormat.TURTLE,
    page: int = 1000,
) -> ExportSummary:
    """Write the decisions made in [since, until) (ISO 8601, see `parse_time`) to `out`."""
    if until is not None and until <= since:
        raise InvalidRequest(f"--until {until} is not after --since {since}: nothing to export")
    dpv = read_dpv_mappings(client)
    stream: RdfStream = TurtleStream(out) if format is ExportFormat.TURTLE else JsonLdStream(out)
    counter = 0

    def blank() -> Blank:
        nonlocal counter
        counter += 1
        return Blank(f"b{counter}")

    stream.begin()
    count, first, last = 0, None, None
    skipped: list[str] = []
    for stored in iter_decisions(client, since=since, until=until, tenant=tenant, page=page):
        try:
            record = json.loads(stored.record)
            nodes = decision_nodes(
                record, withheld_kinds=stored.withheld_kinds, dpv=dpv, blank=blank
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            # Not what the writer wrote (edited in Browser?): left out, and named.
            skipped.append(stored.id)
            continue
        stream.write(nodes)
        count += 1
        first = first or stored.created_at
        last = stored.created_at
    stream.end()
    return ExportSummary(count, first, last, since, until, tenant, tuple(skipped))
