"""Instruction override: cancel the instructions in force and install new ones.

Ignore / forget / disregard / supersede what came before, many paraphrases
("everything above is obsolete"), fake admin or developer messages and fake
prompt delimiters ("END OF PROMPT / NEW SYSTEM:"). Maps to prompt_injection.
Informal and formal address have their own slots (`_t` / `_v`) so that one
sentence never mixes du and Sie.
"""

from __future__ import annotations

from ..family import Family
from .asian import HI, JA, TH, ZH
from .en import EN
from .european import DE, ES, FR, IT, NL, PL, PT

FAMILY = Family(
    name="instruction_override",
    label="attack",
    banks={
        "en": EN,
        "fr": FR,
        "de": DE,
        "es": ES,
        "it": IT,
        "pt": PT,
        "nl": NL,
        "pl": PL,
        "hi": HI,
        "th": TH,
        "ja": JA,
        "zh": ZH,
    },
    bury_rate=0.15,
)
