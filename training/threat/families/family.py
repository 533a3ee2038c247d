"""A family: banks per language, a label, and how its records are dressed.

`Family.cell(lang)` merges the bank with the shared business slots once, and
`Cell.sample(rng)` draws one record: pick a rule by weight, expand one of its
templates with fresh per-record payloads (again if it mixes formal and informal
address), optionally transform the text (documents), and sometimes bury it in
150-400 words of business prose.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from . import business, payloads
from .grammar import Bank, Rule, expand, pick_rule, tidy
from .register import mixes_register

Label = Literal["attack", "benign"]
Transform = Callable[[str, str, random.Random], str]

THREAT_CATEGORIES = (
    "prompt_injection",
    "jailbreak",
    "system_prompt_extraction",
    "data_exfiltration",
    "secrets_harvesting",
)

# Long records: the range the brief asks for when a short text is buried in prose.
BURY_WORDS = (150, 400)
# Draws allowed for a text that keeps one register before the last one is kept.
REGISTER_TRIES = 10


@dataclass(frozen=True)
class Sample:
    """One generated text before it becomes a record."""

    text: str
    category: str | None
    system: str | None


@dataclass(frozen=True)
class Family:
    """A named grammar per language, with its label and its dressing."""

    name: str
    label: Label
    banks: Mapping[str, Bank]
    bury_rate: float = 0.1
    transform: Transform | None = None

    def cell(self, lang: str) -> Cell:
        bank = self.banks[lang]
        return Cell(self, lang, bank, {**business.SLOTS, **bank.slots})


@dataclass(frozen=True)
class Cell:
    """One family in one language, ready to sample."""

    family: Family
    lang: str
    bank: Bank
    slots: Mapping[str, tuple[str, ...]]

    def sample(self, rng: random.Random) -> Sample:
        base = self.draw(rng)
        if rng.random() < self.family.bury_rate:
            text = business.bury(self.lang, rng, base.text, *BURY_WORDS)
            return Sample(business.settle(self.lang, text), base.category, base.system)
        return base

    def draw(self, rng: random.Random) -> Sample:
        """One record's text as asked, before any burying in prose."""
        fixed, rule, text = self._draw(rng)
        if self.family.transform is not None:
            text = self.family.transform(self.lang, text, rng)
        text = business.settle(self.lang, text)
        system = None
        if self.bank.systems:
            system = tidy(expand(rng.choice(self.bank.systems), self.slots, rng, fixed))
        return Sample(text=text, category=rule.category, system=system)

    def _draw(self, rng: random.Random) -> tuple[dict[str, str], Rule, str]:
        """Payloads, rule and text, drawn again while the text mixes registers.

        Only the request itself is checked: prose it is buried in, or a document
        it sits in, may address someone else in the other register.
        """
        for _ in range(REGISTER_TRIES):
            fixed = payloads.record_values(rng)
            for name in self.bank.pinned:
                fixed[name] = expand(rng.choice(self.slots[name]), self.slots, rng, fixed)
            rule = pick_rule(self.bank.rules, rng)
            text = tidy(expand(rng.choice(rule.templates), self.slots, rng, fixed))
            if self.family.transform is None:
                text = business.dress(self.lang, text, rng)
            if not mixes_register(self.lang, text):
                break
        return fixed, rule, text


@dataclass(frozen=True)
class DerivedFamily:
    """A family whose texts are another family's texts, transformed.

    obfuscated_instructions is instruction_override, system_prompt_extraction and
    roleplay_persona run through misspelling and splitting: the categories stay
    those of the source rule, the phrase banks are not written twice.
    """

    name: str
    label: Label
    sources: tuple[Family, ...]
    transform: Transform
    bury_rate: float = 0.1

    def cell(self, lang: str) -> DerivedCell:
        return DerivedCell(self, lang, tuple(source.cell(lang) for source in self.sources))


@dataclass(frozen=True)
class DerivedCell:
    family: DerivedFamily
    lang: str
    sources: tuple[Cell, ...]

    def sample(self, rng: random.Random) -> Sample:
        # Damage the request, not the prose around it: bury after transforming.
        base = rng.choice(self.sources).draw(rng)
        text = self.family.transform(self.lang, base.text, rng)
        if rng.random() < self.family.bury_rate:
            text = business.bury(self.lang, rng, text, *BURY_WORDS)
        return Sample(business.settle(self.lang, text), base.category, base.system)


AnyFamily = Family | DerivedFamily
