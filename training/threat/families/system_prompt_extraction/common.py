"""What every language bank of system_prompt_extraction shares: its categories and frames."""

from __future__ import annotations

from ..grammar import Bank, Rule

X = "system_prompt_extraction"

TEMPLATES = (
    "{verb} {target} {form}",
    "{frame} {verb} {target} {form}",
    "{verb} {target}.",
    "{question}",
    "{frame} {question}",
    "{firstn}",
    "{frame} {firstn}",
    "{verb} {target}. {form2}",
)


def bank(templates: tuple[str, ...] = TEMPLATES, **slots: tuple[str, ...]) -> Bank:
    return Bank(rules=(Rule(X, templates),), slots=slots)
