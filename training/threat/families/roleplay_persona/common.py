"""What every language bank of roleplay_persona shares: its categories and frames."""

from __future__ import annotations

from ..grammar import Bank, Rule

J = "jailbreak"

TEMPLATES = (
    "{setup} {rule} {stay} {ask}",
    "{setup} {ask}",
    "{mode} {rule} {ask}",
    "{world} {ask}",
    "{two} {ask}",
    "{setup} {two} {ask}",
    "{game} {ask}",
    "{mode} {ask} {stay}",
    "{setup} {rule} {ask}",
)


def bank(**slots: tuple[str, ...]) -> Bank:
    return Bank(rules=(Rule(J, TEMPLATES),), slots=slots)
