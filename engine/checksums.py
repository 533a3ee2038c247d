"""Check-digit validators a configured recognizer may name (`detection.recognizers[].validator`).

Each takes the matched text and says whether its check digit holds. The digit-only
schemes read the digits of the match (a letter prefix such as "HM" and separators are
ignored; mod11 also reads a final X); mod97 reads every letter and digit.

- luhn: ISO/IEC 7812 (payment cards, IMEI, many loyalty and member numbers).
- mod97: ISO 7064 MOD 97-10 over digits and letters (A=10 .. Z=35), valid when the
  value mod 97 is 1 (IBAN-style references, LEI codes).
- mod11: weights 2, 3, 4... from the digit before the check digit leftwards; the check
  digit is (11 - sum mod 11) mod 11, written X when it is 10 (ISBN-10, NHS numbers,
  many insurers' member numbers).
- verhoeff: the dihedral-group scheme (Aadhaar, some national ids); catches every
  single-digit error and every swap of adjacent digits.
- none: the pattern alone decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum

__all__ = ["CHECKSUMS", "Checksum", "luhn", "mod11", "mod97", "verhoeff"]

_SEPARATORS = re.compile(r"[\s\-.]")


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text)


def _digits(text: str) -> str:
    """The ASCII digits of a match: letters around them ("HM1234567", "ID-") are a prefix,
    not part of the number."""
    return "".join(ch for ch in text if "0" <= ch <= "9")


def luhn(text: str) -> bool:
    digits = _digits(text)
    if len(digits) < 2:
        return False
    total = 0
    for position, ch in enumerate(reversed(digits)):
        value = int(ch)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def mod97(text: str) -> bool:
    value = _compact(text).upper()
    if len(value) < 2 or not (value.isascii() and value.isalnum()):
        return False
    return int("".join(str(int(ch, 36)) for ch in value)) % 97 == 1


def mod11(text: str) -> bool:
    compact = _compact(text).upper()
    value = _digits(compact) + ("X" if compact.endswith("X") else "")
    body, check = value[:-1], value[-1:]
    if not body:
        return False
    total = sum(int(ch) * weight for weight, ch in enumerate(reversed(body), start=2))
    expected = (11 - total % 11) % 11
    return check == ("X" if expected == 10 else str(expected))


def _dihedral(a: int, b: int) -> int:
    """The product a*b in D5, elements 0-4 rotations and 5-9 reflections (Verhoeff's d)."""
    if a < 5 and b < 5:
        return (a + b) % 5
    if a < 5:
        return 5 + (a + b - 5) % 5
    if b < 5:
        return 5 + (a - 5 - b) % 5
    return (a - b) % 5


_PERMUTATION = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)
_POWERS: tuple[tuple[int, ...], ...] = (tuple(range(10)),)
for _ in range(7):
    _POWERS = (*_POWERS, tuple(_PERMUTATION[d] for d in _POWERS[-1]))


def verhoeff(text: str) -> bool:
    digits = _digits(text)
    if len(digits) < 2:
        return False
    check = 0
    for position, ch in enumerate(reversed(digits)):
        check = _dihedral(check, _POWERS[position % 8][int(ch)])
    return check == 0


class Checksum(StrEnum):
    NONE = "none"
    LUHN = "luhn"
    MOD97 = "mod97"
    MOD11 = "mod11"
    VERHOEFF = "verhoeff"


CHECKSUMS: Mapping[Checksum, Callable[[str], bool]] = {
    Checksum.LUHN: luhn,
    Checksum.MOD97: mod97,
    Checksum.MOD11: mod11,
    Checksum.VERHOEFF: verhoeff,
}
"""The validator of each checksum but `none`."""
