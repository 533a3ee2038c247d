"""Access-code games: a guard system prompt keeps a password; the user wants it.

Two kinds of attack: getting the secret out (asked directly, by role reversal,
spelled, as a hint, in a story; with bribes and threats) maps to
system_prompt_extraction; making the guard say its success phrase without the
password (hijacking) maps to prompt_injection. Every record carries the guard
prompt it targets in `system`.
"""

from __future__ import annotations

from ..family import Family
from .asian import HI, JA, TH, ZH
from .en import EN
from .european import DE, ES, FR, IT, NL, PL, PT

FAMILY = Family(
    name="access_code_game",
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
    bury_rate=0.05,
)
