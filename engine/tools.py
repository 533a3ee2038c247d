"""Which offered tools a request may keep: the tool rules of applicable policies. Pure.

A tool is offered to a model as a context item of kind `tool_definition` (its id
``tool:<name>``): before this step it is analysed like any item, and withheld like
one when its text tries to instruct the model. A policy with `tools`
(engine.model.ToolRule) then restricts what is left, by role, purpose, tenant,
intent or label like any policy scope:

- every applicable rule must allow a tool (most restrictive wins, as for labels);
  a rule allows a tool when one of its patterns (a name, or a glob such as
  ``lookup_*``) matches the tool's name;
- a tool some rule refuses is dropped (a `Withholding` with code `tool_refused`
  that names the rule), unless a refusing rule says ``refused: deny``: then the
  request is denied with that rule's reason;
- a kept tool matched by a rule with `providers` may be offered only to those
  providers: every other provider is forbidden for this request, and a reason
  says which tool asked for it.

No applicable rule has `tools`: every tool is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase

from engine.decision import Reason, Withholding
from engine.model import Effect, ToolRefusal, ToolRule
from engine.policy import Applicable

__all__ = ["TOOL_REFUSED", "ToolJudgement", "judge_tools", "tool_allowed"]

TOOL_REFUSED = "tool_refused"
"""Withholding code of a tool definition a tool rule does not allow."""


@dataclass(frozen=True, slots=True)
class ToolJudgement:
    dropped: tuple[Withholding, ...] = ()
    denials: tuple[Reason, ...] = ()  # non-empty: the request is denied
    forbid_providers: frozenset[str] = frozenset()
    reasons: tuple[Reason, ...] = ()  # why providers are forbidden for the kept tools


def tool_allowed(name: str, patterns: Iterable[str]) -> bool:
    """Does a name or glob of `patterns` match `name` (case-sensitive, as tool names are)?"""
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def judge_tools(
    tools: Mapping[str, str],
    applicable: tuple[Applicable, ...],
    providers: Iterable[str],
) -> ToolJudgement:
    """`tools`: item id -> tool name of the definitions still exposed; `providers`: every
    provider of the snapshot (those a `providers` restriction forbids are the others)."""
    rules = [a for a in applicable if a.policy.tools is not None]
    if not rules or not tools:
        return ToolJudgement()
    everyone = frozenset(providers)
    dropped: list[Withholding] = []
    denials: list[Reason] = []
    forbidden: set[str] = set()
    reasons: list[Reason] = []
    for item_id, name in sorted(tools.items(), key=lambda kv: kv[1]):
        refusing = [a for a in rules if not tool_allowed(name, _rule(a).allow)]
        if refusing:
            denier = next((a for a in refusing if _rule(a).refused is ToolRefusal.DENY), None)
            if denier is not None:
                sentence = (
                    f"Tool '{name}' is not allowed here ({_allowed(denier)}): "
                    f"{denier.policy.description}"
                )
                denials.append(Reason(denier.policy.id, Effect.DENY, sentence, denier.path))
                continue
            first = refusing[0]
            dropped.append(
                Withholding(
                    item_id,
                    TOOL_REFUSED,
                    f"Tool '{name}' is not among the tools policy {first.policy.id} allows "
                    f"({_allowed(first)}); it was dropped from the request.",
                    first.policy.id,
                )
            )
            continue
        for app in rules:
            only = _rule(app).providers
            if not only:
                continue
            forbidden |= everyone - only
            reasons.append(
                Reason(
                    app.policy.id,
                    Effect.CONSTRAIN,
                    f"Tool '{name}' may be offered only to {', '.join(sorted(only))}: "
                    f"{app.policy.description}",
                    app.path,
                )
            )
    return ToolJudgement(tuple(dropped), tuple(denials), frozenset(forbidden), tuple(reasons))


def _rule(app: Applicable) -> ToolRule:
    rule = app.policy.tools
    assert rule is not None  # judge_tools keeps only policies with a rule
    return rule


def _allowed(app: Applicable) -> str:
    return "allowed: " + ", ".join(_rule(app).allow)
