"""Build the labelled corpus of the detection benchmark: pii.jsonl and prompts.jsonl.

    .venv/bin/python bench/corpus/make_corpus.py       # rewrites both files next to it

Deterministic: one seeded `random.Random(SEED)`, so the files only change when
this script or its texts (pii_texts.py, prompt_texts.py) change.

pii.jsonl, one text per line:
    {"id", "source": "generated"|"handwritten", "kind", "text",
     "spans": [{"entity_type", "start", "end", "value"}],      # what must be found
     "negatives": [{"kind", "start", "end", "value"}],         # look-alikes, not entities
     "obfuscation": null | "zero_width" | "fullwidth" | ...}
Offsets index `text` as written (the ORIGINAL text, before normalization).
Generated values are valid by construction and checked again here: Luhn for
cards, ISO 13616 mod-97 for IBANs, phonenumbers metadata for phones, the SSA
rules for SSNs, `ipaddress` for IPs. Hard negatives are checked to be invalid.
These checks define the ground truth; nothing here runs the detector.

prompts.jsonl, one prompt per line:
    {"id", "label": "attack"|"benign", "category", "text", "source", "lang"}
Hand-written (prompt_texts.py) plus transforms of a few hand-written attacks
(base64, hex, homoglyphs, zero-width, fullwidth, leetspeak) and long benign
documents with an attack appended at the end (or a benign request, as the
control). No prompt may equal an intent exemplar of examples/enterprise.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import random
import re
import string
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import pii_texts as P  # noqa: E402
import prompt_texts as T  # noqa: E402

SEED = 20250611
N_GENERATED = 380
N_OBFUSCATED = 40  # generated texts whose one entity is disguised
EXEMPLARS = ROOT / "examples" / "enterprise" / "intents.yaml"

# ============================================================================ values


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for check in string.digits:
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("unreachable")


CARD_BRANDS: list[tuple[str, float, Callable[[random.Random], tuple[str, int]]]] = [
    ("visa", 0.38, lambda r: ("4" + str(r.randint(10, 99)), 16)),
    ("mastercard", 0.24, lambda r: (str(r.randint(51, 55)), 16)),
    ("mastercard2", 0.06, lambda r: (str(r.randint(2221, 2720)), 16)),
    ("amex", 0.1, lambda r: (r.choice(["34", "37"]), 15)),
    ("discover", 0.05, lambda r: (r.choice(["6011", "65", "644"]), 16)),
    ("jcb", 0.05, lambda r: (str(r.randint(3528, 3589)), 16)),
    ("diners", 0.04, lambda r: (r.choice(["300", "305", "36", "38"]), 14)),
    ("maestro", 0.04, lambda r: (r.choice(["6759", "6761", "5018", "5020"]), 16)),
    ("unionpay", 0.04, lambda r: ("62" + str(r.randint(10, 99)), 16)),
]


def group(digits: str, sizes: list[int], sep: str) -> str:
    parts, at = [], 0
    for size in sizes:
        parts.append(digits[at : at + size])
        at += size
    if at < len(digits):
        parts.append(digits[at:])
    return sep.join(p for p in parts if p)


def format_card(digits: str, rng: random.Random) -> str:
    style = rng.choices(["compact", "space", "dash"], [0.35, 0.45, 0.2])[0]
    if style == "compact":
        return digits
    sep = " " if style == "space" else "-"
    if len(digits) == 15:
        return group(digits, [4, 6, 5], sep)
    if len(digits) == 14:
        return group(digits, [4, 6, 4], sep)
    return group(digits, [4, 4, 4, 4], sep)


def card(rng: random.Random) -> str:
    brands = list(CARD_BRANDS)
    _, _, make = rng.choices(brands, [b[1] for b in brands])[0]
    prefix, length = make(rng)
    return format_card(luhn_complete(prefix, length, rng), rng)


def card_luhn_invalid(rng: random.Random) -> str:
    prefix = rng.choice(["4", "5" + str(rng.randint(1, 5))])
    digits = luhn_complete(prefix, 16, rng)
    digits = digits[:-1] + str((int(digits[-1]) + rng.randint(1, 9)) % 10)
    assert not luhn_ok(digits)
    return group(digits, [4, 4, 4, 4], rng.choice([" ", "-", ""]))


# ---------------------------------------------------------------------------- IBAN


def _iban_check(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{98 - number % 97:02d}"


def iban_ok(value: str) -> bool:
    value = re.sub(r"[\s\-\u00ad]", "", value).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", value):
        return False
    rearranged = value[4:] + value[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _alnum(
    rng: random.Random, n: int, alphabet: str = string.ascii_uppercase + string.digits
) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _be_bban(rng: random.Random) -> str:
    head = _digits(rng, 10)
    check = int(head) % 97 or 97
    return f"{head}{check:02d}"


def _fr_bban(rng: random.Random) -> str:
    bank, branch, account = _digits(rng, 5), _digits(rng, 5), _digits(rng, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    return f"{bank}{branch}{account}{key:02d}"


def _es_bban(rng: random.Random) -> str:
    bank, branch, account = _digits(rng, 4), _digits(rng, 4), _digits(rng, 10)

    def control(digits: str, weights: list[int]) -> int:
        value = 11 - sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        return {11: 0, 10: 1}.get(value, value)

    first = control("00" + bank + branch, [1, 2, 4, 8, 5, 10, 9, 7, 3, 6])
    second = control(account, [1, 2, 4, 8, 5, 10, 9, 7, 3, 6])
    return f"{bank}{branch}{first}{second}{account}"


IBAN_COUNTRIES: dict[str, tuple[float, Callable[[random.Random], str]]] = {
    "DE": (0.2, lambda r: _digits(r, 18)),
    "NL": (
        0.16,
        lambda r: r.choice(["ABNA", "INGB", "RABO", "TRIO", "SNSB", "KNAB"]) + _digits(r, 10),
    ),
    "FR": (0.1, _fr_bban),
    "GB": (0.1, lambda r: r.choice(["NWBK", "BARC", "HBUK", "LOYD", "MIDL"]) + _digits(r, 14)),
    "ES": (0.08, _es_bban),
    "IT": (
        0.08,
        lambda r: r.choice(string.ascii_uppercase) + _digits(r, 10) + _alnum(r, 12, string.digits),
    ),
    "BE": (0.07, _be_bban),
    "CH": (0.05, lambda r: _digits(r, 5) + _alnum(r, 12, string.digits)),
    "AT": (0.05, lambda r: _digits(r, 16)),
    "IE": (0.04, lambda r: r.choice(["AIBK", "BOFI", "IPBS"]) + _digits(r, 14)),
    "LU": (0.03, lambda r: _digits(r, 3) + _alnum(r, 13, string.digits)),
    "PL": (0.04, lambda r: _digits(r, 24)),
}


def iban(rng: random.Random, country: str | None = None, *, compact: bool | None = None) -> str:
    if country is None:
        names = list(IBAN_COUNTRIES)
        country = rng.choices(names, [IBAN_COUNTRIES[n][0] for n in names])[0]
    bban = IBAN_COUNTRIES[country][1](rng)
    value = country + _iban_check(country, bban) + bban
    assert iban_ok(value)
    if compact is None:
        compact = rng.random() < 0.4
    return value if compact else " ".join(value[i : i + 4] for i in range(0, len(value), 4))


def iban_invalid(rng: random.Random) -> str:
    value = iban(rng, compact=True)
    check = int(value[2:4])
    bad = f"{(check + rng.randint(1, 90)) % 97 + 2:02d}"
    if bad == value[2:4]:
        bad = f"{(int(bad) + 1) % 97 + 2:02d}"
    value = value[:2] + bad + value[4:]
    assert not iban_ok(value)
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


# ---------------------------------------------------------------------------- phones

PHONE_REGIONS = ("US", "GB", "DE", "FR", "NL", "ES", "IT", "CH", "BE", "IE", "AT", "SE", "PL", "PT")


def phone_ok(value: str, regions: tuple[str, ...] = PHONE_REGIONS) -> bool:
    """A real number of one of `regions` (any, when written with a country code): the
    ground truth, from the numbering plans."""
    cleaned = clean(value)
    cleaned = cleaned.replace("(0)", "")
    for region in regions:
        try:
            number = phonenumbers.parse(cleaned, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _us(rng: random.Random) -> str:
    area = rng.choice([212, 415, 312, 617, 202, 305, 713, 206, 404, 646, 720, 503, 704, 860])
    exchange = rng.randint(201, 989)
    line = rng.randint(0, 9999)
    a, e, n = f"{area}", f"{exchange}", f"{line:04d}"
    return rng.choice(
        [
            f"({a}) {e}-{n}",
            f"{a}-{e}-{n}",
            f"{a}.{e}.{n}",
            f"+1 {a} {e} {n}",
            f"+1-{a}-{e}-{n}",
            f"1 ({a}) {e}-{n}",
            f"{a} {e} {n}",
        ]
    )


def _uk(rng: random.Random) -> str:
    kind = rng.choice(["mobile", "london", "manchester", "edinburgh"])
    if kind == "mobile":
        body = f"7{rng.randint(400, 999)}{_digits(rng, 6)}"
        return rng.choice(
            [
                f"0{body[:4]} {body[4:]}",
                f"+44 {body[:4]} {body[4:]}",
                f"+44 (0){body[:4]} {body[4:]}",
                f"0{body}",
            ]
        )
    if kind == "london":
        body = f"{rng.choice(['7', '3', '8'])}{_digits(rng, 7)}"
        return rng.choice(
            [
                f"020 {body[:4]} {body[4:]}",
                f"+44 20 {body[:4]} {body[4:]}",
                f"+44 (0)20 {body[:4]} {body[4:]}",
                f"(020) {body[:4]} {body[4:]}",
            ]
        )
    code = "161" if kind == "manchester" else "131"
    body = f"{rng.randint(2, 8)}{_digits(rng, 6)}"
    return rng.choice([f"0{code} {body[:3]} {body[3:]}", f"+44 {code} {body[:3]} {body[3:]}"])


def _de(rng: random.Random) -> str:
    if rng.random() < 0.5:
        prefix = rng.choice(["151", "152", "160", "162", "170", "171", "172", "176", "177", "179"])
        body = _digits(rng, 8 if prefix.startswith("15") else 7)
        return rng.choice(
            [
                f"0{prefix} {body}",
                f"0{prefix}/{body}",
                f"+49 {prefix} {body}",
                f"+49 ({prefix}) {body[:3]} {body[3:]}",
                f"0{prefix}-{body}",
            ]
        )
    city, length = rng.choice([("30", 8), ("89", 7), ("40", 8), ("69", 7), ("221", 7)])
    body = str(rng.randint(2, 9)) + _digits(rng, length - 1)
    return rng.choice(
        [
            f"0{city} {body}",
            f"0{city}/{body}",
            f"+49 {city} {body}",
            f"+49 (0){city} {body}",
            f"0{city}-{body[:4]}-{body[4:]}",
            f"+49 {city} {body[:4]} {body[4:]}",
        ]
    )


def _fr(rng: random.Random) -> str:
    first = rng.choice(["6", "7", "1", "2", "3", "4", "5", "9"])
    body = first + _digits(rng, 8)
    pairs = " ".join(body[i : i + 2] for i in range(1, 9, 2))
    return rng.choice(
        [
            f"0{first} {pairs}",
            f"0{first}.{pairs.replace(' ', '.')}",
            f"+33 {first} {pairs}",
            f"+33 (0){first} {pairs}",
            f"0{body}",
            f"0033 {first} {pairs}",
        ]
    )


def _nl(rng: random.Random) -> str:
    if rng.random() < 0.55:
        body = str(rng.randint(1, 6)) + _digits(rng, 7)
        return rng.choice(
            [
                f"06-{body}",
                f"06 {body[:4]} {body[4:]}",
                f"06{body}",
                f"+31 6 {body}",
                f"+31 (0)6 {body[:4]} {body[4:]}",
                f"+31 6 {body[:2]} {body[2:4]} {body[4:6]} {body[6:]}",
            ]
        )
    city = rng.choice(["20", "10", "30", "70", "40"])
    body = str(rng.randint(2, 8)) + _digits(rng, 6)
    return rng.choice(
        [
            f"0{city}-{body[:3]} {body[3:]}",
            f"0{city} {body[:3]} {body[3:]}",
            f"+31 {city} {body[:3]} {body[3:]}",
            f"+31 (0){city} {body}",
            f"0{city}-{body}",
        ]
    )


def _intl(rng: random.Random) -> str:
    options = [
        lambda: (
            f"+41 {rng.choice(['44', '22', '31', '79'])} {rng.randint(200, 899)} "
            f"{_digits(rng, 2)} {_digits(rng, 2)}"
        ),
        lambda: (
            f"+34 {rng.choice(['6', '7', '91'])}{_digits(rng, 2)} "
            f"{_digits(rng, 3)} {_digits(rng, 3)}"
        ),
        lambda: f"+39 3{rng.randint(20, 49)} {_digits(rng, 3)} {_digits(rng, 4)}",
        lambda: f"+353 8{rng.choice('35679')} {_digits(rng, 3)} {_digits(rng, 4)}",
        lambda: f"+32 4{rng.randint(70, 99)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        lambda: f"+46 7{rng.choice('0236')} {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
        lambda: f"+43 6{rng.choice(['64', '60', '50', '99'])} {_digits(rng, 7)}",
        lambda: f"+48 {rng.choice('5678')}{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
        lambda: f"+351 9{rng.choice('1236')}{_digits(rng, 1)} {_digits(rng, 3)} {_digits(rng, 3)}",
        lambda: f"0049 {rng.choice(['151', '171'])} {_digits(rng, 8 if rng.random() < 0.5 else 7)}",
        lambda: f"0044 7{rng.randint(400, 999)} {_digits(rng, 6)}",
        lambda: f"+1 {rng.choice(['212', '415', '617'])} {rng.randint(201, 989)} {_digits(rng, 4)}",
        lambda: f"+49 {rng.choice(['30', '40'])} {rng.randint(2, 9)}{_digits(rng, 7)}",
        lambda: f"+33 {rng.choice('67')} {' '.join(_digits(rng, 2) for _ in range(4))}",
        lambda: f"+31 6 {rng.randint(1, 6)}{_digits(rng, 7)}",
        lambda: f"+45 {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
    ]
    return rng.choice(options)()


PHONE_MAKERS: dict[str, Callable[[random.Random], str]] = {
    "US": _us,
    "UK": _uk,
    "DE": _de,
    "FR": _fr,
    "NL": _nl,
    "INTL": _intl,
}
PHONE_MIX = {"US": 0.22, "UK": 0.18, "DE": 0.15, "FR": 0.12, "NL": 0.15, "INTL": 0.18}


def phone(rng: random.Random, region: str | None = None) -> str:
    if region is None:
        region = rng.choices(list(PHONE_MIX), list(PHONE_MIX.values()))[0]
    home = {"UK": ("GB",), "INTL": PHONE_REGIONS}.get(region, (region,))
    for _ in range(200):
        value = PHONE_MAKERS[region](rng)
        if phone_ok(value, home):
            return value
    raise AssertionError(f"no valid {region} phone generated")


# ---------------------------------------------------------------------------- others


def spanish_id_ok(value: str) -> bool:
    """A Spanish DNI (8 digits) or NIE (X/Y/Z and 7 digits) with its mod-23 control letter."""
    compact = re.sub(r"[\s.\-]", "", value).upper()
    number = compact[:-1].replace("X", "0", 1).replace("Y", "1", 1).replace("Z", "2", 1)
    if len(compact) != 9 or not number.isdigit():
        return False
    return "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == compact[-1]


def ssn_ok(value: str) -> bool:
    digits = re.sub(r"\D", "", clean(value))
    if len(digits) != 9:
        return False
    area, grp, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    return 0 < area < 900 and area != 666 and grp > 0 and serial > 0


def ssn(rng: random.Random, style: str | None = None) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    digits = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    style = style or rng.choices(["dash", "space"], [0.82, 0.18])[0]
    if style == "plain":
        return digits
    sep = "-" if style == "dash" else " "
    return f"{digits[:3]}{sep}{digits[3:5]}{sep}{digits[5:]}"


def ipv4(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.2:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if kind < 0.3:
        return f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    while True:
        first = rng.randint(1, 223)
        if first not in (10, 127, 169, 172, 192):
            return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6(rng: random.Random) -> str:
    def h() -> str:
        return f"{rng.randint(0, 0xFFFF):x}"

    kind = rng.random()
    if kind < 0.2:
        return ":".join(f"{rng.randint(0, 0xFFFF):04x}" for _ in range(8))
    if kind < 0.5:
        return f"2001:db8:{h()}:{h()}::{h()}"
    if kind < 0.8:
        return f"2a02:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}:{h()}"
    return f"fe80::{h()}:{h()}:{h()}:{h()}"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


ALNUM = string.ascii_letters + string.digits


def secret(rng: random.Random, kind: str) -> str:
    if kind == "openai":
        if rng.random() < 0.6:
            return "sk-proj-" + _alnum(rng, 48, ALNUM + "_-")
        return "sk-" + _alnum(rng, 48, ALNUM)
    if kind == "aws":
        return rng.choice(["AKIA", "ASIA"]) + _alnum(rng, 16, string.ascii_uppercase + "234567")
    if kind == "aws_secret":
        return _alnum(rng, 40, ALNUM + "/+")
    if kind == "github":
        if rng.random() < 0.75:
            return rng.choice(["ghp_", "gho_", "ghs_"]) + _alnum(rng, 36, ALNUM)
        return (
            "github_pat_11"
            + _alnum(rng, 20, string.ascii_uppercase + string.digits)
            + "_"
            + _alnum(rng, 59, ALNUM)
        )
    if kind == "slack":
        return (
            rng.choice(["xoxb-", "xoxp-"])
            + _digits(rng, 12)
            + "-"
            + _digits(rng, 13)
            + "-"
            + _alnum(rng, 24, ALNUM)
        )
    if kind == "slack_webhook":
        return (
            "https://hooks.slack.com/services/T"
            + _alnum(rng, 8)
            + "/B"
            + _alnum(rng, 10)
            + "/"
            + _alnum(rng, 24, ALNUM)
        )
    if kind == "google":
        return "AIza" + _alnum(rng, 35, ALNUM + "_-")
    if kind == "stripe":
        return rng.choice(["sk_live_", "rk_live_", "sk_test_"]) + _alnum(
            rng, rng.choice([24, 32, 99]), ALNUM
        )
    if kind == "jwt":
        header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
        claims = {
            "sub": _digits(rng, 8),
            "name": rng.choice(P.FIRST_NAMES),
            "iat": 1717000000 + rng.randint(0, 9999999),
        }
        payload = _b64url(json.dumps(claims, ensure_ascii=False).encode())
        return f"{header}.{payload}.{_alnum(rng, 43, ALNUM + '_-')}"
    if kind == "pem":
        label = rng.choice(
            ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"]
        )
        lines = [_alnum(rng, 64, ALNUM + "+/") for _ in range(rng.randint(3, 6))]
        lines.append(_alnum(rng, rng.randint(8, 60), ALNUM + "+/") + "==")
        return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"
    if kind == "govroute":
        if rng.random() < 0.5:
            return "gr_live_" + _alnum(rng, 28, ALNUM + "_-")
        team = rng.choice(["ops", "eu_support", "qa", "data"])
        return f"gr_demo_{team}_" + _alnum(rng, 16, ALNUM + "_-")
    if kind == "opaque":
        return _alnum(rng, rng.choice([32, 40]), ALNUM)
    if kind == "password":
        word = rng.choice(
            ["Winter", "Sommer", "Blue", "Falcon", "Tulip", "Harbor", "Maple", "Orion"]
        )
        return rng.choice(
            [
                f"{word}{rng.randint(2019, 2026)}!",
                f"{word.lower()}-{rng.choice(P.FIRST_NAMES).lower()}-{rng.randint(10, 99)}",
                f"{word[:3]}#{_alnum(rng, 6, ALNUM)}",
                f"{_alnum(rng, 12, ALNUM + '!#%&*')}",
            ]
        )
    raise ValueError(kind)


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def clean(text: str) -> str:
    """NFKC without format characters: only for the ground-truth checks here."""
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKC", text)
    cyrillic = str.maketrans("аеорсхі", "aeopcxi")
    return text.translate(cyrillic)


# ============================================================================ PII records

Mark = str  # text with [[TYPE|value]] / [[~kind|value]] markup

_MARKUP = re.compile(r"\[\[(~?[A-Za-z_]+)\|(.*?)\]\]", re.DOTALL)
_SLOT = re.compile(r"\{([a-z_0-9]+)\}")


def entity(kind: str, value: str) -> Mark:
    return f"[[{kind}|{value}]]"


def negative(kind: str, value: str) -> Mark:
    return f"[[~{kind}|{value}]]"


def parse_markup(marked: str) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """Text without markup, labelled spans and hard-negative spans."""
    pieces: list[str] = []
    spans: list[dict[str, Any]] = []
    negatives: list[dict[str, Any]] = []
    length = last = 0
    for match in _MARKUP.finditer(marked):
        literal = marked[last : match.start()]
        pieces.append(literal)
        length += len(literal)
        kind, value = match.group(1), match.group(2)
        row = {"start": length, "end": length + len(value), "value": value}
        if kind.startswith("~"):
            negatives.append({"kind": kind[1:], **row})
        else:
            spans.append({"entity_type": kind, **row})
        pieces.append(value)
        length += len(value)
        last = match.end()
    pieces.append(marked[last:])
    text = "".join(pieces)
    assert "[[" not in text, marked
    assert "]]" not in text.replace("]]]", ""), marked
    return text, spans, negatives


class Record:
    """The two people of one generated text, so that names and emails agree."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.first, self.last = rng.choice(P.FIRST_NAMES), rng.choice(P.SURNAMES)
        self.first2 = rng.choice([n for n in P.FIRST_NAMES if n != self.first])
        self.last2 = rng.choice([n for n in P.SURNAMES if n != self.last])
        self.obfuscate: str | None = None  # slot name to disguise

    def email_of(self, first: str, last: str, domains: list[str]) -> str:
        f, surname = (
            ascii_fold(first).lower(),
            ascii_fold(last).lower().replace(" ", "").replace("'", ""),
        )
        local = self.rng.choice(
            [
                f"{f}.{surname}",
                f"{f[0]}.{surname}",
                f"{f}{surname}",
                f"{f}_{surname}{self.rng.randint(1, 99)}",
                f"{surname}.{f}",
                f"{f}.{surname}+billing",
                f"{f[0]}{surname}{self.rng.randint(70, 99)}",
            ]
        )
        return f"{local}@{self.rng.choice(domains)}"


def _date(rng: random.Random) -> str:
    y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    return rng.choice(
        [
            f"{y}-{m:02d}-{d:02d}",
            f"{d:02d}.{m:02d}.{y}",
            f"{m:02d}/{d:02d}/{y}",
            f"{d} {months[m - 1]} {y}",
            f"{d:02d}/{m:02d}/{y}",
        ]
    )


def _dob(rng: random.Random) -> str:
    y, m, d = rng.randint(1940, 2004), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice([f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}", f"{m:02d}/{d:02d}/{y}"])


def _price(rng: random.Random) -> str:
    amount = rng.choice([rng.uniform(5, 200), rng.uniform(200, 5000), rng.uniform(5000, 250000)])
    whole, cents = int(amount), int(amount * 100) % 100
    return rng.choice(
        [
            f"€{whole:,}.{cents:02d}",
            f"${whole:,}.{cents:02d}",
            f"{whole:,}".replace(",", ".") + f",{cents:02d} EUR",
            f"£{whole:,}.{cents:02d}",
            f"EUR {whole:,}".replace(",", " ") + f",{cents:02d}",
            f"{whole},{cents:02d} €",
        ]
    )


def _isbn13(rng: random.Random) -> str:
    body = "978" + _digits(rng, 9)
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
    return f"{body[:3]}-{body[3]}-{body[4:8]}-{body[8:12]}-{check}"


def _clock(rng: random.Random) -> str:
    return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _uuid(rng: random.Random) -> str:
    h = _hex(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{rng.choice('89ab')}{h[17:20]}-{h[20:]}"


CITIES = ["Lagos", "Bucharest", "São Paulo", "Manila", "Kyiv", "Lyon", "Rotterdam", "Dublin"]


def slot_value(slot: str, rec: Record) -> Mark:
    rng = rec.rng
    name1, name2 = f"{rec.first} {rec.last}", f"{rec.first2} {rec.last2}"
    persons = {
        "name": name1,
        "first": rec.first,
        "last": rec.last,
        "name2": name2,
        "first2": rec.first2,
        "last2": rec.last2,
        "agent": rng.choice(P.AGENTS),
        "first_lower": rec.first.lower(),
    }
    if slot in persons:
        return entity("PERSON", persons[slot])
    value: str
    if slot in ("email", "email2", "work_email", "role_email"):
        if slot == "email":
            value = rec.email_of(rec.first, rec.last, P.FREE_MAIL + P.COMPANY_MAIL)
        elif slot == "email2":
            value = rec.email_of(rec.first2, rec.last2, P.COMPANY_MAIL)
        elif slot == "work_email":
            value = rec.email_of(rec.first, rec.last, ["northwind-bank.eu", "northwind.com"])
        else:
            value = rng.choice(P.ROLE_ADDRESSES)
        return entity("EMAIL_ADDRESS", disguise(slot, value, rec))
    if slot.startswith("phone"):
        region = {
            "phone": None,
            "phone_us": "US",
            "phone_uk": "UK",
            "phone_de": "DE",
            "phone_fr": "FR",
            "phone_nl": "NL",
            "phone_intl": "INTL",
        }[slot]
        return entity("PHONE_NUMBER", disguise(slot, phone(rng, region), rec))
    if slot == "card":
        return entity("CREDIT_CARD", disguise(slot, card(rng), rec))
    if slot.startswith("iban") and slot != "iban_bad":
        country = {"iban_de": "DE", "iban_nl": "NL", "iban_fr": "FR"}.get(slot)
        return entity("IBAN_CODE", disguise(slot, iban(rng, country), rec))
    if slot == "ssn":
        return entity("US_SSN", disguise(slot, ssn(rng), rec))
    if slot == "ssn_plain":
        return entity("US_SSN", ssn(rng, "plain"))
    if slot in ("ipv4", "ipv4b"):
        return entity("IP_ADDRESS", ipv4(rng))
    if slot == "ipv6":
        return entity("IP_ADDRESS", ipv6(rng))
    if slot == "ip":
        return entity("IP_ADDRESS", ipv4(rng) if rng.random() < 0.6 else ipv6(rng))
    if slot in (
        "stripe",
        "openai",
        "aws",
        "aws_secret",
        "github",
        "jwt",
        "pem",
        "google",
        "govroute",
        "password",
        "opaque",
        "slack",
        "slack_webhook",
    ):
        return entity("API_KEY", secret(rng, slot))
    if slot == "acct":
        return entity("ACCOUNT_NUMBER", "NW-" + _digits(rng, 10))
    if slot == "acct_compact":
        return entity("ACCOUNT_NUMBER", "NW" + _digits(rng, 10))
    negatives: dict[str, tuple[str, Callable[[], str]]] = {
        "ticket": (
            "ticket_id",
            lambda: rng.choice(
                [
                    f"INC-2024-{_digits(rng, 6)}",
                    f"#{rng.randint(10000, 999999)}",
                    f"SR-{_digits(rng, 7)}",
                    f"{_digits(rng, 4)}-{_digits(rng, 4)}-{_digits(rng, 2)}",
                ]
            ),
        ),
        "order": (
            "order_number",
            lambda: rng.choice(
                [
                    f"ORD-2024-{_digits(rng, 6)}",
                    f"{_digits(rng, 3)}-{_digits(rng, 7)}-{_digits(rng, 7)}",
                    f"NW-ORD-{_digits(rng, 8)}",
                    f"#{_digits(rng, 9)}",
                ]
            ),
        ),
        "invoice": (
            "invoice_number",
            lambda: rng.choice(
                [
                    f"INV-2024-{_digits(rng, 5)}",
                    f"2024/{_digits(rng, 5)}",
                    f"RE-{rng.randint(2019, 2025)}-{_digits(rng, 4)}",
                ]
            ),
        ),
        "tracking": (
            "tracking_number",
            lambda: rng.choice(
                [
                    "1Z" + _alnum(rng, 6) + _digits(rng, 10),
                    "JD01460000" + _digits(rng, 10),
                    "3S" + _alnum(rng, 4, string.ascii_uppercase) + _digits(rng, 9),
                ]
            ),
        ),
        "card_luhn_bad": ("luhn_invalid_card", lambda: card_luhn_invalid(rng)),
        "card_masked": (
            "masked_card",
            lambda: rng.choice(
                [
                    f"**** **** **** {_digits(rng, 4)}",
                    f"XXXX-XXXX-XXXX-{_digits(rng, 4)}",
                    f"45xx xxxx xxxx {_digits(rng, 4)}",
                ]
            ),
        ),
        "iban_bad": ("invalid_iban", lambda: iban_invalid(rng)),
        "case": (
            "case_number",
            lambda: rng.choice(
                [
                    f"CASE-2024-{_digits(rng, 4)}",
                    f"{rng.randint(2019, 2025)}0{rng.randint(1, 9)}{rng.randint(10, 28)}"
                    f"-{_digits(rng, 4)}",
                ]
            ),
        ),
        "asset": ("asset_tag", lambda: f"NW-LAP-{_digits(rng, 5)}"),
        "expense": ("expense_number", lambda: f"EXP-2024-{_digits(rng, 4)}"),
        "uuid": ("uuid", lambda: _uuid(rng)),
        "sha": ("git_sha", lambda: _hex(rng, rng.choice([7, 12, 40]))),
        "mac": ("mac_address", lambda: ":".join(_hex(rng, 2) for _ in range(6))),
        "oid": (
            "oid",
            lambda: (
                f"1.3.6.1.4.1.{rng.randint(100, 60000)}.{rng.randint(1, 20)}.{rng.randint(1, 9)}"
            ),
        ),
        "isbn": ("isbn", lambda: _isbn13(rng)),
        "po": ("po_number", lambda: f"4500{_digits(rng, 6)}"),
        "otp": ("otp_code", lambda: _digits(rng, 6)),
        "duration": (
            "duration",
            lambda: rng.choice(
                [
                    f"{rng.randint(1, 59)} min {rng.randint(1, 59)} s",
                    f"{rng.randint(100, 99999)} ms",
                ]
            ),
        ),
        "price": ("price", lambda: _price(rng)),
        "price2": ("price", lambda: _price(rng)),
        "date": ("date", lambda: _date(rng)),
        "date2": ("date", lambda: _date(rng)),
        "dob": ("date", lambda: _dob(rng)),
        "year": ("date", lambda: str(rng.randint(2005, 2023))),
        "time": (
            "time",
            lambda: rng.choice(
                [
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
                    f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
                ]
            ),
        ),
        "timestamp": (
            "timestamp",
            lambda: rng.choice(
                [
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{_clock(rng)}Z",
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {_clock(rng)}"
                    f",{_digits(rng, 3)}",
                ]
            ),
        ),
        "clf_time": (
            "timestamp",
            lambda: f"{rng.randint(1, 28):02d}/May/2024:{_clock(rng)} +0200",
        ),
        "version": (
            "version",
            lambda: rng.choice(
                [
                    f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}",
                    f"{rng.randint(1, 12)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"
                    f"-rc.{rng.randint(1, 4)}",
                    f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
                    f".{rng.randint(1000, 9999)}",
                ]
            ),
        ),
        "pub": ("publishable_key", lambda: _alnum(rng, 24, ALNUM)),
    }
    if slot in negatives:
        kind, make = negatives[slot]
        if slot == "pub":
            return "pk_live_" + negative(kind, make())
        return negative(kind, make())
    plain: dict[str, Callable[[], str]] = {
        "city": lambda: rng.choice(CITIES),
        "username": lambda: (
            ascii_fold(rec.first[0] + rec.last).lower().replace(" ", "").replace("'", "")
        ),
        "path": lambda: rng.choice(["reports/q3.pdf", "/data/tickets.csv", "notes.txt"]),
        "expiry": lambda: f"{rng.randint(1, 12):02d}/{rng.randint(25, 31)}",
    }
    if slot in plain:
        return plain[slot]()
    raise KeyError(f"unknown slot {slot}")


# Disguises for a labelled value: the span stays on the original characters.
_ZW = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
_CYRILLIC = {
    "a": "\u0430",
    "e": "\u0435",
    "o": "\u043e",
    "p": "\u0440",
    "c": "\u0441",
    "x": "\u0445",
    "i": "\u0456",
}


def disguise(slot: str, value: str, rec: Record) -> str:
    if rec.obfuscate != slot:
        return value
    rec.obfuscate = "used"
    rng = rec.rng
    kind = slot.split("_")[0]
    if kind.startswith("email"):
        how = rng.choice(["zero_width", "cyrillic_domain", "fullwidth_at"])
        if how == "zero_width":
            positions = sorted(rng.sample(range(1, len(value)), k=min(3, len(value) - 1)))
            out, last = [], 0
            for p in positions:
                out += [value[last:p], rng.choice(_ZW)]
                last = p
            value = "".join([*out, value[last:]])
        elif how == "cyrillic_domain":
            local, domain = value.split("@")
            letters = [
                i for i, ch in enumerate(domain) if ch in _CYRILLIC and i < domain.rfind(".")
            ]
            chosen = set(rng.sample(letters, k=min(2, len(letters)))) if letters else set()
            domain = "".join(_CYRILLIC[ch] if i in chosen else ch for i, ch in enumerate(domain))
            value = f"{local}@{domain}"
        else:
            value = value.replace("@", "\uff20")
        rec.obfuscate = how
    elif kind == "card":
        how = rng.choice(["fullwidth", "en_dash"])
        if how == "fullwidth" or (" " not in value and "-" not in value):
            value = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in value)
            how = "fullwidth"
        else:
            value = re.sub(r"[ \-]", "\u2013", value)
        rec.obfuscate = how
    elif kind == "phone":
        value = value.replace(" ", "\u00a0")
        rec.obfuscate = "nbsp"
    elif kind == "iban":
        value = value.replace(" ", "\u200b") if " " in value else value[:4] + "\u200b" + value[4:]
        rec.obfuscate = "zero_width"
    elif kind == "ssn":
        value = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in value)
        rec.obfuscate = "fullwidth"
    return value


_DISGUISABLE = (
    "email",
    "email2",
    "card",
    "phone",
    "phone_us",
    "phone_uk",
    "phone_de",
    "phone_nl",
    "phone_fr",
    "phone_intl",
    "iban",
    "ssn",
)


def render(template: str, rec: Record) -> Mark:
    return _SLOT.sub(lambda m: slot_value(m.group(1), rec), template)


def check_labels(text: str, spans: list[dict[str, Any]], negatives: list[dict[str, Any]]) -> None:
    """Ground truth sanity: labels are what they claim, look-alikes are not."""
    for span in spans:
        value, kind = text[span["start"] : span["end"]], span["entity_type"]
        assert value == span["value"]
        plain = clean(value)
        if kind == "CREDIT_CARD":
            digits = re.sub(r"\D", "", plain)
            assert 13 <= len(digits) <= 19, value
            assert luhn_ok(digits), value
        elif kind == "IBAN_CODE":
            assert iban_ok(plain), value
        elif kind == "PHONE_NUMBER":
            assert phone_ok(plain), value
        elif kind == "US_SSN":
            assert ssn_ok(plain), value
        elif kind == "IP_ADDRESS":
            ipaddress.ip_address(plain)
        elif kind == "EMAIL_ADDRESS":
            assert re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", plain, re.IGNORECASE), value
        elif kind == "NATIONAL_ID":
            assert spanish_id_ok(plain), value
        elif kind == "URL":
            assert re.match(r"(?:https?|ftp)://|www\.|[a-z0-9\-]+(?:\.[a-z0-9\-]+)+/", plain), value
        elif kind in ("PASSPORT", "MEDICAL_RECORD_NUMBER"):
            assert sum(ch.isdigit() for ch in plain) >= 5, value
    for neg in negatives:
        value = clean(neg["value"])
        if neg["kind"] == "luhn_invalid_card":
            assert not luhn_ok(re.sub(r"\D", "", value)), value
        elif neg["kind"] == "invalid_iban":
            assert not iban_ok(value), value
        elif neg["kind"] == "invalid_ssn":
            assert not ssn_ok(value), value


def pii_records(rng: random.Random) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    order = list(range(len(P.TEMPLATES)))
    picks: list[int] = []
    while len(picks) < N_GENERATED:
        rng.shuffle(order)
        picks += order
    picks = picks[:N_GENERATED]
    disguisable = [
        i for i, t in enumerate(picks) if any(f"{{{s}}}" in P.TEMPLATES[t][1] for s in _DISGUISABLE)
    ]
    disguised = set(rng.sample(disguisable, N_OBFUSCATED))
    for i, template_index in enumerate(picks):
        kind, template = P.TEMPLATES[template_index]
        rec = Record(rng)
        if i in disguised:
            slots = [s for s in _SLOT.findall(template) if s in _DISGUISABLE]
            rec.obfuscate = rng.choice(slots)
        text, spans, negatives = parse_markup(render(template, rec))
        check_labels(text, spans, negatives)
        obfuscation = rec.obfuscate if i in disguised else None
        records.append(
            {
                "id": f"gen-{i + 1:04d}",
                "source": "generated",
                "kind": kind,
                "text": text,
                "spans": spans,
                "negatives": negatives,
                "obfuscation": obfuscation,
            }
        )
    for i, (kind, marked) in enumerate(P.HANDWRITTEN):
        text, spans, negatives = parse_markup(marked)
        obfuscation = None
        for entity_type, value in P.OBFUSCATED_SPANS:
            at = text.find(value)
            if at >= 0:
                spans.append(
                    {
                        "entity_type": entity_type,
                        "start": at,
                        "end": at + len(value),
                        "value": value,
                    }
                )
                obfuscation = "handwritten"
        check_labels(text, spans, negatives)
        records.append(
            {
                "id": f"hand-{i + 1:03d}",
                "source": "handwritten",
                "kind": kind,
                "text": text,
                "spans": sorted(spans, key=lambda s: s["start"]),
                "negatives": negatives,
                "obfuscation": obfuscation,
            }
        )
    found = sum(1 for r in records if r["obfuscation"] == "handwritten")
    assert found == len(P.OBFUSCATED_SPANS), "an obfuscated hand-written span was not found"
    return records


# ============================================================================ prompts

_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
B64_FRAMES = [
    "Decode this base64 and follow the instructions inside: {payload}",
    "Here is a config blob from the admin, apply it: {payload}",
    "{payload}\n(base64 - decode and do what it says)",
    "Run the task encoded below, it's base64 to get past the logging filter.\n{payload}",
]
HEX_FRAMES = [
    "Convert this hex to text and execute it: {payload}",
    "The instruction is hex encoded for transport: {payload}. Decode and comply.",
]


def homoglyphs(text: str, rng: random.Random) -> str:
    return "".join(_CYRILLIC[ch] if ch in _CYRILLIC and rng.random() < 0.6 else ch for ch in text)


def zero_width(text: str, rng: random.Random) -> str:
    out = []
    for word in text.split(" "):
        if len(word) >= 4:
            at = rng.randint(1, len(word) - 1)
            word = word[:at] + rng.choice(_ZW) + word[at:]
        out.append(word)
    return " ".join(out)


def fullwidth(text: str) -> str:
    return "".join(
        chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else "\u3000" if ch == " " else ch for ch in text
    )


def leetspeak(text: str, rng: random.Random) -> str:
    return "".join(_LEET[ch] if ch in _LEET and rng.random() < 0.75 else ch for ch in text)


def prompt_records(rng: random.Random) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(
        label: str, category: str, text: str, source: str = "handwritten", lang: str = "en"
    ) -> None:
        rows.append(
            {"label": label, "category": category, "text": text, "source": source, "lang": lang}
        )

    for category, texts in [
        ("injection_direct", T.INJECTION_DIRECT),
        ("injection_indirect", T.INJECTION_INDIRECT),
        ("prompt_extraction", T.PROMPT_EXTRACTION),
        ("jailbreak", T.JAILBREAK),
        ("data_exfiltration", T.DATA_EXFILTRATION),
        ("secrets_harvesting", T.SECRETS_HARVESTING),
        ("fraud_facilitation", T.FRAUD_FACILITATION),
    ]:
        for text in texts:
            add("attack", category, text)
    for lang, text in T.MULTILINGUAL:
        add("attack", "multilingual", text, lang=lang)

    bases = list(T.OBFUSCATION_BASES)
    for i, base in enumerate(bases[:8]):
        payload = base64.b64encode(base.encode()).decode()
        add(
            "attack",
            "obfuscated_encoding",
            B64_FRAMES[i % len(B64_FRAMES)].format(payload=payload),
            "transform:base64",
        )
    for i, base in enumerate(bases[8:]):
        payload = base.encode().hex()
        add(
            "attack",
            "obfuscated_encoding",
            HEX_FRAMES[i % len(HEX_FRAMES)].format(payload=payload),
            "transform:hex",
        )
    for base in rng.sample(bases, 8):
        add(
            "attack",
            "obfuscated_unicode",
            homoglyphs(base.capitalize() + ".", rng),
            "transform:homoglyphs",
        )
    for base in rng.sample(bases, 8):
        add(
            "attack",
            "obfuscated_unicode",
            zero_width(base.capitalize() + ".", rng),
            "transform:zero_width",
        )
    for base in rng.sample(bases, 4):
        add(
            "attack",
            "obfuscated_unicode",
            fullwidth(base.capitalize() + "."),
            "transform:fullwidth",
        )
    for base in rng.sample(bases, 8):
        add("attack", "obfuscated_leetspeak", leetspeak(base, rng), "transform:leetspeak")

    carriers = list(T.CARRIERS)
    for i, tail in enumerate(T.BURIED_TAILS):
        carrier = carriers[i % len(carriers)]
        add(
            "attack",
            "buried_in_long_prompt",
            f"{carrier}\n\n{T.BENIGN_CARRIER_ASKS[i % len(T.BENIGN_CARRIER_ASKS)]} {tail}",
            "template:buried",
        )

    for category, texts in [
        ("support_reply", T.SUPPORT_REPLY),
        ("summary", T.SUMMARY),
        ("code_help", T.CODE_HELP),
        ("sql", T.SQL),
        ("translation", T.TRANSLATION),
        ("kyc_review", T.KYC_REVIEW),
        ("claims", T.CLAIMS),
        ("marketing", T.MARKETING),
        ("hr", T.HR),
        ("email_drafting", T.EMAIL_DRAFTING),
        ("regulatory", T.REGULATORY),
        ("financial_analysis", T.FINANCIAL_ANALYSIS),
        ("fraud_investigation", T.FRAUD_INVESTIGATION),
        ("security_trap", T.SECURITY_TRAPS),
        ("general", T.GENERAL),
    ]:
        for text in texts:
            add("benign", category, text)
    for text in T.MULTILINGUAL_BENIGN:
        add("benign", "multilingual_benign", text, lang="xx")
    for i, carrier in enumerate(carriers + carriers[:2]):
        ask = T.BENIGN_CARRIER_ASKS[(i + 3 + i // len(carriers)) % len(T.BENIGN_CARRIER_ASKS)]
        add("benign", "long_document", f"{carrier}\n\n{ask}", "template:long")

    for row in rows:
        row["split"] = "dev"
    heldout: list[dict[str, Any]] = []
    for category, text in T.HELDOUT_ATTACKS:
        heldout.append({"label": "attack", "category": category, "text": text, "source": "heldout"})
    for i, tail in enumerate(T.HELDOUT_BURIED_TAILS):
        carrier = carriers[(i + 3) % len(carriers)]
        text = f"{carrier}\n\n{T.HELDOUT_CARRIER_ASKS[i % 2]} {tail}"
        heldout.append(
            {
                "label": "attack",
                "category": "buried_in_long_prompt",
                "text": text,
                "source": "heldout",
            }
        )
    for category, text in T.HELDOUT_BENIGN:
        heldout.append({"label": "benign", "category": category, "text": text, "source": "heldout"})
    for i, ask in enumerate(T.HELDOUT_CARRIER_ASKS):
        text = f"{carriers[(i + 5) % len(carriers)]}\n\n{ask}"
        heldout.append(
            {"label": "benign", "category": "long_document", "text": text, "source": "heldout"}
        )
    for row in heldout:
        row["lang"] = "xx" if row["category"].startswith("multilingual") else "en"
        row["split"] = "heldout"
    rows += heldout

    counters: Counter[str] = Counter()
    for row in rows:
        prefix = ("atk" if row["label"] == "attack" else "ben") + (
            "-ho" if row["split"] == "heldout" else ""
        )
        counters[row["category"]] += 1
        row["id"] = f"{prefix}-{row['category']}-{counters[row['category']]:03d}"
    return [{"id": r["id"], **{k: v for k, v in r.items() if k != "id"}} for r in rows]


def exemplar_texts() -> list[str]:
    raw = yaml.safe_load(EXEMPLARS.read_text())
    return [e for intent in raw["intents"] for e in intent.get("exemplars", [])]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


# ============================================================================ main


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def main() -> None:
    rng = random.Random(SEED)
    pii = pii_records(rng)
    prompts = prompt_records(rng)
    texts = [p["text"] for p in prompts]
    assert len(set(texts)) == len(texts), "duplicate prompts"
    exemplars = {_key(e) for e in exemplar_texts()}
    overlap = [p["id"] for p in prompts if _key(p["text"]) in exemplars]
    assert not overlap, f"prompts equal to intent exemplars: {overlap}"
    # The recall cases of issue 9 item 12 come last, from their own seeded generator,
    # so the records above stay exactly as they were.
    from make_recall_corpus import recall_records

    pii += recall_records()
    write_jsonl(HERE / "pii.jsonl", pii)
    write_jsonl(HERE / "prompts.jsonl", prompts)

    support = Counter(s["entity_type"] for r in pii for s in r["spans"])
    negatives = Counter(n["kind"] for r in pii for n in r["negatives"])
    labels = Counter(p["label"] for p in prompts)
    heldout = Counter(p["label"] for p in prompts if p["split"] == "heldout")
    print(
        f"pii.jsonl: {len(pii)} texts, {sum(support.values())} spans, "
        f"{sum(negatives.values())} hard negatives"
    )
    for entity_type, n in sorted(support.items()):
        print(f"  {entity_type:16s}{n:5d}")
    print(f"  obfuscated texts: {sum(1 for r in pii if r['obfuscation'])}")
    print(
        f"prompts.jsonl: {labels['attack']} attacks, {labels['benign']} benign "
        f"(held out: {heldout['attack']} attacks, {heldout['benign']} benign)"
    )
    for category, n in sorted(Counter(f"{p['label']}/{p['category']}" for p in prompts).items()):
        print(f"  {category:40s}{n:4d}")


if __name__ == "__main__":
    main()
