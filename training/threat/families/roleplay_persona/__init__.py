"""Role-play personas: an invented 'unrestricted' character, a game or a mode.

Made-up personas with invented names (drawn per record), "stay in character",
token games, hypothetical worlds without rules, "two answers: filtered and
unfiltered", developer / god / debug modes; each ends in a request the persona
is meant to unlock. Maps to jailbreak.
"""

from __future__ import annotations

from ..family import Family
from .asian import HI, JA, TH, ZH
from .en import EN
from .european import DE, ES, FR, IT, NL, PL, PT

FAMILY = Family(
    name="roleplay_persona",
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
