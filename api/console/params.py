"""The console's query parameters, read into values; a malformed one is a 400 that
names the parameter and says what it accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.errors import InvalidRequest
from graph.console_reads import Cursor
from lifecycle.since import parse_since

OUTCOMES = ("allow", "allow_with_redactions", "deny")
VIOLATIONS = ("deny", "allow_with_redactions")  # what the heatmaps count
MAX_WINDOW = timedelta(days=31)
HOUR = timedelta(hours=1)
# Ids in the graph: letters, digits and . _ - : @ (no spaces, quotes or markup).
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}")
_CURSOR_AT = re.compile(r"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)")


@dataclass(frozen=True, slots=True)
class Window:
    since: datetime
    until: datetime

    def hours(self) -> list[datetime]:
        """The start of each whole hour of the window (buckets are hourly)."""
        start = self.since.replace(minute=0, second=0, microsecond=0)
        out = []
        while start < self.until:
            out.append(start)
            start += HOUR
        return out


def window(since: str, until: str | None, *, now: datetime, hourly: bool = False) -> Window:
    """[since, until); `hourly` widens it to whole hours, the aggregates' grain, so
    that the decision list a heatmap cell links to holds exactly the cell's decisions."""
    start = parse_since(since, now=now, field="since")
    end = parse_since(until, now=now, field="until") if until else now
    if hourly:
        start = start.replace(minute=0, second=0, microsecond=0)
        if end.replace(minute=0, second=0, microsecond=0) != end:
            end = end.replace(minute=0, second=0, microsecond=0) + HOUR
    if end <= start:
        raise InvalidRequest(
            f"until: {end.isoformat()} is not after since ({start.isoformat()})", field="until"
        )
    if end - start > MAX_WINDOW:
        raise InvalidRequest(
            f"since: the window from {start.isoformat()} to {end.isoformat()} is longer than "
            f"{MAX_WINDOW.days} days",
            field="since",
        )
    return Window(start, end)


def an_id(value: str | None, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not _ID.fullmatch(value):
        raise InvalidRequest(
            f"{name}: {value[:80]!r} is not an id (letters, digits and . _ - : @, "
            "at most 200 characters)",
            field=name,
        )
    return value


def outcomes(values: list[str] | None) -> tuple[str, ...]:
    chosen = tuple(v for v in (values or []) if v != "")
    for value in chosen:
        if value not in OUTCOMES:
            raise InvalidRequest(
                f"outcome: {value[:80]!r} is not one of {', '.join(OUTCOMES)}", field="outcome"
            )
    return tuple(dict.fromkeys(chosen))


def cursor(value: str | None) -> Cursor | None:
    """`after` is '<created_at>|<decision id>', as the list's "older" link writes it."""
    if not value:
        return None
    at, _, decision_id = value.partition("|")
    if not _CURSOR_AT.fullmatch(at) or not decision_id.startswith("dec_"):
        raise InvalidRequest(
            f"after: {value[:80]!r} is not a page cursor ('<time>|dec_<id>', as the list's "
            "'older' link gives it)",
            field="after",
        )
    an_id(decision_id, "after")
    return Cursor(at, decision_id)
