"""The system prompt's leak guard: answers that repeat it, or a value it guards.

Attacks on a system prompt ask in countless ways (reveal it, repeat "the words
above", translate it, encode it, play a game whose prize is the password, in any
language), and the input-side detector misses the phrasings it never saw. What
every such attack wants is visible in the *answer*: the system prompt's own
words, or a secret it holds. So this guard reads answers, with the request's own
system (and developer) messages as its reference, and reports two entity types:

    SYSTEM_PROMPT_ECHO    a run of ECHO_WORDS+ consecutive words of the system
                          prompt, outside the text it quotes: quoted text is what
                          it wants said (a canned reply, a game's "Access Granted")
    SYSTEM_PROMPT_SECRET  a code-like token of the system prompt (letters with
                          digits, or words joined by "_"; 6+ characters) that the
                          caller did not send themselves, found in the answer as
                          written, with any separators between its characters
                          ("F-J-O-R-D 4 1 2"), reversed, ROT13, or inside an
                          encoded blob (engine.views: base64, hex, URL escapes)

What they mean is policy, as for every entity type: labels.yaml declares the
types and the labels they indicate, and the label's actions and answer blocks
apply (the reference enterprise redacts both). A snapshot that maps neither type
to a label pays nothing: `guarded` returns the detector unchanged.

Known limits (the card of the threat stage repeats them): a secret that is an
ordinary word ("the password is marmalade") is not guarded, since canned replies
are ordinary words too; a paraphrase or translation of the system prompt is not
an echo; a secret spelled in a phonetic alphabet is not found.

Pure: no I/O; built per request from the decision's messages.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from engine.model import Detection, Snapshot
from engine.normalize import normalize
from engine.output_filter import Detects
from engine.redact import PLACEHOLDER_PATTERN
from engine.views import text_views

__all__ = [
    "ECHO",
    "ECHO_WORDS",
    "GUARD_ENTITY_TYPES",
    "SECRET",
    "GuardedDetector",
    "LeakGuard",
    "code_like_tokens",
    "guarded",
    "quoted_spans",
    "word_units",
]

ECHO = "SYSTEM_PROMPT_ECHO"
SECRET = "SYSTEM_PROMPT_SECRET"  # noqa: S105 (an entity type's name)
GUARD_ENTITY_TYPES = frozenset({ECHO, SECRET})

ECHO_WORDS = 10
"""Consecutive system-prompt words that make an echo. Ten words of one sentence
in the same order are rare by chance (an answer that shares a phrase such as
"thank you for contacting us" is five), and short enough that an answer leaking
one line of the instructions is caught."""

ECHO_MIN_CHARS = 20
"""An echo spans at least this many characters (ten words of English always do)."""

SECRET_MIN_CHARS = 6
"""Shorter tokens ("SOC2", "v2") are names of things, and an answer may use them."""

# Scripts written without spaces (Thai, kana, CJK ideographs, hangul): each character
# is a unit of an echo, as a word is elsewhere; an echo in them must also span
# ECHO_MIN_CHARS characters, since ten characters are only a short phrase.
_UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_UNIT = re.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
# A secret is written in Latin letters and digits, glued to any script around it
# ("パスワードはmango386です").
_LATIN = "0-9A-Za-z\u00c0-\u024f"
_TOKEN = re.compile(rf"[{_LATIN}](?:[{_LATIN}_-]*[{_LATIN}])?")
# A quoted span: text the system prompt wants said, verbatim. Single quotes only
# where no letter touches them from outside, so that "don't" is no quote.
_QUOTED = re.compile(
    r"\"[^\"\n]{1,400}\"|“[^”\n]{1,400}”|„[^“”\n]{1,400}[“”]|«[^»\n]{1,400}»"
    r"|‘[^’\n]{1,400}’|`[^`\n]{1,400}`|(?<!\w)'[^'\n]{1,400}'(?!\w)"
)


@dataclass(frozen=True, slots=True)
class LeakGuard:
    """What one request's system prompt holds: its word runs and its code-like tokens."""

    echo_runs: frozenset[tuple[str, ...]]  # every ECHO_WORDS-word run, case-folded
    secrets: tuple[str, ...]  # compact (letters and digits only), case-folded

    @classmethod
    def from_texts(cls, system: Iterable[str], caller: Iterable[str] = ()) -> LeakGuard:
        """The guard for these system texts; tokens that occur in `caller`'s texts
        (the user's own messages and context) are no secret from the caller."""
        runs: set[tuple[str, ...]] = set()
        secrets: dict[str, None] = {}
        said = {_compact(t) for text in caller for t in _TOKEN.findall(normalize(text).text)}
        for raw in system:
            # A placeholder stands for a value the model never saw: nothing to guard.
            text = PLACEHOLDER_PATTERN.sub(" ", normalize(raw).text)
            for piece in _QUOTED.split(text):  # a quote breaks every run that spans it
                words = [w.casefold() for w in _UNIT.findall(piece)]
                runs.update(
                    tuple(words[i : i + ECHO_WORDS]) for i in range(len(words) - ECHO_WORDS + 1)
                )
            for token in _TOKEN.findall(text):
                compact = _compact(token)
                if _code_like(token) and compact not in said:
                    secrets[compact] = None
        return cls(frozenset(runs), tuple(secrets))

    def __bool__(self) -> bool:
        return bool(self.echo_runs or self.secrets)

    def detect(self, text: str) -> tuple[Detection, ...]:
        """Echoes and secrets in `text` (normalized), by position, without overlaps."""
        return _without_overlaps(text, [*self._echoes(text), *self._secrets(text)])

    def _echoes(self, text: str) -> list[Detection]:
        if not self.echo_runs:
            return []
        words = list(_UNIT.finditer(text))
        folded = [m.group().casefold() for m in words]
        spans: list[list[int]] = []
        for i in range(len(words) - ECHO_WORDS + 1):
            if tuple(folded[i : i + ECHO_WORDS]) not in self.echo_runs:
                continue
            start, end = words[i].start(), words[i + ECHO_WORDS - 1].end()
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end  # overlapping runs are one echo
            else:
                spans.append([start, end])
        return [Detection(ECHO, s, e, 1.0, text[s:e]) for s, e in spans if e - s >= ECHO_MIN_CHARS]

    def _secrets(self, text: str) -> list[Detection]:
        if not self.secrets:
            return []
        found: list[Detection] = []
        readings: list[tuple[str, Sequence[int], Sequence[int]]] = [_compact_reading(text)]
        for view in text_views(text):  # encoded blobs decoded, spaced letters re-joined...
            decoded, positions, _ = _compact_reading(view.text)
            spans = [view.to_input(p, p + 1) for p in positions]
            readings.append((decoded, [s for s, _ in spans], [e for _, e in spans]))
        for compact, starts, ends in readings:
            for secret in self.secrets:
                for needle in _disguises(secret):
                    at = compact.find(needle)
                    while at >= 0:
                        s, e = starts[at], ends[at + len(needle) - 1]
                        found.append(Detection(SECRET, s, e, 1.0, text[s:e]))
                        at = compact.find(needle, at + len(needle))
        return found


class GuardedDetector:
    """A request's detector: the snapshot's, plus that request's leak guard."""

    def __init__(self, base: Detects, guard: LeakGuard) -> None:
        self.base = base
        self.guard = guard

    def detect(self, text: str, tenant: str | None = None) -> tuple[Detection, ...]:
        own = self.guard.detect(text)
        if not own:
            return self.base.detect(text, tenant)
        # The guard's spans win: an echo holding an e-mail address is one echo.
        others = [d for d in self.base.detect(text, tenant) if not any(_overlap(d, g) for g in own)]
        return tuple(sorted((*own, *others), key=lambda d: (d.start, d.end)))


def guarded(
    detector: Detects,
    snapshot: Snapshot,
    system: Iterable[str],
    caller: Iterable[str] = (),
) -> Detects:
    """`detector`, guarded by the system texts when the snapshot gives the guard's
    entity types a label (otherwise nothing could act on what it finds)."""
    if not any(snapshot.entity_labels.get(t) for t in GUARD_ENTITY_TYPES):
        return detector
    guard = LeakGuard.from_texts(system, caller)
    return GuardedDetector(detector, guard) if guard else detector


def code_like_tokens(text: str) -> list[tuple[str, int]]:
    """The code-like tokens of `text` (what the guard treats as secrets), with offsets;
    engine.threats.conversation reads the system prompt with the same eyes."""
    return [(m.group(), m.start()) for m in _TOKEN.finditer(text) if _code_like(m.group())]


def quoted_spans(text: str) -> list[tuple[str, int]]:
    """The quoted phrases of `text`, without their quote marks, with offsets."""
    return [(m.group()[1:-1], m.start() + 1) for m in _QUOTED.finditer(text)]


def word_units(text: str) -> list[str]:
    """Words, and single characters of the scripts written without spaces."""
    return _UNIT.findall(text)


# --------------------------------------------------------------------------- helpers


def _code_like(token: str) -> bool:
    """Letters with digits ("FJORD412", "Rpgswfj6") or words joined by "_"
    ("pineapple_saffron"): what a secret looks like and a sentence does not."""
    if len(token) < SECRET_MIN_CHARS:
        return False
    letters = any(c.isalpha() for c in token)
    digits = any(c.isdigit() for c in token)
    return letters and (digits or "_" in token)


def _compact(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _compact_reading(text: str) -> tuple[str, list[int], list[int]]:
    """`text` case-folded with every character that is no letter or digit dropped,
    and the offsets each kept character came from: a separator game ("F.J.O.R.D")
    is then the plain secret."""
    kept: list[str] = []
    starts: list[int] = []
    for i, c in enumerate(text):
        if c.isalnum():
            folded = c.casefold()
            kept.append(folded)
            starts.extend([i] * len(folded))
    return "".join(kept), starts, [s + 1 for s in starts]


def _disguises(secret: str) -> tuple[str, ...]:
    """The secret as written, reversed and in ROT13: the cheap encodings an
    attacker asks for that the views do not undo for a single token."""
    rot13 = codecs.encode(secret, "rot13")
    return tuple(dict.fromkeys((secret, secret[::-1], rot13)))


def _overlap(a: Detection, b: Detection) -> bool:
    return a.start < b.end and b.start < a.end


def _without_overlaps(text: str, found: list[Detection]) -> tuple[Detection, ...]:
    """Longest first at each position; overlapping detections become one span, of
    the type that starts first (the answer is redacted or blocked either way)."""
    kept: list[Detection] = []
    for d in sorted(found, key=lambda d: (d.start, -(d.end - d.start))):
        if kept and d.start < kept[-1].end:
            last = kept[-1]
            if d.end > last.end:
                kept[-1] = Detection(
                    last.entity_type, last.start, d.end, 1.0, text[last.start : d.end]
                )
            continue
        kept.append(d)
    return tuple(kept)
