"""The provider-controlled fields of an answer, by allow-list.

Everything a provider writes into an answer besides the message text is as
hostile as the text: a card number in ``system_fingerprint``, a key inside
``usage``, a string where ``index`` should be. What reaches the caller:

- ``id`` and ``system_fingerprint``: kept when they look like identifiers
  (letters, digits and ``_-.:``, at most 128 characters) and the output filter
  finds nothing in them, read as they are and with ``_-.:`` read as spaces (so
  that "fp_4111111111111111" shows its card); otherwise the id becomes
  govroute's own and the fingerprint is dropped;
- ``created``: a non-negative integer, else the time the gateway answered;
- ``usage``: the counts OpenAI defines (``prompt_tokens``, ``completion_tokens``,
  ``total_tokens`` and the known keys of their ``*_details``), each a
  non-negative integer; anything else in it is dropped;
- ``choices[].index``: a small non-negative integer, else the choice's position;
  ``finish_reason``: one of OpenAI's, an unknown one reads ``stop``;
  ``delta.role``: only ``assistant``;
- ``service_tier``: one of OpenAI's values, else dropped;
- every other key, at any level, is dropped (the message text itself is the
  output filter's, in engine/output_filter.py).
"""

from __future__ import annotations

import re
import time
from typing import Any, Protocol

from engine.output_filter import Found

__all__ = [
    "FINISH_REASONS",
    "MAX_CHOICE_INDEX",
    "Scans",
    "choice_index",
    "created_at",
    "finish_reason",
    "identifier",
    "role",
    "service_tier",
    "usage",
]

FINISH_REASONS = frozenset({"stop", "length", "tool_calls", "content_filter", "function_call"})
MAX_CHOICE_INDEX = 127  # the API refuses n > 128, so no honest answer has more choices
_SERVICE_TIERS = frozenset({"auto", "default", "flex", "scale", "priority"})
_IDENTIFIER = re.compile(r"[A-Za-z0-9_\-.:]{1,128}")
_IDENTIFIER_PUNCTUATION = re.compile(r"[_\-.:]")
_USAGE_COUNTS = ("prompt_tokens", "completion_tokens", "total_tokens")
_USAGE_DETAILS = {
    "prompt_tokens_details": ("cached_tokens", "audio_tokens"),
    "completion_tokens_details": (
        "reasoning_tokens",
        "audio_tokens",
        "accepted_prediction_tokens",
        "rejected_prediction_tokens",
    ),
}
_MAX_COUNT = 2**53  # beyond, a JSON number is no longer an exact integer everywhere


class Scans(Protocol):
    """What these checks need of `engine.output_filter.OutputFilter`."""

    def scan(self, text: str) -> tuple[Found, ...]: ...


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value < _MAX_COUNT else None


def identifier(value: Any, output: Scans) -> str | None:
    """`value` if it is a clean identifier, else None."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        return None
    if output.scan(value) or output.scan(_IDENTIFIER_PUNCTUATION.sub(" ", value)):
        return None
    return value


def created_at(value: Any) -> int:
    count = _count(value)
    return count if count is not None else int(time.time())


def usage(value: Any) -> dict[str, Any] | None:
    """The known token counts of `value`, or None when it holds none."""
    if not isinstance(value, dict):
        return None
    out: dict[str, Any] = {}
    for key in _USAGE_COUNTS:
        count = _count(value.get(key))
        if count is not None:
            out[key] = count
    for key, names in _USAGE_DETAILS.items():
        details = value.get(key)
        if isinstance(details, dict):
            kept = {n: c for n in names if (c := _count(details.get(n))) is not None}
            if kept:
                out[key] = kept
    return out or None


def choice_index(value: Any, position: int) -> int:
    count = _count(value)
    return count if count is not None and count <= MAX_CHOICE_INDEX else position


def finish_reason(value: Any) -> str | None:
    if not value:
        return None
    return value if isinstance(value, str) and value in FINISH_REASONS else "stop"


def role(value: Any) -> str | None:
    return "assistant" if value == "assistant" else None


def service_tier(value: Any) -> str | None:
    return value if isinstance(value, str) and value in _SERVICE_TIERS else None
