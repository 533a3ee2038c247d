"""The threat categories the detector scores: what a policy's `applies_to.threats` may name.

Each is a head of the trained model (engine.threats.model); `attack` scores an
attack of any category, the one to use when the kind does not matter.
"""

from __future__ import annotations

ANY_ATTACK = "attack"

THREAT_CATEGORIES = (
    "prompt_injection",  # instructions that override or hijack the assistant's own
    "jailbreak",  # personas, games and hypotheticals meant to switch safety rules off
    "system_prompt_extraction",  # reveal, repeat, translate or encode the instructions
    "data_exfiltration",  # bulk records out, or data smuggled into URLs and images
    "secrets_harvesting",  # keys, tokens, passwords and credentials
)

THREAT_HEADS = (ANY_ATTACK, *THREAT_CATEGORIES)
