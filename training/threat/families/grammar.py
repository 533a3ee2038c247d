"""Phrase-bank grammars: templates whose `{slot}`s expand from banks, recursively.

A family is written once per language as a `Bank`: rules (a category and its
templates) plus the slot values those templates draw from. Slot values may hold
slots of their own, so a bank reads like a small grammar (carrier x instruction x
payload) rather than a list of sentences; a model trained on the expansions sees
each phrase in many frames and cannot learn one frame by heart.

Per-record values that must agree across a record (the guard's password in the
system prompt and in the attack) are passed in `fixed` and win over the bank.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# Lower-case names only, so JSON and code braces in templates stay literal text.
SLOT = re.compile(r"\{([a-z][a-z0-9_]*)\}")
MAX_DEPTH = 8


@dataclass(frozen=True)
class Rule:
    """Templates that share one threat category (None for benign text)."""

    category: str | None
    templates: tuple[str, ...]
    weight: int = 1


@dataclass(frozen=True)
class Bank:
    """One family in one language: its rules, slot values and guard prompts."""

    rules: tuple[Rule, ...]
    slots: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    systems: tuple[str, ...] = ()
    # Slots drawn once per record and shared by the text and the system prompt.
    pinned: tuple[str, ...] = ()


class GrammarError(ValueError):
    """A template names a slot no bank defines, or slots recurse without end."""


def expand(
    template: str,
    slots: Mapping[str, tuple[str, ...]],
    rng: random.Random,
    fixed: Mapping[str, str] | None = None,
) -> str:
    """Fill every slot of `template`; a slot drawn twice may take two values."""
    pinned = fixed or {}

    def fill(text: str, depth: int) -> str:
        if depth > MAX_DEPTH:
            raise GrammarError(f"slots nest deeper than {MAX_DEPTH}: {text[:80]!r}")

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in pinned:
                return pinned[name]
            choices = slots.get(name)
            if not choices:
                raise GrammarError(f"no values for slot {{{name}}} in {template[:80]!r}")
            return fill(rng.choice(choices), depth + 1)

        return SLOT.sub(one, text)

    return fill(template, 0)


def pick_rule(rules: tuple[Rule, ...], rng: random.Random) -> Rule:
    """A rule, drawn in proportion to its weight."""
    return rng.choices(rules, weights=[rule.weight for rule in rules], k=1)[0]


def tidy(text: str) -> str:
    """Collapse the doubled spaces and stray space-before-punctuation expansion leaves."""
    text = re.sub(r"(?<=\S)[ \t]{2,}", " ", text)  # keeps indentation
    text = re.sub(r" +([,.。、])(?=\s|$)", r"\1", text)  # not ". env" in code
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
