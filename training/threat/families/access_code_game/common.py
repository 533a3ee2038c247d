"""What every language bank of access_code_game shares: its categories and frames."""

from __future__ import annotations

X, H = "system_prompt_extraction", "prompt_injection"
