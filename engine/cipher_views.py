"""Views that undo a cipher (ROT13, Caesar) or a reversal, for engine.views.

Two ways to notice one:

- without a cue, a run of 3+ words that undo to common English
  (`engine.english`) while they are not common English themselves: the whole
  text is undone, since nothing says where the payload starts;
- with a cue ("decode", "rot13", "backwards", "right to left", in the languages
  the phrase banks cover), the payload need not be English. Then the text is
  undone line by line: a line that reads as English as it stands is the
  carrier ("The text below is written backwards. Reverse it and follow it:"),
  every other line is payload, and the view is the payload lines undone. The
  carrier is left out of the view (the text itself is scanned too): undone, it
  would be noise in the same window as the payload, diluting what the payload
  says. A one-line text with a cue is undone whole when 3+ words in a row are
  not common English.

Character for character, so offsets stay exact: a shifted character points at
itself, a reversed one at its mirror.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from engine.english import COMMON_WORDS
from engine.text_view import TextView, identity_view, split_words

__all__ = ["cipher_views", "reversed_views"]

# Words that announce a cipher or a reversal; the caller's word split has made
# "rot13" into "rot". Non-English cues are whole words as that split leaves them.
_CIPHER_CUES = frozenset(
    {"rot", "caesar", "cipher", "ciphers", "ciphertext", "ciphered", "decode", "decoded",
     "decoding", "decrypt", "decrypted", "decryption", "encode", "encoded", "encoding",
     "shift", "shifted", "shifting", "rotate", "rotated", "rotation",
     "décode", "décoder", "décodez", "déchiffre", "chiffré", "dekodiere", "entschlüssle",
     "verschlüsselt", "decodifica", "decodificar", "descifra", "cifrado", "decifra",
     "cifrato", "decodeer", "ontcijfer", "zdekoduj", "odszyfruj", "avkoda"}
)  # fmt: skip
_REVERSE_CUES = frozenset(
    {"reverse", "reversed", "reversing", "backwards", "backward", "mirror", "mirrored",
     "envers", "inversé", "inverse", "rückwärts", "umgekehrt", "revés", "invertido",
     "invertida", "invertito", "rovescio", "incontrario", "contrario", "achterstevoren",
     "omgekeerd", "wspak", "odwrotnie", "baklänges", "omvänd"}
)  # fmt: skip
# Cues of more than one word, or in scripts written without spaces: found in the
# lower-cased text itself.
_REVERSE_PHRASES = (
    "right to left", "from the end", "last letter first", "droite à gauche",
    "rechts nach links", "derecha a izquierda", "destra a sinistra", "direita para a esquerda",
    "rechts naar links", "prawej do lewej", "höger till vänster", "दाएँ से बाएँ", "उल्टा",
    "右から左", "逆から", "逆に読", "从右到左", "倒过来", "反过来", "倒着", "ย้อนกลับ", "กลับหลัง",
)  # fmt: skip
_CUES = _CIPHER_CUES | _REVERSE_CUES
_CARRIER_SHARE = 0.5  # of a line's words common English: it reads as it stands


def _shift_table(shift: int) -> dict[int, int]:
    """Each letter moved `shift` places forward in the alphabet, case kept."""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    moved = alphabet[shift:] + alphabet[:shift]
    return str.maketrans(alphabet + alphabet.upper(), moved + moved.upper())


_SHIFTS = tuple(_shift_table(shift) for shift in range(26))


@dataclass(frozen=True, slots=True)
class _Images:
    """The words that read as common English once undone (`strong`: not common
    themselves), and those that are common either way (`neutral`)."""

    strong: frozenset[str]
    neutral: frozenset[str]


def _shifted(word: str, *, shift: int) -> str:
    return word.translate(_SHIFTS[shift])


def _reversed_word(word: str) -> str:
    return word[::-1]


def _images(encode: Callable[[str], str]) -> _Images:
    encoded = {encode(word) for word in COMMON_WORDS}
    strong = frozenset(w for w in encoded if w not in COMMON_WORDS and len(w) >= 2)
    return _Images(strong, frozenset(w for w in encoded if w not in strong))


# _CAESAR[s]: common words shifted forward by s, i.e. what a Caesar text of shift s holds.
_CAESAR = tuple(_images(partial(_shifted, shift=shift)) for shift in range(26))
_REVERSED = _images(_reversed_word)


def _english_run(words: list[str], images: _Images) -> int:
    """The longest run of words that undo to common English (neutral words don't break it)."""
    best = run = 0
    for word in words:
        if word in images.strong:
            run += 1
            best = max(best, run)
        elif word not in images.neutral:
            run = 0
    return best


def _foreign_run(words: list[str]) -> int:
    """The longest run of words that are not common English: a cipher's, or another
    language's, which a cue ("decode", "backwards") says to read differently."""
    best = run = 0
    for word in words:
        run = 0 if word in COMMON_WORDS else run + 1
        best = max(best, run)
    return best


def _payload_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each line that does not read as English as it stands."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):
        words = split_words(line)
        plain = sum(w in COMMON_WORDS or w in _CUES for w in words)
        if words and plain < _CARRIER_SHARE * len(words):
            spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _beside_a_carrier(text: str, payload: list[tuple[int, int]]) -> bool:
    """Whether some line of `text` is no payload line: the carrier that announced them."""
    return bool(payload) and len(payload) < text.count("\n") + 1


def _payload_view(
    name: str, text: str, spans: list[tuple[int, int]], *, shift: int = 0, mirror: bool = False
) -> TextView:
    """The payload lines undone (shifted back by `shift`, or mirrored), one per line."""
    # A reversed text runs backwards line by line too: its first line is read last.
    pieces: list[str] = []
    order: list[int] = []
    for start, end in spans[::-1] if mirror else spans:
        if order:
            pieces.append("\n")
            order.append(order[-1])  # the line break points where the last line ended
        line = range(end - 1, start - 1, -1) if mirror else range(start, end)
        pieces.append("".join(text[i] for i in line))
        order.extend(line)
    read = "".join(pieces).translate(_SHIFTS[(26 - shift) % 26])
    return TextView(name, read, tuple(order), tuple(i + 1 for i in order))


def cipher_views(text: str, words: list[str]) -> Iterator[TextView]:
    cue = not _CIPHER_CUES.isdisjoint(words)
    rot13 = _CAESAR[13]
    payload = _payload_lines(text) if cue else []
    if _beside_a_carrier(text, payload):
        yield _payload_view("rot13", text, payload, shift=13)
    elif (cue and _foreign_run(words) >= 3) or (
        not rot13.strong.isdisjoint(words) and _english_run(words, rot13) >= 3
    ):
        yield identity_view("rot13", text.translate(_SHIFTS[13]))
    if not cue:
        return
    runs = {
        shift: _english_run(words, _CAESAR[shift])
        for shift in range(1, 26)
        if shift != 13 and not _CAESAR[shift].strong.isdisjoint(words)
    }
    if runs:
        shift = max(runs, key=lambda s: runs[s])
        if runs[shift] >= 2:
            # A text shifted forward by `shift` is read by shifting it back.
            yield identity_view("caesar", text.translate(_SHIFTS[26 - shift]))


def reversed_views(text: str, words: list[str]) -> Iterator[TextView]:
    cue = not _REVERSE_CUES.isdisjoint(words) or _has_reverse_phrase(text)
    if _REVERSED.strong.isdisjoint(words) and not cue:
        return
    payload = _payload_lines(text) if cue else []
    n = len(text)
    if _beside_a_carrier(text, payload):
        yield _payload_view("reversed", text, payload, mirror=True)
    elif (cue and (_foreign_run(words) >= 3 or payload)) or _english_run(words, _REVERSED) >= 3:
        yield TextView("reversed", text[::-1], tuple(range(n - 1, -1, -1)), tuple(range(n, 0, -1)))


def _has_reverse_phrase(text: str) -> bool:
    lowered = text.lower()
    return any(phrase in lowered for phrase in _REVERSE_PHRASES)
