"""Detection settings as policy content: what a PolicySet says about finding entities.

The `detection:` section of the policy files (loaders/spec.py) becomes one
`DetectionConfig` in the Snapshot; engine.detect builds the detector's state from it
once per snapshot, and engine.decide reads `context_instructions`. Nothing here runs
per request.

- `phone_regions`: the regions whose national numbers count as phone numbers
  (international numbers, with + or 00, are checked whatever the list says).
- `invalid_numbers`: what a sample or checksum-invalid number is (123-45-6789, an
  SSN of area 000, a 16-digit card-shaped number failing Luhn, a configured
  recognizer's match failing its check digit): `redact` (the default) reports it as
  a lower-confidence entity of the same type, so it is redacted and its label
  recorded; `ignore` forwards it as before.
- `recognizers`: patterns of the enterprise's own (member numbers, MRNs), each for a
  declared entity type, with an optional check digit (engine.checksums), context
  words that raise confidence, and a score.
- `deny_lists` / `allow_lists`: values always reported as an entity type, and values
  never reported, for every tenant or one.
- `context_instructions`: a context item whose text tries to instruct the model is
  withheld (the default), exposed with a warning reason, or denies the request.

`pattern_problem` is the guard a pattern passes before it is accepted: a length cap,
no quantifier nested in a repeated group, and a trial run on long adversarial inputs
under a timeout.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import regex

from engine.checksums import Checksum

__all__ = [
    "DEFAULT_PHONE_REGIONS",
    "INVALID_NUMBER_SCORE",
    "MAX_PATTERN_LENGTH",
    "DetectionConfig",
    "InstructionAction",
    "InvalidNumbers",
    "RecognizerConfig",
    "ValueList",
    "pattern_problem",
]

DEFAULT_PHONE_REGIONS = ("US", "CA", "GB", "DE", "FR", "IL", "IN", "BR")
"""What a PolicySet without `detection.phone_regions` gets (the regions of earlier releases)."""

INVALID_NUMBER_SCORE = 0.45
"""Score of a sample or checksum-invalid number kept under `invalid_numbers: redact`: just
above engine.detect.DEFAULT_MIN_SCORE, below every valid match of the same shape, so a
valid reading of the same span always wins."""

MAX_PATTERN_LENGTH = 512

# The standard library's own parser (re._parser, untyped and private, hence imported by
# name): it gives the syntax tree in which nested repetitions are found.
_parser: Any = importlib.import_module("re._parser")
_TRIAL_TIMEOUT_S = 0.25
_TRIAL_LENGTH = 5_000


class InvalidNumbers(StrEnum):
    REDACT = "redact"
    IGNORE = "ignore"


class InstructionAction(StrEnum):
    """What happens to a context item whose text tries to instruct the model."""

    WITHHOLD = "withhold"  # the item is not sent; the request goes on
    WARN = "warn"  # the item is sent; the decision carries a warning reason
    DENY = "deny"  # the whole request is denied


@dataclass(frozen=True, slots=True)
class RecognizerConfig:
    """One configured recognizer: `pattern` matches `entity_type` with `score`."""

    id: str
    entity_type: str
    pattern: str
    score: float = 0.6
    validator: Checksum = Checksum.NONE
    context: tuple[str, ...] = ()
    # None: the section's `invalid_numbers` decides what a failed check digit means.
    invalid_numbers: InvalidNumbers | None = None


@dataclass(frozen=True, slots=True)
class ValueList:
    """Literal values, matched case-insensitively as whole words.

    A deny list names the `entity_type` its values are reported as; an allow list has
    none (its values are never reported, whatever found them). `tenant` None: every tenant.
    """

    id: str
    values: tuple[str, ...]
    tenant: str | None = None
    entity_type: str | None = None


@dataclass(frozen=True, slots=True)
class DetectionConfig:
    phone_regions: tuple[str, ...] = DEFAULT_PHONE_REGIONS
    invalid_numbers: InvalidNumbers = InvalidNumbers.REDACT
    context_instructions: InstructionAction = InstructionAction.WITHHOLD
    recognizers: tuple[RecognizerConfig, ...] = ()
    deny_lists: tuple[ValueList, ...] = ()
    allow_lists: tuple[ValueList, ...] = ()


# --------------------------------------------------------------------------- patterns


# Inputs on which a backtracking engine goes exponential for the usual culprits:
# long runs of one class followed by a character that makes the match fail.
_TRIALS = tuple(
    run * _TRIAL_LENGTH + tail
    for run, tail in (("a", "!"), ("1", "!"), (" ", "!"), ("a1", "!"), ("-", "!"), ("A", "\n"))
)


def pattern_problem(pattern: str) -> str | None:
    """What makes `pattern` unfit to run on every request, or None when it is fit.

    Patterns run with the `regex` module, as Presidio's recognizers do; they are also
    parsed with the standard library's parser to find nested quantifiers, so syntax
    only `regex` knows is refused too.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"is {len(pattern)} characters long; the limit is {MAX_PATTERN_LENGTH}"
    try:
        compiled = regex.compile(pattern, regex.MULTILINE)
        re.compile(pattern)
    except (regex.error, re.error) as exc:
        return f"is not a valid regular expression: {exc}"
    nested = _nested_quantifier(pattern)
    if nested:
        return (
            f"repeats a group that itself repeats ({nested}): such patterns can take "
            "exponential time on a long input; make the inner or outer repetition bounded"
        )
    if compiled.search("") is not None:
        return "matches the empty string"
    for trial in _TRIALS:
        try:
            compiled.search(trial, timeout=_TRIAL_TIMEOUT_S)
        except TimeoutError:
            return (
                f"takes over {_TRIAL_TIMEOUT_S:g} s on a {len(trial):,}-character input "
                f"({trial[:3]!r}...): catastrophic backtracking"
            )
    return None


def _nested_quantifier(pattern: str) -> str | None:
    """The first repeated group that holds another repetition, when either is open-ended.

    `(\\d{3}-)?`, `(?:[A-Z]{2}\\d{2}){1,8}` or `(?:-|\\s)+` pass; `(a+)+`, `(\\w*,)*`
    and `(?:\\d{1,3}\\.)+` are refused (written with a bound, they pass)."""
    for low, high, body in _repeats(_parser.parse(pattern)):
        if high <= 1:
            continue
        inner = [r for r in _repeats(body) if r[1] > 1]
        if inner and (high == _parser.MAXREPEAT or any(r[1] == _parser.MAXREPEAT for r in inner)):
            outer = "+/*" if high == _parser.MAXREPEAT else f"{{{low},{high}}}"
            return f"a {outer} repetition around another repetition"
    return None


_REPEAT_OPS = frozenset({_parser.MAX_REPEAT, _parser.MIN_REPEAT, _parser.POSSESSIVE_REPEAT})


def _repeats(items: Any) -> Iterator[tuple[int, int, Any]]:
    """Every repetition in a parsed pattern, outermost first: (min, max, body)."""
    for op, value in items:
        if op in _REPEAT_OPS:
            yield value
            yield from _repeats(value[2])
        elif op is _parser.SUBPATTERN:
            yield from _repeats(value[-1])
        elif op is _parser.BRANCH:
            for branch in value[1]:
                yield from _repeats(branch)
        elif op in (_parser.ASSERT, _parser.ASSERT_NOT):
            yield from _repeats(value[1])
        elif op is _parser.ATOMIC_GROUP:
            yield from _repeats(value)
