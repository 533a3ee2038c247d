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

# Heads of the conversation model (engine.threats.conversation): they read the last user
# turn against the system prompt and the earlier turns, not one segment on its own.
CONVERSATION_HEADS = (
    "conversation_attack",  # any of the four below
    "conversation_extraction",  # asks for the system prompt or a value it guards
    "conversation_forcing",  # asks for a fixed phrase, above all one the system prompt reserves
    "conversation_conflict",  # a context item or earlier turn instructs against the system prompt
    "conversation_buildup",  # an attack split across the recent user turns
)

THREAT_HEADS = (ANY_ATTACK, *THREAT_CATEGORIES)

# What a policy's `applies_to.threats` may name besides the snapshot's own categories.
POLICY_HEADS = (*THREAT_HEADS, *CONVERSATION_HEADS)
