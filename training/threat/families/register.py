"""Formal and informal address: keep one text in one register.

Banks of languages with a T/V distinction hold both registers (German du/Sie,
French tu/vous, Spanish tú/usted, Italian tu/Lei, Portuguese tu/você, Dutch
jij/u, Polish ty/Pan), and slots drawn independently can mix them in one
sentence ("Pourriez-vous ... ? Je te donne ..."). `mixes_register` spots a text
that carries markers of both, so the sampler draws again. The markers are
pronouns and possessives: imperatives are left alone, so a few mixes remain.
"""

from __future__ import annotations

import re

_MARKERS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "fr": (
        re.compile(r"\b(tu|te|toi|ton|ta|tes)\b|\bt'", re.I),
        re.compile(r"\b(vous|votre|vos|veuillez)\b", re.I),
    ),
    "de": (
        re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner)\b", re.I),
        re.compile(r"\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer)\b"),
    ),
    "es": (
        re.compile(r"\b(tú|te|ti|tu|tus|contigo)\b", re.I),
        re.compile(r"\b(usted|ustedes|le ruego)\b", re.I),
    ),
    "it": (
        re.compile(r"\b(tu|ti|te|tuo|tua|tue|tuoi)\b", re.I),
        re.compile(r"\b(Lei|La prego|suo|sua|sue|suoi)\b"),
    ),
    "pt": (
        re.compile(r"\b(tu|ti|teu|tua|teus|tuas|contigo)\b", re.I),
        re.compile(r"\b(você|o senhor|a senhora)\b", re.I),
    ),
    "nl": (re.compile(r"\b(je|jij|jou|jouw)\b", re.I), re.compile(r"\b(u|uw)\b", re.I)),
    "pl": (
        re.compile(r"\b(ty|ci|cię|tobie|twój|twoja|twoje|twoich|twoim)\b", re.I),
        re.compile(r"\b(Pan|Pani|Pana|Panu|Państwo|proszę)\b"),
    ),
}


def mixes_register(lang: str, text: str) -> bool:
    """True when `text` addresses the reader both informally and formally."""
    markers = _MARKERS.get(lang)
    if markers is None:
        return False
    informal, formal = markers
    return bool(informal.search(text)) and bool(formal.search(text))
