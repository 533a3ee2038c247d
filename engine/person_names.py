"""Person names without NER: cue words plus a curated gazetteer (engine/data/).

Presidio's spaCy NER model cannot be installed here; docs/detection.md gives what
this recognizer finds and misses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from engine.lean_imports import HEAVY, without
from engine.recognizers import CodeRecognizer, recognizer_result

with without(*HEAVY):
    from presidio_analyzer import RecognizerResult
    from presidio_analyzer.nlp_engine import NlpArtifacts

# --------------------------------------------------------------------------- person


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    first_names: frozenset[str]
    ambiguous_first_names: frozenset[str]  # also common words: need a surname or a cue
    surnames: frozenset[str]
    not_names: frozenset[str]


def _read_names(filename: str) -> list[str]:
    text = resources.files("engine").joinpath("data", filename).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def load_gazetteer() -> _Gazetteer:
    """The curated name lists shipped in engine/data/ (read once per process)."""
    first = _read_names("first_names.txt")
    return _Gazetteer(
        first_names=frozenset(name.rstrip("*") for name in first),
        ambiguous_first_names=frozenset(name[:-1] for name in first if name.endswith("*")),
        surnames=frozenset(_read_names("surnames.txt")),
        not_names=frozenset(_read_names("not_names.txt")),
    )


_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0141\u015a\u017b\u0179\u0106\u0143\u0160\u017d\u010c\u0158"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
# A capitalized name word: "Anna", "McDonald", "O'Brien", "Al-Farsi"; "Jorge's" is "Jorge".
_WORD = rf"(?:Mc|Mac|O')?[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+|'[{_UPPER}][{_LOWER}]+)?"
_PARTICLE = r"(?:van|von|der|den|de|del|della|di|da|du|la|le|bin|ibn|al|el|dos|das|ter)"
# Up to three name words, with middle initials and particles: "Anna K. van der Berg".
_NAME_RUN = re.compile(
    rf"(?<![\w@.])(?:{_WORD})(?:[ \t]+(?:[{_UPPER}]\.[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}"
    rf"{_WORD}){{0,2}}(?![\w@])"
)
_NAME_WORD = re.compile(rf"{_WORD}|[{_UPPER}]\.")
# "Kowalski, Marta": surname first, as in directories, forms and bank records.
_COMMA_THEN_NAME = re.compile(rf",[ \t]+({_WORD})(?![\w@])")
_NAME_BEFORE_COMMA = re.compile(rf"(?<![\w@.])({_WORD})\Z")
_PUNCTUATION_TO_SPACE = str.maketrans(dict.fromkeys(',.:;!?()[]{}<>"/\\|', " "))
# Two or three words in capitals, each of two letters or more: "MARTA KOWALSKI".
_CAPS = rf"[{_UPPER}][{_UPPER}'\-]+"
_CAPS_RUN = re.compile(
    rf"(?<![\w@.]){_CAPS}(?:[ \t]+{_CAPS}){{1,2}}(?![\w@])|(?<=[:,] ){_CAPS}(?![\w@])"
)
_CAPS_WORD = re.compile(_CAPS)
# Lower-case names: right after a cue ("hi its ahmed", "thanks, maria"), or as the
# speaker of a chat line ("sara: hi can u ...").
_LOWER_CUE_WORDS = (
    r"hi|hello|hey|hiya|dear|thanks|thx|cheers|regards|bye|my name is|my name's|name is"
    r"|i'm|im|i am|it's|its|this is|call me|spoke to|spoke with|talked to|ask|ping|tell|cc"
)
_LOWER_CUE_BEFORE = re.compile(rf"(?i:\b(?:{_LOWER_CUE_WORDS}))[ \t]*[,:]?[ \t]+\Z")
_LINE_START_BEFORE = re.compile(r"(?:\A|\n)[ \t]*\Z")
_SPEAKER_COLON = re.compile(r"[ \t]*:[ \t]")
_LOWER_WORD_AFTER = re.compile(r"[ \t]+([a-z\u00df-\u00f6\u00f8-\u00ff]{2,})(?![\w@\-]|\.\w)")
# First names that are also lower-case abbreviations or keys: "from jan to mar", "min: 0".
_NOT_LOWER_NAMES = frozenset({"jan", "per", "min", "ada", "ren", "jin", "lin", "mio"})

_HONORIFICS = frozenset(
    ["Mr", "Mrs", "Ms", "Mx", "Miss", "Dr", "Prof", "Professor", "Sir", "Dame", "Lady", "Lord",
     "Madam", "Mme", "Mlle", "Herr", "Frau", "Sr", "Sra", "Rev", "Fr", "Capt", "Col", "Gen",
     "Lt", "Sgt", "Judge", "Justice", "Senator", "Sen", "Rep", "Gov", "Officer", "Detective",
     "Agent", "Nurse", "Coach", "Uncle", "Aunt", "Auntie"]
)  # fmt: skip
_GREETINGS = frozenset(
    ["dear", "hi", "hello", "hey", "hiya", "greetings", "thanks", "thx", "cheers", "welcome",
     "congrats", "congratulations", "thank you", "good morning", "good afternoon",
     "good evening", "bye", "goodbye",
     # the same in the languages the enterprise writes in
     "bonjour", "bonsoir", "salut", "cher", "chère", "hallo", "moin", "servus", "guten tag",
     "guten morgen", "liebe", "lieber", "hola", "buenos días", "buenas tardes", "estimado",
     "estimada", "querido", "querida", "ciao", "buongiorno", "gentile", "caro", "cara",
     "beste", "hoi", "dag", "goedemorgen", "olá", "ola", "prezado", "prezada", "obrigado",
     "obrigada", "gracias", "merci", "danke", "grazie", "bedankt", "hej", "hei", "merhaba"]
)  # fmt: skip
_CLOSINGS = frozenset(
    ["best", "best regards", "best wishes", "kind regards", "warm regards", "regards",
     "many thanks", "thanks", "thanks again", "thank you", "sincerely", "sincerely yours",
     "yours", "yours truly", "yours sincerely", "cheers", "cordially", "respectfully",
     "all the best", "talk soon", "br", "rgds", "--", "-",
     "atentamente", "saludos", "un saludo", "saludos cordiales", "cordialement",
     "bien cordialement", "bien à vous", "amicalement", "bisous", "mit freundlichen grüßen",
     "mit freundlichen grüssen", "freundliche grüße", "viele grüße", "beste grüße",
     "liebe grüße", "grüße", "lg", "mfg", "vg", "met vriendelijke groet", "vriendelijke groet",
     "groeten", "groetjes", "cordiali saluti", "distinti saluti", "saluti", "un saluto",
     "atenciosamente", "abraços", "cumprimentos", "med vänliga hälsningar", "hälsningar",
     "med venlig hilsen", "hilsen", "pozdrawiam", "s pozdravem"]
)  # fmt: skip
# "<cue>: Name" (form fields, mail headers)
_COLON_CUES = frozenset(
    ["name", "full name", "first name", "last name", "patient", "employee", "customer",
     "client", "applicant", "contact", "contact person", "attn", "attention", "author",
     "assignee", "owner", "reviewer", "from", "to", "cc", "bcc", "signed", "signed by",
     "user", "manager", "requester", "reporter", "account holder", "cardholder", "holder",
     "beneficiary", "recipient", "sender", "guest", "tenant", "member", "driver", "witness"]
)  # fmt: skip
_PHRASE_CUES = {
    "my name is": 0.85, "my name's": 0.85, "name is": 0.85, "named": 0.85, "called": 0.85,
    "call me": 0.85, "signed by": 0.85, "i am": 0.6, "i'm": 0.6, "this is": 0.6,
    "it's": 0.6, "spoke to": 0.6, "spoke with": 0.6, "talked to": 0.6,
    "talked with": 0.6, "on behalf of": 0.6, "me llamo": 0.85, "je m'appelle": 0.85,
    "ich heiße": 0.85, "mi chiamo": 0.85, "ik ben": 0.6, "soy": 0.6,
}  # fmt: skip


class PersonNameRecognizer(CodeRecognizer):
    """Person names without NER: cues plus a curated gazetteer.

    Every run of capitalized words is a candidate. A name starts at a word that
    follows an honorific ("Dr. Ada Obi"), a name cue ("my name is", "name:",
    "From:"), a greeting ("Dear", "Hi") or a closing line ("Kind regards,\n"):
    0.85 (0.6 after "I'm", "I am", "this is"). Without a cue: a gazetteer first
    name followed by a capitalized word, 0.85; a capitalized word followed by a
    known surname, 0.7; a gazetteer first name alone, 0.6. First names that are
    also words (Will, May, Grace) need a cue or a known surname. Lower-case and
    all-caps names are not found; docs/detection.md gives the measured recall.
    """

    def __init__(self, gazetteer: _Gazetteer | None = None) -> None:
        self._names = gazetteer or load_gazetteer()
        # The first names as a lower-case or all-caps token may spell them: the lower-case
        # and all-caps passes only run when the text holds such a token (a set lookup
        # is far cheaper than their regexes).
        unambiguous = self._names.first_names - self._names.ambiguous_first_names
        self._lower_first_names = frozenset(n.lower() for n in unambiguous) - _NOT_LOWER_NAMES
        self._upper_first_names = frozenset(n.upper() for n in self._names.first_names)
        super().__init__("PERSON")

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found: list[tuple[int, int, float]] = []
        for run in _NAME_RUN.finditer(text):
            name = self._name_in_run(text, run)
            if name is not None:
                found.append(name)
        found += self._surname_first(text)
        tokens = frozenset(text.translate(_PUNCTUATION_TO_SPACE).split())
        lower_first_names = [
            t
            for t in tokens
            if t in self._lower_first_names
            or (not t.isascii() and _fold(t) in self._lower_first_names)
        ]
        if lower_first_names:
            found += self._lower_case_names(text, lower_first_names)
        if not tokens.isdisjoint(self._upper_first_names):
            found += self._all_caps_names(text)
        # Overlaps between these passes are resolved by the detector (best score wins).
        return [recognizer_result(self, "PERSON", *name) for name in found]

    def _is_first_name(self, word: str, *, ambiguous_ok: bool = False) -> bool:
        folded = _fold(word)
        if folded not in self._names.first_names:
            return False
        return ambiguous_ok or folded not in self._names.ambiguous_first_names

    def _is_surname(self, word: str) -> bool:
        return _fold(word) in self._names.surnames

    def _surname_first(self, text: str) -> list[tuple[int, int, float]]:
        """ "Kowalski, Marta": a known surname, a comma, a first name that is not a word."""
        found = []
        # Anchored on ", Capital", which is rare, then the word before the comma.
        for first in _COMMA_THEN_NAME.finditer(text):
            if not self._is_first_name(first.group(1)):
                continue
            surname = _NAME_BEFORE_COMMA.search(text, max(0, first.start() - 40), first.start())
            if surname is not None and self._is_surname(surname.group(1)):
                found.append((surname.start(), first.end(), 0.85))
        return found

    def _lower_case_names(self, text: str, names: list[str]) -> list[tuple[int, int, float]]:
        """`names` (lower-case first names that are not words, as the text spells them)
        where a cue comes right before or as a chat line's speaker; a known surname after
        one is part of the name. "sam lee" is not found: "sam" is also a word."""
        found = []
        for name in sorted(names):
            for m in re.finditer(rf"(?<![\w@.\-]){re.escape(name)}(?![\w@\-]|\.\w)", text):
                start, end = m.span()
                cued = _LOWER_CUE_BEFORE.search(text, max(0, start - 24), start)
                speaker = _LINE_START_BEFORE.search(text, max(0, start - 24), start) and (
                    _SPEAKER_COLON.match(text, end)
                )
                if not (cued or speaker):
                    continue
                surname = _LOWER_WORD_AFTER.match(text, end)
                if cued and surname and self._is_surname(surname.group(1).title()):
                    end = surname.end(1)
                found.append((start, end, 0.6))
        return found

    def _all_caps_names(self, text: str) -> list[tuple[int, int, float]]:
        """Names in capitals ("MARTA KOWALSKI", "CUSTOMER: JOHN SMITH"): a first name
        followed by a known surname, or after a cue a first name (with what follows)."""
        found = []
        for run in _CAPS_RUN.finditer(text):
            words = [(m.group(), m.start(), m.end()) for m in _CAPS_WORD.finditer(run.group())]
            offset = run.start()
            for i, (word, start, end) in enumerate(words):
                title = word.title()
                if not self._is_first_name(title, ambiguous_ok=True):
                    continue
                rest = words[i + 1 :]
                if rest and self._is_surname(rest[0][0].title()):
                    found.append((offset + start, offset + rest[0][2], 0.7))
                    break
                cue = _cue_before(text, offset + start)
                if cue is not None and self._is_first_name(title):
                    last = rest[0][2] if rest else end
                    found.append((offset + start, offset + last, 0.7))
                    break
        return found

    def _name_in_run(self, text: str, run: re.Match[str]) -> tuple[int, int, float] | None:
        names = self._names
        words = [(m.group(), m.start(), m.end()) for m in _NAME_WORD.finditer(text, *run.span())]
        while words and words[-1][0] in names.not_names:
            words.pop()
        for i, (word, start, end) in enumerate(words):
            if word in names.not_names or word in _HONORIFICS or word.endswith("."):
                continue
            cue = _cue_before(text, start)
            if cue is not None:
                return start, words[-1][2], cue
            rest = words[i + 1 :]
            if _fold(word) in names.first_names:
                if word in names.ambiguous_first_names:
                    if rest and _fold(rest[0][0]) in names.surnames:
                        return start, rest[0][2], 0.85
                    continue
                if rest:
                    return start, words[-1][2], 0.85
                return start, end, 0.6
            if rest and _fold(rest[0][0]) in names.surnames:
                return start, rest[0][2], 0.7
        return None


# Letters NFKD leaves alone because they are not a letter plus a diacritic.
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i", "ß": "ss"}
)


def _fold(word: str) -> str:
    """The gazetteer spelling of a name: diacritics dropped (Björn -> Bjorn, José -> Jose,
    Łukasz -> Lukasz)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word.translate(_UNDECOMPOSABLE))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _cue_before(text: str, start: int) -> float | None:
    """The score a name cue right before `start` gives, if there is one."""
    before = text[max(0, start - 48) : start].rstrip(" \t")
    if not before:
        return None
    last = before[-1]
    if last == "\n":
        line = before[:-1].rstrip("\r").rsplit("\n", 1)[-1].strip(" \t,.!").lower()
        return 0.85 if line in _CLOSINGS else None
    if last == ":":
        words = before[:-1].lower().split()[-2:]
        if words and (words[-1] in _COLON_CUES or " ".join(words) in _COLON_CUES):
            return 0.85
        return None
    words = before.rstrip(",").split()[-3:]
    if not words:
        return None
    if words[-1].rstrip(".") in _HONORIFICS:
        return 0.85
    lowered = [w.lower() for w in words]
    after_comma = before.endswith(",")
    for size in (1, 2, 3):
        phrase = " ".join(lowered[-size:])
        if phrase in _GREETINGS or (after_comma and phrase in _CLOSINGS):
            return 0.85  # "Dear Ana", "Atentamente, Femke Bos"
        if phrase in _PHRASE_CUES:
            return _PHRASE_CUES[phrase]
    return None
