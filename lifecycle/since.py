"""`--since` and `?since=`: a time, or how long ago ("24h", "7d", "30m", "90s")."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from engine.errors import InvalidRequest

_AGO = re.compile(r"(\d+)([smhdw])")
_UNIT = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(text: str, *, now: datetime, field: str = "since") -> datetime:
    """An aware datetime; a time without a zone is taken as UTC."""
    ago = _AGO.fullmatch(text.strip())
    if ago is not None:
        amount, unit = int(ago.group(1)), ago.group(2)
        try:
            return now - timedelta(**{_UNIT[unit]: amount})
        except OverflowError as exc:  # before the year 1
            raise InvalidRequest(f"{field}: {text!r} reaches too far back", field=field) from exc
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidRequest(
            f"{field}: {text!r} is neither a duration (24h, 7d, 30m, 90s) nor an ISO 8601 time "
            "(2026-12-07T10:00:00Z)",
            field=field,
        ) from exc
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
