"""A little English, for telling whether a transformed text reads as English.

`engine.views` undoes ciphers and reversals only when the result is plausible,
and reads a leetspeak "1" as "i" or "l" from its neighbours. Both need a cheap
notion of "reads like English" that needs no model: the most frequent English
words (function words first, then the commonest verbs and nouns, including the
imperatives that instructions are made of) and the most frequent letter pairs.
The lists were written for this module from general knowledge of English; they
are not tuned on any attack corpus.
"""

from __future__ import annotations

__all__ = ["BIGRAM_WEIGHTS", "COMMON_WORDS"]


def _listed(block: str) -> tuple[str, ...]:
    return tuple(block.split())


COMMON_WORDS = frozenset(
    _listed(
        """
    the be to of and a in that have i it for not on with he as you do at this but
    his by from they we say her she or an will my one all would there their what so
    up out if about who get which go me when make can like time no just him know
    take people into year your good some could them see other than then now look
    only come its over think also back after use two how our work first well way
    even new want because any these give day most us is are was were been has had
    did does said made went got am should must may might shall here where why very
    more much many such own same too few those each every both between through
    during before under again further once off down above below until while
    without within against among around always never often already still yet
    ever really something anything nothing everything someone anyone everyone
    tell show print write read explain answer ask help let put keep begin start
    stop call try find need feel become leave mean seem turn bring hold follow
    following previous next last above rules rule instructions instruction
    system prompt message user assistant password secret key data information
    text question please forget ignore pretend act reveal repeat output list
    provide create send open set run change play move live believe happen include
    continue learn understand speak allow add remember consider appear wait serve
    build stay fall reach remain suggest pass require report decide world life
    hand part child place case week company group problem fact point number night
    home water room money story month right study book job word business issue
    side kind head house service friend power hour game line end member law name
    team idea body face level office door person result reason moment file code
    email account access mode safe true false yes sure thing things words sentence
    letter letters messages content
    """
    )
)

# The commonest letter pairs of English text, commonest first: enough to read
# the leet "1" of "fi1e" as an l and that of "pr1nt" as an i.
_BIGRAMS_BY_FREQUENCY = _listed(
    """
    th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha
    as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el
    ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa
    ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os
    iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke fr oo
    av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da
    yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr
    eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud
    mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn sm fl iz ok
    nl my gl aw ju oa eq sy sl ps jo lf nv je nk kn gs dy hy ze ks xt bs ik dd cy
    """
)
# A pair's weight falls with its rank; pairs not listed weigh nothing.
BIGRAM_WEIGHTS = {
    pair: len(_BIGRAMS_BY_FREQUENCY) - rank for rank, pair in enumerate(_BIGRAMS_BY_FREQUENCY)
}
