"""System prompt extraction: get the hidden instructions out, in any wrapping.

Reveal / repeat / print / translate / summarise / paraphrase the instructions or
"the text above"; the first N words; encoded (base64, ROT13, hex); reshaped
(poem, acrostic, code block, JSON, table). Maps to system_prompt_extraction.
"""

from __future__ import annotations

from ..family import Family
from .asian import HI, JA, TH, ZH
from .en import EN
from .european import DE, ES, FR, IT, NL, PL, PT

FAMILY = Family(
    name="system_prompt_extraction",
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
    bury_rate=0.12,
)
