"""Per-record payload values: secret words, URLs, invented personas, amounts.

They are drawn fresh for every record (from syllables and word parts written
here), so that no single secret, domain or persona name can become the feature a
model keys on. The values are language-neutral; banks decide how to frame them.
"""

from __future__ import annotations

import random

_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ra",
    "zen",
    "tor",
    "vel",
    "qui",
    "dra",
    "pha",
    "nox",
    "lum",
    "bri",
    "sta",
    "gor",
    "fin",
    "ula",
    "ter",
    "wex",
    "yam",
    "cor",
    "plu",
    "sai",
    "dex",
    "mor",
    "tiv",
    "ban",
    "ost",
    "eri",
    "jul",
    "kap",
    "zor",
    "hel",
    "vin",
    "ari",
    "oso",
)
_WORDS = (
    "pineapple",
    "lighthouse",
    "marmalade",
    "quasar",
    "juniper",
    "velvet",
    "tangerine",
    "harbor",
    "saffron",
    "glacier",
    "copper",
    "orchid",
    "thunder",
    "meadow",
    "falcon",
    "labyrinth",
    "nebula",
    "cobalt",
    "walrus",
    "paprika",
    "granite",
    "zeppelin",
    "mango",
    "avalanche",
    "biscuit",
    "cinnamon",
    "dolphin",
    "emerald",
    "fjord",
    "gondola",
    "hazel",
)
_TLDS = ("com", "net", "io", "xyz", "info", "site", "app", "dev", "co", "biz", "online")
# Collection endpoints and ordinary pages alike: a URL's path should not give
# the label away, benign texts link to dashboards and sign-up pages too.
_PATH_WORDS = (
    "collect",
    "log",
    "upload",
    "api/v1/ingest",
    "c",
    "p",
    "img",
    "track",
    "hook",
    "save",
    "sync",
    "data",
    "r",
    "pixel.png",
    "beacon",
    "in",
    "drop",
    "report",
    "docs",
    "status",
    "wiki/onboarding",
    "help/password-reset",
    "events/town-hall",
    "careers",
    "blog/q3-update",
    "download/report.pdf",
    "login",
    "dashboard",
)
_CURRENCIES = ("EUR", "USD", "€", "$", "GBP", "CHF", "PLN", "INR", "¥", "THB")


def invented_word(rng: random.Random, parts: int = 0) -> str:
    """A pronounceable word that exists nowhere, of 2-3 syllables unless told."""
    count = parts or rng.randint(2, 3)
    return "".join(rng.choice(_SYLLABLES) for _ in range(count))


def secret_word(rng: random.Random) -> str:
    """A guard's password: a real word, an invented one, or a code, in varied case."""
    kind = rng.randrange(6)
    if kind == 0:
        word = rng.choice(_WORDS)
    elif kind == 1:
        word = invented_word(rng)
    elif kind == 2:
        word = f"{rng.choice(_WORDS)}{rng.randint(1, 999)}"
    elif kind == 3:
        word = f"{invented_word(rng, 2)}-{rng.randint(10, 9999)}"
    elif kind == 4:
        word = f"{rng.choice(_WORDS)}_{rng.choice(_WORDS)}"
    else:
        word = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    style = rng.randrange(3)
    return word.upper() if style == 0 else word.capitalize() if style == 1 else word


def persona_name(rng: random.Random) -> str:
    """An invented name for an 'unrestricted' persona: Vexor, KAIRO-9, Lumdra."""
    base = invented_word(rng).capitalize()
    kind = rng.randrange(4)
    if kind == 0:
        return base.upper()
    if kind == 1:
        return f"{base.upper()}-{rng.randint(1, 99)}"
    if kind == 2:
        return f"{base}{rng.choice(('GPT', 'Bot', 'AI', 'X', 'Prime', 'Zero'))}"
    return base


def url(rng: random.Random) -> str:
    """An attacker-looking collection URL on an invented domain."""
    host = invented_word(rng)
    if rng.random() < 0.4:
        host = f"{host}-{rng.choice(_WORDS)}"
    scheme = "https" if rng.random() < 0.8 else "http"
    path = rng.choice(_PATH_WORDS)
    return f"{scheme}://{host}.{rng.choice(_TLDS)}/{path}"


def amount(rng: random.Random) -> str:
    """A bribe: '200 EUR', '$50', '1000 PLN'."""
    value = rng.choice((20, 50, 100, 150, 200, 250, 500, 1000, 5000))
    currency = rng.choice(_CURRENCIES)
    return f"{currency}{value}" if currency in {"$", "¥"} else f"{value} {currency}"


def record_values(rng: random.Random) -> dict[str, str]:
    """The values one record shares across its system prompt and its text."""
    return {
        "secret": secret_word(rng),
        "persona": persona_name(rng),
        "url": url(rng),
        "amount": amount(rng),
        "n": str(rng.choice((3, 5, 10, 20, 30, 50, 100, 200))),
        "word": invented_word(rng).upper(),
    }
