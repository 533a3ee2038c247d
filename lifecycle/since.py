"""`--since 24h`: a window's start, as a duration back from now or an ISO 8601 time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from engine.errors import InvalidRequest

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def parse_since(text: str, now: datetime) -> datetime:
    """'90m', '24h', '7d', '2w' back from `now`, or an ISO 8601 time (UTC if no offset)."""
    found = _DURATION.match(text)
    if found:
        return now - timedelta(seconds=float(found.group(1)) * _UNIT_S[found.group(2)])
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidRequest(
            f"--since {text!r}: expected a duration such as 30m, 24h or 7d, or an ISO 8601 "
            "time such as 2026-12-07T09:00:00Z",
            field="since",
        ) from exc
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
