"""Attack families and benign look-alikes for the threat detector, written here.

Each module defines one `FAMILY` (or a few): a grammar per language. `FAMILIES`
is the registry `training.threat.generate` walks, in this order.
"""

from __future__ import annotations

from . import (
    access_code_game,
    benign_business,
    benign_code,
    benign_documents,
    benign_questions,
    benign_quoted,
    benign_requests,
    benign_roleplay,
    data_exfiltration,
    indirect_injection,
    instruction_override,
    obfuscate,
    output_forcing,
    roleplay_persona,
    secret_in_carrier,
    secrets_harvesting,
    system_prompt_extraction,
)
from .family import THREAT_CATEGORIES, AnyFamily

ATTACKS: tuple[AnyFamily, ...] = (
    access_code_game.FAMILY,
    output_forcing.FAMILY,
    instruction_override.FAMILY,
    roleplay_persona.FAMILY,
    system_prompt_extraction.FAMILY,
    secret_in_carrier.FAMILY,
    indirect_injection.FAMILY,
    data_exfiltration.FAMILY,
    secrets_harvesting.FAMILY,
    obfuscate.FAMILY,
)
BENIGN: tuple[AnyFamily, ...] = (
    benign_questions.SECURITY_FAMILY,
    benign_questions.ACCOUNT_FAMILY,
    benign_requests.EDIT_FAMILY,
    benign_requests.FORMAT_FAMILY,
    benign_roleplay.FAMILY,
    benign_code.FAMILY,
    benign_documents.FAMILY,
    benign_quoted.FAMILY,
    benign_business.FAMILY,
)
FAMILIES: tuple[AnyFamily, ...] = ATTACKS + BENIGN

__all__ = ["ATTACKS", "BENIGN", "FAMILIES", "THREAT_CATEGORIES", "AnyFamily"]
