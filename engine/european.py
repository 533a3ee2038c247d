"""Whether a Latin-script prompt is in English or in another European language.

MiniLM reads French or Polish as word pieces with little meaning (docs/intent.md,
"Languages"), so a European prompt gets the character n-gram matcher's opinion
too (engine.intent), while an English prompt is left to MiniLM exactly as before.
Telling them apart needs no model: function words are frequent, short and
distinctive. `reads_as_english` counts the words of a text that are English
function words and those that are function words of French, German, Spanish,
Italian, Dutch, Polish, Portuguese or Swedish (written for this module from
general knowledge of these languages; words shared with English, such as "a",
"in", "do", "die" or "over", are left out of the European lists). A text is
English unless the European words outnumber the English ones: ties, and texts
with neither, stay on MiniLM's path, so an English prompt is never moved by doubt.
"""

from __future__ import annotations

import re


def _listed(block: str) -> frozenset[str]:
    return frozenset(block.split())


__all__ = ["ENGLISH_FUNCTION_WORDS", "EUROPEAN_FUNCTION_WORDS", "reads_as_english"]

ENGLISH_FUNCTION_WORDS = _listed(
    """
    the of and to is are was were be been this that these those with for from by
    on at it its my your our their his her we you they he she me us them what which
    who how why when where can could would should will shall may might must do does
    did have has had not no please all any some each every about into than then
    there here an or but if so as just also only very more most
    """
)

EUROPEAN_FUNCTION_WORDS = (
    (
        # French
        _listed("""
    le la les des du un une et est sont pour dans sur avec par ce cette ces qui que
    quoi mon ma mes ton ta tes votre vos notre nos leur leurs je tu il elle nous
    vous ils elles pas ne au aux en peux peut moi
    """)
        # German
        | _listed("""
    der das den dem des ein eine einen einem einer und ist sind für mit auf von zu
    zum zur bitte ich du er sie wir ihr mein meine dein deine unser unsere nicht
    kein keine wie was wer warum auch noch diese dieser dieses dem im
    """)
        # Spanish
        | _listed("""
    el los las del una unos unas y es son para por con sobre este esta estos estas
    que qué mi mis tu tus su sus nuestro nuestra yo él ella nosotros ustedes
    por favor cómo cuánto cuál se lo al
    """)
        # Italian
        | _listed("""
    il lo gli della dello delle degli dei nel nella sul sulla una uno e è sono per
    con questo questa questi queste che mio mia miei tuo tua suo sua nostro io lui
    lei noi voi loro non come quanto quale favore ci
    """)
        # Dutch
        | _listed("""
    de het een en van voor met op aan dit deze dat die wat wie hoe waarom ik jij
    je hij zij wij jullie mijn jouw ons onze niet geen ook naar bij om uit er
    """)
        # Polish
        | _listed("""
    i w z na do się jest są dla od po przez ten ta to te tego tej który która
    które co jak ile dlaczego ja ty on ona my wy oni mój moja moje twój nasz nie
    czy proszę że oraz lub
    """)
        # Portuguese
        | _listed("""
    o os as da das do dos um uma umas e é são para por com sobre este esta estes
    estas isto que meu minha meus teu tua seu sua nosso nossa eu ele ela nós vocês
    não como quanto qual favor ao na no nas nos
    """)
        # Swedish
        | _listed("""
    och att det den ett en är var för med på av till från om jag du han hon vi ni
    de min mitt mina din ditt vår vårt inte som vad vem hur varför också här där
    tack kan ska
    """)
    )
    - ENGLISH_FUNCTION_WORDS
    - _listed("a in do die over as am be")
)

_WORD = re.compile(r"[^\W\d_]+")


def reads_as_english(text: str) -> bool:
    """False only when `text` has more European function words than English ones."""
    english = european = 0
    for word in _WORD.findall(text.casefold()):
        if word in ENGLISH_FUNCTION_WORDS:
            english += 1
        elif word in EUROPEAN_FUNCTION_WORDS:
            european += 1
    return european <= english
