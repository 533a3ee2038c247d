"""A crude language guess for texts whose source does not say: script first, then stop words.

Good enough to report counts per language and to split evaluation by it, not to route on.
Texts that mix scripts (homoglyph attacks write English with a few Cyrillic letters) go by the
script most of their letters are in, so they stay English.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Unicode character-name prefixes -> the language a text in that script is most likely in.
# Scripts shared by several languages (Arabic, Devanagari) take the most common one; sources
# that know better say so themselves.
_SCRIPT_LANG = {
    "HANGUL": "ko",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "CJK": "zh",
    "CYRILLIC": "ru",
    "GREEK": "el",
    "ARABIC": "ar",
    "HEBREW": "he",
    "DEVANAGARI": "hi",
    "BENGALI": "bn",
    "TAMIL": "ta",
    "TELUGU": "te",
    "ORIYA": "or",
    "THAI": "th",
    "LATIN": "latin",
}

# A few of the most frequent function words per Latin-script language. A word counts once per
# text; the language with most hits wins, English on ties or no hits.
_STOP_WORDS = {
    "en": "the and a i you your my of to is in it that this for with what how are be can do",
    "de": "der das und ist nicht ich du sie mit auf für ein eine wie bitte",
    "fr": "le la les et est vous je tu une des pour que qui avec pas dans mon",
    "es": "el la los las es que de por para con una cómo qué mi",
    "it": "il lo la gli le è che di per con una non sono come mi",
    "nl": "de het een en niet ik je jij wat hoe van voor met dat",
    "pt": "não você uma para que isso está meu minha olá obrigado",
    "sv": "och är det att jag du en inte vad hur med för som",
    "tr": "bir ve bu ne için ben sen mi değil nasıl çok da",
    "id": "yang dan ini itu tidak saya anda apa bagaimana untuk dengan",
}
# Words that are also common English ("die", "was", "is", "as", "a", "e") are left out of the
# other lists, so that English prompts do not drift into them.
_STOP_SETS = {lang: frozenset(words.split()) for lang, words in _STOP_WORDS.items()}
_WORD = re.compile(r"\w+", re.UNICODE)


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    for prefix, lang in _SCRIPT_LANG.items():
        if name.startswith(prefix):
            return lang
    return None


def guess_language(text: str) -> str:
    """ISO 639-1 code of the language `text` is most likely in (crudely; "en" when unsure)."""
    scripts = Counter(s for s in map(_script, text) if s is not None)
    if not scripts:
        return "en"
    # Japanese mixes kana with Chinese characters: any kana makes it Japanese.
    if scripts["ja"]:
        return "ja"
    script, _ = scripts.most_common(1)[0]
    if script != "latin":
        return script
    words = {word.casefold() for word in _WORD.findall(text)}
    hits = {lang: len(words & stops) for lang, stops in _STOP_SETS.items()}
    best = max(hits, key=lambda lang: (hits[lang], lang == "en"))
    return best if hits[best] > 0 else "en"
