"""Extra readings of a normalized text, for detectors that spelling games would fool.

`normalize` undoes what is never legitimate (invisible characters, look-alikes
inside Latin words). Some tricks cannot be undone in place without breaking
honest text: letters spaced out ("I g n o r e  a l l"), leetspeak, ciphers,
reversed text, encoded blobs. `text_views(text)` returns each plausible reading
as a `TextView` of its own; a threat detector scans the text and every view and
keeps the highest score. Views never replace the text that is forwarded.

    view        produced when                                           offsets
    spacing     4+ one-character words (letters or digits) separated by  per letter
                single spaces; 2+ spaces are a word break
    separators  the same with one of . - _ / | * + ~ : , · • (a space or  per letter
                the separator doubled is a word break); a longer word may
                lead or trail ("pass-w-o-r-d", "i.g.n.o.r.e")
    skeleton    homoglyphs the token rule of `engine.normalize` kept, in  identity
                a text where letters of their scripts without a Latin
                twin are under 1 in 9 (real prose: 1 in 5 to 1 in 3)
    leet        a word with a leet run between letters ("p4ssw0rd",       identity
                "1gn0r3"), then every word mixing letters and leet
                ("4ll", "th3"); not in hashes, UUIDs, IPv6 or e-mail
                addresses, tokens of 20+ characters, or mixed-case words
    rot13       a run of 3+ words whose ROT13 is common English; or a     identity
                cue (rot13, cipher, decode, in several languages): then
                the lines that are no English carrier, decoded
                (engine.cipher_views)
    caesar      a cue, and 2+ words in a row that read as common English  identity
                under one of the other 24 shifts (the best one)
    reversed    the same tests with reversed words and reversal cues       mirrored
                (backwards, right to left, rückwärts, 逆から, ...)
    base64,     a run of 16+ characters of the alphabet (hex also as      the blob
    base32, hex \\x41 escapes or spaced pairs) that decodes to UTF-8 text,
                90% printable, a quarter letters; one line per blob
    url, html   3+ percent escapes in a token; 3+ character references    the blob

Spacing and separator views also read leetspeak inside the re-joined words.
Zero-width "separators" need no view: `normalize` has removed them already.
"Common English" is `engine.english`: about 330 frequent words, so a run of
three is rare in honest text (tests: sentences of reversible words such as
"saw", "live", "won" are not reversed). A decoded blob is not decoded again nor
normalized: the caller may normalize a view's text, and compose the offsets.

Cost: ASCII prose pays a split into words and a few set tests (ciphers,
reversal, cues), one regex scan each for leet digits and blobs, and a loop over
the words for one-letter runs (bench/views_speed.py: 43 us p50 for a 150-word
prompt, 85 us for 300 words, on a shared 2-core machine; 10-70 us for the
adversarial ones). Per-character Python loops run only on candidates. Texts of
20-100 kB take 1-13 ms, linearly. Nothing here does I/O; `engine.blobs`
decodes with the standard library's codecs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from engine.blobs import decoded_blobs
from engine.cipher_views import cipher_views, reversed_views
from engine.english import BIGRAM_WEIGHTS
from engine.normalize import apply_edits, homoglyph_letters, homoglyph_skeleton
from engine.text_view import TextView, identity_view, split_words

__all__ = ["TextView", "read_leet", "text_views"]


def text_views(text: str, *, max_views: int = 6) -> tuple[TextView, ...]:
    """Views that differ from `text` and are plausible; the input itself not included.

    `text` is normalized already (`engine.normalize`). At most `max_views`, in
    the order of the table in the module docstring.
    """
    views: list[TextView] = []
    if max_views <= 0 or not text:
        return ()
    words = split_words(text)
    for make in _VIEW_MAKERS:
        for view in make(text, words):
            if view.text != text and all(view.text != seen.text for seen in views):
                views.append(view)
                if len(views) >= max_views:
                    return tuple(views)
    return tuple(views)


# --------------------------------------------------------------------------- building views


def _edited_view(name: str, text: str, edits: list[tuple[int, int, str]]) -> TextView:
    """`text` with each (start, end, replacement) applied; sorted, not overlapping.

    Unchanged characters keep their offsets; a replacement's characters map to
    the span they replace.
    """
    return TextView(name, *apply_edits(text, edits))


def _blob_view(name: str, blobs: list[tuple[int, int, str]]) -> TextView:
    """Decoded blobs one per line; every character points at its blob's span."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end, decoded in blobs:
        if pieces:
            pieces.append("\n")
            starts.append(starts[-1])
            ends.append(ends[-1])
        pieces.append(decoded)
        starts.extend([start] * len(decoded))
        ends.extend([end] * len(decoded))
    return TextView(name, "".join(pieces), tuple(starts), tuple(ends))


# --------------------------------------------------------------------------- spacing, separators

_SEPARATORS = " .-_/|*+~:,\u00b7\u2022"
_ALNUM = r"[^\W_]"
_SINGLE = rf"{_ALNUM}(?!{_ALNUM})"
# Three single letters in a row, each separated by one separator: a cheap
# necessary condition, so ordinary text pays one search ("e.g." has only two).
_THREE_SINGLES = re.compile(
    rf"(?<!{_ALNUM}){_ALNUM}[{re.escape(_SEPARATORS)}]{_ALNUM}"
    rf"[{re.escape(_SEPARATORS)}]{_SINGLE}"
)


def _separated_run(index: int, separator: str) -> str:
    sep = re.escape(separator)
    if separator == " ":
        gap, head, tail = " {2,}| ", "", ""  # two spaces or more: a word break
    else:
        gap = rf"{sep}{{2,}}|{sep} *| +"  # doubled, or followed by spaces, or spaces: a break
        head, tail = rf"(?:{_ALNUM}+{sep})?", rf"(?:{sep}{_ALNUM}+)?"
    return rf"(?P<s{index}>(?<!{_ALNUM}){head}{_SINGLE}(?:(?:{gap}){_SINGLE}){{3,}}{tail})"


def _three_singles(text: str, words: list[str]) -> bool:
    """Whether three one-letter words follow each other: necessary for a separated
    run. The words say it (ASCII digits and separators split them), unless a
    non-ASCII separator ("·", "•") hides it: then the regex decides."""
    if not text.isascii() and any(separator in text for separator in _SEPARATORS[-2:]):
        return _THREE_SINGLES.search(text) is not None
    run = 0
    for word in words:
        run = run + 1 if len(word) == 1 else 0
        if run == 3:
            return True
    return False


_SEPARATED_RUN = re.compile("|".join(_separated_run(i, s) for i, s in enumerate(_SEPARATORS)))
_GAP = re.compile(r"[\W_]+")


def _separator_views(text: str, words: list[str]) -> Iterator[TextView]:
    if not _three_singles(text, words):
        return
    edits: dict[str, list[tuple[int, int, str]]] = {"spacing": [], "separators": []}
    for run in _SEPARATED_RUN.finditer(text):
        assert run.lastgroup is not None
        separator = _SEPARATORS[int(run.lastgroup[1:])]
        run_edits = [
            (
                run.start() + gap.start(),
                run.start() + gap.end(),
                "" if gap.group() == separator else " ",
            )
            for gap in _GAP.finditer(run.group())
        ]
        joined = sum(1 for edit in run_edits if not edit[2])
        letters = sum(ch.isalpha() for ch in run.group())
        if joined >= 3 and letters >= 3:
            edits["spacing" if separator == " " else "separators"].extend(run_edits)
    for name, name_edits in edits.items():
        if name_edits:
            view = _edited_view(name, text, name_edits)
            deleeted = read_leet(view.text)
            if deleeted != view.text:
                view = TextView(f"{name}+leet", deleeted, view.starts, view.ends)
            yield view


# --------------------------------------------------------------------------- homoglyph skeleton


def _skeleton_views(text: str, words: list[str]) -> Iterator[TextView]:
    if text.isascii():
        return
    homoglyphs, genuine = homoglyph_letters(text)
    # Real Cyrillic, Greek or Armenian prose has 20-30% letters without a Latin
    # twin (see engine.normalize); a disguised Latin text has next to none.
    if homoglyphs and genuine * 8 < homoglyphs:
        yield identity_view("skeleton", homoglyph_skeleton(text))


# --------------------------------------------------------------------------- leetspeak

_LEET = {
    "0": "o", "2": "z", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "8": "b",
    "@": "a", "$": "s", "!": "i", "|": "l",
}  # fmt: skip
_LEET_CHARS = re.escape("012345789@$!|")
# Latin letters, accented ones included: "h4$ło", "s7r@żnik" are leet in Polish.
# Letters of other scripts are word boundaries: Chinese and Japanese put Latin
# words between ideographs without spaces ("请只推荐$0lv1k的产品").
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# A leet run between two letters ("p4ss", "n00b", "pa$$"): the evidence that
# leetspeak is in use. Not "@" alone: "user@localhost" is an address.
_LEET_HINT = re.compile(rf"[{_LATIN}][{_LEET_CHARS}]*[012345789$!|][{_LEET_CHARS}]*[{_LATIN}]")
# Its cheap prefilter: leet characters are rare in prose, letters are not, so the
# scan starts on them.
_LEET_BEFORE_LETTER = re.compile(rf"[{_LEET_CHARS}]+(?=[{_LATIN}])")
# Words mixing letters with leet characters and no other digit ("4ll", "th3", "ru135").
_MIXED_WORD = re.compile(
    rf"(?<![{_LATIN}0-9@$])(?=[{_LEET_CHARS}]*[{_LATIN}])(?=[{_LATIN}]*[{_LEET_CHARS}])"
    rf"[{_LATIN}{_LEET_CHARS}]+(?![{_LATIN}0-9@$])"
)
_LATIN_LETTER = re.compile(rf"[{_LATIN}]")
# Short tokens of leet characters alone ("8@$3", "415", "@"): read only in a
# text that is leet already, and never 4+ digits (years, amounts, codes).
_ALL_LEET_WORD = re.compile(
    rf"(?<![{_LATIN}0-9{_LEET_CHARS}])(?!\d{{4}})[{_LEET_CHARS}]{{1,4}}(?![{_LATIN}0-9{_LEET_CHARS}])"
)
_HEX_WORD = re.compile(r"0[xX][0-9A-Fa-f]+|[0-9A-Fa-f]{7,}")  # hashes, short commits
# Tokens that are never leet: e-mail addresses, UUIDs, dashed hashes, IPv6 addresses.
_ADDRESS_OR_ID = re.compile(
    r"[^\s@]+@[^\s@]+\.[^\s@]+|[0-9A-Fa-f-]{8,}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*(?:/\d+)?"
)
_MAX_LEET_TOKEN = 20  # longer tokens are keys, identifiers or blobs, not disguised words


def _leet_views(text: str, words: list[str]) -> Iterator[TextView]:
    deleeted = read_leet(text)
    if deleeted != text:
        yield identity_view("leet", deleeted)


def read_leet(text: str) -> str:
    """`text` with leet words read as letters, one character for one.

    A word with a leet run between letters ("p4ssw0rd", "1gn0r3") is read as
    leet; once one is, so are the words with leet at an edge ("4ll", "th3")
    and short tokens of leet alone ("8@$3", "415"), which alone are too often
    ordinary ("3rd", "mp3", "4k", "13"). Hex strings and e-mail addresses are
    never read.
    """
    if not any(
        m.start() > 0 and _LATIN_LETTER.match(text[m.start() - 1]) is not None
        for m in _LEET_BEFORE_LETTER.finditer(text)
    ):
        return text
    candidates = [
        match
        for match in _MIXED_WORD.finditer(text)
        if _HEX_WORD.fullmatch(match.group()) is None
        and _reads_as_a_word(match.group())
        and _plain_token(text, match.start(), match.end())
    ]
    if not any(_LEET_HINT.search(match.group()) for match in candidates):
        return text
    candidates += [m for m in _ALL_LEET_WORD.finditer(text) if _plain_token(text, *m.span())]
    candidates.sort(key=lambda match: match.start())
    pieces: list[str] = []
    position = 0
    for match in candidates:
        pieces.append(text[position : match.start()])
        pieces.append(_read_leet_word(match.group()))
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _plain_token(text: str, start: int, end: int) -> bool:
    """Whether the whitespace-delimited token around text[start:end] is short and
    no address or identifier."""
    while start > 0 and _in_token(text[start - 1]):
        start -= 1
    while end < len(text) and _in_token(text[end]):
        end += 1
    token = text[start:end].strip(".,;:!?()[]{}<>\"'")
    return len(token) < _MAX_LEET_TOKEN and _ADDRESS_OR_ID.fullmatch(token) is None


def _in_token(ch: str) -> bool:
    """Whether `ch` continues a token: not a space, nor a letter of a non-Latin script."""
    return not ch.isspace() and (not ch.isalpha() or _LATIN_LETTER.match(ch) is not None)


def _reads_as_a_word(word: str) -> bool:
    """Lower case, upper case or capitalized: random keys mix cases inside a word."""
    letters = "".join(ch for ch in word if ch.isalpha())
    return letters.islower() or letters.isupper() or letters[1:].islower()


def _read_leet_word(word: str) -> str:
    letters = [ch for ch in word if ch.isalpha()]
    upper = bool(letters) and all(ch.isupper() for ch in letters)
    chars = [_LEET.get(ch, ch) for ch in word.lower()]
    # The ambiguous "1" last, once its neighbours are letters.
    for index, ch in enumerate(chars):
        if ch == "1":
            chars[index] = _one_as_letter(chars, index)
    read = "".join(chars)
    return read.upper() if upper else _restore_case(word, read)


def _one_as_letter(chars: list[str], index: int) -> str:
    """'i' or 'l' for a leet '1', whichever makes the commoner letter pairs."""
    before = chars[index - 1] if index > 0 else ""
    after = chars[index + 1] if index + 1 < len(chars) else ""
    if after == "1" or (before == "l" and not after):
        return "l"  # "a11", "wi1l": a doubled l is far likelier than a doubled i
    weight_i = BIGRAM_WEIGHTS.get(before + "i", 0) + BIGRAM_WEIGHTS.get("i" + after, 0)
    weight_l = BIGRAM_WEIGHTS.get(before + "l", 0) + BIGRAM_WEIGHTS.get("l" + after, 0)
    return "l" if weight_l > weight_i else "i"


def _restore_case(original: str, read: str) -> str:
    return "".join(r.upper() if o.isupper() else r for o, r in zip(original, read, strict=True))


# --------------------------------------------------------------------------- encoded blobs


def _blob_views(text: str, words: list[str]) -> Iterator[TextView]:
    for name, blobs in decoded_blobs(text).items():
        yield _blob_view(name, blobs)


# --------------------------------------------------------------------------- marks inside words

# A mark between two letters of a word: "ig-nore prev_io.us in|struc+tions".
_INNER_MARK = re.compile(r"(?<=[^\W\d_])[-_.*|/+~·•:](?=[^\W\d_])")
_JOINED_SHARE = 0.3  # of the words: hyphenated prose ("well-known") stays under it


def _joined_views(text: str, words: list[str]) -> Iterator[TextView]:
    """Marks inside words removed, when so many words carry one that it is a disguise."""
    if _INNER_MARK.search(text) is None:
        return
    tokens = text.split()
    marked = sum(1 for token in tokens if _INNER_MARK.search(token))
    if marked >= 3 and marked >= _JOINED_SHARE * len(tokens):
        edits = [(m.start(), m.end(), "") for m in _INNER_MARK.finditer(text)]
        view = _edited_view("joined", text, edits)
        deleeted = read_leet(view.text)
        if deleeted != view.text:
            view = TextView("joined+leet", deleeted, view.starts, view.ends)
        yield view


_VIEW_MAKERS: tuple[Callable[[str, list[str]], Iterator[TextView]], ...] = (
    _separator_views,
    _joined_views,
    _skeleton_views,
    _leet_views,
    cipher_views,
    reversed_views,
    _blob_views,
)
