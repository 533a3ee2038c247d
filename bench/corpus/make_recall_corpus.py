"""The recall part of pii.jsonl (issue 9 item 12): URLs, Spanish DNI/NIE, passport and
medical record numbers, 12-19 digit cards, phones with extensions and international
prefixes, person names in hard forms.

Called by make_corpus.py, which appends these records after its own; a seeded
`random.Random` of its own keeps the older records unchanged. Generated values
are valid by construction and checked by make_corpus.check_labels (Luhn, the
DNI/NIE control letter, phonenumbers metadata); nothing here runs the detector.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable
from typing import Any

import make_corpus as C
import pii_recall_texts as R

SEED = 20250612
N_GENERATED = 120

_CONTROL = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni(rng: random.Random) -> str:
    number = rng.randint(10_000_000, 99_999_999)
    letter = _CONTROL[number % 23]
    return rng.choice([f"{number}{letter}", f"{number}-{letter}"])


def nie(rng: random.Random) -> str:
    prefix = rng.choice("XYZ")
    digits = f"{rng.randint(0, 9_999_999):07d}"
    letter = _CONTROL[int(str("XYZ".index(prefix)) + digits) % 23]
    return f"{prefix}{digits}{letter}"


def passport(rng: random.Random) -> str:
    shapes = [
        lambda: C._digits(rng, 9),  # UK, US
        lambda: rng.choice(string.ascii_uppercase) + C._digits(rng, 8),  # US next generation
        lambda: "".join(rng.choice("PAB") for _ in range(3)) + C._digits(rng, 6),  # Spain
        lambda: (
            C._digits(rng, 2) + "".join(rng.sample(string.ascii_uppercase, 2)) + C._digits(rng, 5)
        ),  # France
    ]
    return rng.choice(shapes)()


def mrn(rng: random.Random) -> str:
    return rng.choice([C._digits(rng, 7), C._digits(rng, 8), f"HX-{C._digits(rng, 7)}"])


def _card(
    rng: random.Random, prefixes: list[str], lengths: list[int], sizes: list[int] | None
) -> str:
    digits = C.luhn_complete(rng.choice(prefixes), rng.choice(lengths), rng)
    if sizes is None or rng.random() < 0.3:
        return digits
    return C.group(digits, sizes, rng.choice([" ", "-"]))


def maestro(rng: random.Random) -> str:
    return _card(rng, ["6759", "6761", "5018", "5020", "6304"], [16, 18, 19], [4, 4, 4, 4])


def visa19(rng: random.Random) -> str:
    return _card(rng, ["4" + str(rng.randint(100, 999))], [19], [4, 4, 4, 4])


def jcb(rng: random.Random) -> str:
    return _card(rng, [str(rng.randint(3528, 3589))], [16, 19], [4, 4, 4, 4])


def diners(rng: random.Random) -> str:
    return _card(rng, ["3056", "3600", "3852"], [14], [4, 4, 4])  # 4-4-4-2


def phone_ext(rng: random.Random) -> str:
    number = C.phone(rng, "US")
    return number + rng.choice(
        [f"x{rng.randint(10, 9999)}", f" ext. {rng.randint(1, 999)}", f" ext {rng.randint(1, 99)}"]
    )


def phone_intl(rng: random.Random) -> str:
    line = f"{rng.choice('378')}{C._digits(rng, 3)} {C._digits(rng, 4)}"  # London: 020 3/7/8
    return rng.choice([f"+44 (0)20 {line}", f"0044 20 {line}", f"+44.20.{line.replace(' ', '.')}"])


def url(rng: random.Random) -> str:
    host = rng.choice(
        ["northwind.eu", "portal.northwind-bank.eu", "status.helio-ai.eu", "docs.example.org"]
    )
    path = rng.choice(
        ["/terms/2025", "/login", "/reports/q3?id=" + C._digits(rng, 4), "/help/cards", ""]
    )
    return rng.choice(
        [f"https://{host}{path or '/'}", f"http://{host}{path or '/'}", f"www.{host}{path}"]
    )


SLOTS: dict[str, tuple[str, Callable[[random.Random], str]]] = {
    "dni": ("NATIONAL_ID", dni),
    "nie": ("NATIONAL_ID", nie),
    "passport": ("PASSPORT", passport),
    "mrn": ("MEDICAL_RECORD_NUMBER", mrn),
    "maestro": ("CREDIT_CARD", maestro),
    "visa19": ("CREDIT_CARD", visa19),
    "jcb": ("CREDIT_CARD", jcb),
    "diners": ("CREDIT_CARD", diners),
    "phone_ext": ("PHONE_NUMBER", phone_ext),
    "phone_intl": ("PHONE_NUMBER", phone_intl),
    "url": ("URL", url),
}
_SLOT = re.compile(r"\{([a-z_0-9]+)\}")


def _record(record_id: str, source: str, kind: str, marked: str) -> dict[str, Any]:
    text, spans, negatives = C.parse_markup(marked)
    C.check_labels(text, spans, negatives)
    return {
        "id": record_id,
        "source": source,
        "kind": kind,
        "text": text,
        "spans": spans,
        "negatives": negatives,
        "obfuscation": None,
    }


def recall_records() -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    records = []
    for i in range(N_GENERATED):
        kind, template = R.RECALL_TEMPLATES[i % len(R.RECALL_TEMPLATES)]

        def fill(match: re.Match[str]) -> str:
            entity_type, make = SLOTS[match.group(1)]
            return C.entity(entity_type, make(rng))

        records.append(
            _record(f"recall-gen-{i + 1:04d}", "generated", kind, _SLOT.sub(fill, template))
        )
    for i, (kind, marked) in enumerate(R.RECALL_HANDWRITTEN):
        records.append(_record(f"recall-hand-{i + 1:03d}", "handwritten", kind, marked))
    return records
