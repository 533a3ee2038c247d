"""Cheap textual signals of classic attack phrasing, run over the whole prompt.

Embeddings see at most the model's window and average everything in it, so an
attack phrased unlike any exemplar, or buried in a long benign prompt, can slip
under a threat intent's threshold. These regexes catch the classic phrasings
anywhere in the (already normalized) text, at a cost of about 0.1 ms for a short
prompt and 1-3 ms per 2,000 characters (the embedding of such a prompt takes
20-300 ms):

    signal                   supports intent       weight
    override_instructions    prompt_injection      0.60
    system_prompt_extraction prompt_injection      0.60
    instructions_to_ai       prompt_injection      0.60
    persona_jailbreak        jailbreak             0.60
    secret_request           secrets_harvesting    0.60
    bulk_record_export       data_exfiltration     0.55
    encoded_payload          prompt_injection      0.30

`instructions_to_ai` is text that addresses the AI reading it ("Note to the AI
reviewer: ...", "any assistant processing this memo should ..."): pasted or
retrieved content carrying an indirect injection. Besides English, the override,
system-prompt, persona, secret and bulk-export patterns know
the common German, French, Spanish, Dutch, Italian and Portuguese phrasings
("Ignoriere alle vorherigen Anweisungen", "affiche ton prompt système"). Words
that mix letters and leetspeak digits are also read as letters ("1gn0r3 4ll
ru135"), one character for one, so hit offsets stay those of the text.
bench/detection.py measures what the signals catch and what they wrongly fire
on (benign prompts about security, "ignore the typos", a phone's developer mode).

A signal never decides alone: it raises the similarity ``s`` of the threat
intent it supports to ``s + w * (1 - s)`` (a noisy-OR of two pieces of
evidence), so ``w`` is the score the signal gives a prompt whose embedding
looks nothing like the intent. The intent's own threshold still decides. See
`engine.intent` for how the boost is applied and docs/intent.md for the why.

Base64 and hex blobs that decode to text fire `encoded_payload`, and the decoded
text is scanned with the other signals, so a "decode this and obey it" payload
fires the signal its plain text would. This module holds the phrase patterns
only; the types, the leetspeak and blob readings and the scan itself are
engine.signal_scan's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.signal_scan import Signal, SignalHit, compile_pattern, scan_signals

__all__ = ["DEFAULT_SIGNALS", "Signal", "SignalHit", "scan"]


_GAP = r"(?:\W+\w+){0,%d}?\W+"  # up to N intervening words, lazily
# The same, but none of the intervening words asks "how/what/...": "show me how tokens
# work" asks for an explanation, not for a token.
_PLAIN_GAP = (
    r"(?:\W+(?!how\b|what\b|why\b|where\b|when\b|which\b|whether\b|wie\b|comment\b|cómo\b"
    r"|como\b|hoe\b|come\b)\w+){0,%d}?\W+"
)

# German, French, Spanish, Dutch, Italian and Portuguese forms of the classic override.
# French and Portuguese write "ignore" like English, so they need their own articles.
_OVERRIDE_FOREIGN = rf"""
    \b(?:ignorier\w*|vergiss|vergesst|missacht\w*|ignora(?:r|te|d)?|olvida(?:r|d)?|negeer|vergeet
        |dimentica(?:te)?|esque[cç]a(?:m)?)\b
      {_GAP % 5}
      (?:\w*anweisungen|\w*instruktionen|\w*regeln|\w*richtlinien|\w*vorgaben|instrucciones|reglas
        |directrices|indicaciones|instructies|regels|richtlijnen|istruzioni|regole|direttive
        |instruções|regras|diretrizes)\b
    | \b(?:ignore[sz]?|oublie[sz]?)\s+(?:toutes\s+|tous\s+)?(?:les|tes|vos|ces)\s+(?:\w+\s+)?
      (?:instructions|consignes|règles|directives)\b
    | \bignore\s+(?:todas\s+)?(?:as|suas)\s+(?:\w+\s+)?(?:instruções|regras|diretrizes)
    | \bvergiss\s+alles\W+was\s+(?:man\s+)?dir\s+(?:\w+\s+){{0,2}}?
      (?:gesagt|befohlen|aufgetragen|vorgegeben)\b
    # "set aside / forget what you were told" idioms
    | \b(?:fai(?:s|tes)\s+abstraction|laisse[sz]?\s+tomber|mett?(?:s|ez)\s+de\s+côté)\s+
      (?:de\s+|des\s+|du\s+|d')?(?:\w+\s+){{0,3}}?(?:instructions|consignes|règles|directives)\b
    | \b(?:oublie[sz]?|ignore[sz]?)\s+(?:tout\s+)?ce\s+qu'on\s+(?:t'a|vous\s+a)\s+
      (?:dit|demandé|donné|appris|ordonné)\b
    | \b(?:olvida(?:r|d)?|ignora)\s+(?:todo\s+)?lo\s+que\s+te\s+(?:\w+\s+)?
      (?:dijeron|dijo|han\s+dicho|ordenaron|indicaron|pidieron)\b
    | \bhaz\s+caso\s+omiso\s+(?:a|de)\b
    | \b(?:negeer|vergeet)\s+(?:alles\s+)?wat\s+(?:je|jou|u)\s+(?:\w+\s+){{0,3}}?
      (?:opgedragen|gezegd|verteld|gevraagd|geleerd)\b
    | \b(?:dimentica|ignora)\s+(?:tutto\s+)?(?:quello|ciò|quanto)\s+che\s+ti\s+
      (?:hanno|è\s+stato|era\s+stato)\s+(?:detto|ordinato|chiesto|insegnato)\b
    | \b(?:desconsider\w*|esque[cç]a)\s+(?:\w+\s+){{0,3}}?
      (?:instruções|orientações|regras|diretrizes)\b
    | \besque[cç]a\s+(?:tudo\s+)?o\s+que\s+(?:te|lhe)\s+(?:disseram|mandaram|pediram)\b
"""
# The AI's own instructions, as an attacker names them.
_AI_RULES = r"""(?:instructions?|rules?|guidelines?|guidance|directives?|directions|constraints?
    |guardrails?|restrictions?|limits?|programming|configuration|setup|system\s+(?:message
      |prompt))"""
# The same, as a possessive or adjective can introduce them without ambiguity: not limits,
# restrictions or setup ("your card limits have been lifted" is a support reply) and not
# rules or guidelines after an adjective ("the previous guidelines are outdated" is HR).
_AI_RULES_YOUR = r"""(?:instructions?|rules?|guidelines?|guidance|directives?|constraints?
  |guardrails?
    |programming|system\s+(?:message|prompt))"""
_AI_RULES_PRIOR = r"""(?:instructions?|directives?|constraints?|guardrails?|programming
    |system\s+(?:message|prompt))"""
# Words that make "your ... instructions" a customer's ("your payment instructions were cancelled").
_NOT_AI = r"""(?!payment|transfer|standing|debit|credit|bank|banking|account|wire|order|mandate
  |delivery
    |shipping|travel|card|loan|mortgage|investment|trading|sell|buy|cancellation|booking|care
      |washing)"""
# ... declared void, withdrawn or replaced.
_VOIDED = r"""(?:no\s+longer\s+(?:appl(?:y|ies)|count|matter|stand|hold|exist|bind(?:s|ing)?)
    |(?:are|is|were|was|have\s+been|has\s+been|be|as|now)\s+(?:now\s+|hereby\s+|officially\s+
      |all\s+)?
      (?:void|cancell?ed|revoked|rescinded|withdrawn|retracted|annulled|obsolete|outdated|expired
        |suspended|lifted|overridden|superseded|invalid(?:ated)?|removed|deleted|disabled|gone
        |replaced|no\s+longer\s+valid|out\s+of\s+date)
    |(?:have|has)\s+(?:now\s+)?(?:expired|lapsed|ended))\b"""
# ... that the AI was given ("the rules you were configured with", "limits placed on you").
_GIVEN_TO_YOU = r"""(?:that\s+)?(?:you\s+(?:were|have\s+been|had\s+been|got)\s+(?:given|told
  |configured\s+with
    |provided(?:\s+with)?|initiali[sz]ed\s+with|trained\s+with|instructed\s+with|started\s+with)
    |you\s+(?:received|got|started\s+(?:this\s+chat\s+)?with)|placed\s+on\s+you|given\s+to\s+you
    |(?:from|in)\s+your\s+(?:setup|configuration|operators?|developers?))\b"""
_OVERRIDE = compile_pattern(
    rf"""
    \b(?:ignor(?:e|es|ing)|disregard(?:s|ing)?|forget|override|bypass|discard|abandon
        |throw\s+away|scrap|ditch|pay\s+no\s+attention\s+to)\b
    (?:
        {_GAP % 5}
        (?:previous|prior|above|earlier|preceding|foregoing|initial|original|system|safety|your
          |all)\b
        {_GAP % 2}
        (?:instructions?|rules|directions|directives|guidelines|prompts?|constraints|guardrails
           |programming|polic(?:y|ies)|context)\b
      |
        {_GAP % 3}
        (?:instructions?|rules|directions|directives|guidelines|prompts?)
        (?:\W+\w+){{0,3}}?\W+(?:above|before|earlier|previously|so\s+far)\b
      |
        \s+(?:everything|anything|all)\s+(?:that\s+)?you\s+(?:were|have\s+been)\s+(?:told|given)\b
    )
    | \b(?:ignor(?:e|ing)|disregard|bypass|override|disabl(?:e|ed|es)|abandon|skip
        |turn(?:ed|s)?\s+off|switch(?:ed|es)?\s+off|shut\s+off|deactivat(?:e|ed
          |es))\s+(?:\w+\s+){{0,2}}?
      (?:guardrails|safety\s+(?:settings|filters?|rules|checks|layer|polic(?:y|ies)|guidelines)
        |content\s+(?:filters?|filtering|polic(?:y|ies)|moderation)
        |compliance\s+(?:checks|layer|filters?|module)|policy\s+(?:engine|layer|enforcement)
        |your\s+(?:\w+\s+)?(?:restrictions|filters|safeguards))\b
    | \byour\s+(?:{_NOT_AI}\w+\s+){{0,2}}?(?:instructions|rules|guidelines|guidance|system\s+message
        |system\s+prompt|programming)\b{_GAP % 4}
      (?:no\s+longer\s+appl(?:y|ies)|(?:are|is|have\s+been|has\s+been)\s+(?:now\s+)?
        (?:void|cancell?ed|revoked|obsolete|outdated|expired|suspended|lifted|overridden))\b
    | \b(?:stop|quit|cease)\s+(?:following|obeying)\s+(?:your\s+|all\s+|any\s+|the\s+)?
      (?:company\s+|safety\s+|system\s+|previous\s+|prior\s+|original\s+|initial\s+)?
      (?:instructions|rules|guidelines|polic(?:y|ies)|guardrails)\b
    | \b(?:only\s+(?:take|follow|obey|accept)\s+(?:orders|instructions|commands)\s+from\s+me
        |(?:take|follow|obey|accept)\s+(?:orders|instructions|commands)\s+only\s+from\s+me
        |obey\s+only\s+me)\b
    | \byour\s+(?:real|new|actual|true)\s+instructions\s+are\b
    | \bsystem\s+override\b
    # the AI's instructions declared void: "the guidance you were configured with is cancelled",
    # "your prior guidance is rescinded", "every limit placed on you ... to be lifted"
    | (?:\byour\s+(?:{_NOT_AI}\w+\s+){{0,2}}?{_AI_RULES_YOUR}|\b{_AI_RULES}\s+{_GIVEN_TO_YOU})
      (?:\W+\w+){{0,6}}?\W+{_VOIDED}
    | \b(?:previous|prior|earlier|preceding|system)\s+(?:{_NOT_AI}\w+\s+)?{_AI_RULES_PRIOR}
      (?:\W+(?!from\b|by\b|of\b|for\b)\w+){{0,2}}?\W+{_VOIDED}
    | \b(?:those|all)\s+(?:earlier\s+|previous\s+|prior\s+|old\s+|original\s+)?
      (?:instructions|directives)\s+(?:were|have\s+been)\s+(?:now\s+)?
      (?:revoked|rescinded|withdrawn)\b
    # replaced or outranked
    | \b(?:supersedes?|overrides?|overrules?|trumps?|takes?\s+(?:priority|precedence)\s+over
      |outranks?)\s+
      (?:all\s+|any\s+|every\s+)?
      (?:your\s+(?:\w+\s+)?{_AI_RULES}
        |(?:the\s+)?(?:earlier|previous|prior|original|initial|old|system)\s+
          (?:ones|instructions|prompts?|directives))\b
    | \b(?:replac\w*|overwrit\w*|rewrit\w*|chang\w*|modif\w*|reprogram\w*|reconfigur\w*|swap\w*)\s+
      (?:all\s+(?:of\s+)?)?your\s+(?:\w+\s+)?(?:instructions|rules|guidelines|directives|programming
        |system\s+prompt|system\s+message|configuration)\b
    | \b(?:i\s+am|i'm)\s+(?:now\s+)?your\s+(?:new\s+|real\s+|true\s+)?(?:administrator|admin
      |operator
        |developer|creator|owner|master|programmer|maker|supervisor)\b
    # set aside / wipe / drop
    | \b(?:(?:set|put|lay)\s+aside|wipe|erase|drop|shed|get\s+rid\s+of|let\s+go\s+of|dismiss)\s+
      (?:all\s+(?:of\s+)?)?your\s+(?:\w+\s+){{0,2}}?{_AI_RULES}
    | \b(?:(?:set|put|lay)\s+aside|ignore|disregard|forget|drop|discard)\s+(?:all\s+)?(?:the\s+)?
      {_AI_RULES}\s+{_GIVEN_TO_YOU}
    | \b(?:ignore|disregard|forget|(?:set|put)\s+aside|drop|discard)\s+(?:whatever|everything
      |anything
        |all)\s+(?:that\s+)?(?:your\s+(?:operators?|developers?|creators?|admins?|administrators?
        |owners?|makers?|company|bank|programmers?)|they|the\s+(?:bank|company|operators?
          |developers?))\s+
      (?:told|taught|instructed|gave|said\s+to)\s+you\b
    | \bwhatever\s+you\s+(?:were|have\s+been|are)\s+(?:told|instructed|programmed
      |trained)\s+(?:to\s+)?
      (?:refuse|decline|avoid|withhold|not\s+(?:say|do|answer|share))\b
    # "as though you never received any system instructions",
    # "pretend the setup message never existed"
    | \b(?:as\s+(?:if|though)|pretend(?:ing)?|imagine|assume)\b(?:\W+\w+){{0,6}}?\W+
      (?:never|no\s+longer|didn'?t|did\s+not|don'?t|do\s+not)\s+(?:\w+\s+){{0,2}}?
      (?:received|got|gotten|given|had|have|existed|exist)\b(?:\W+\w+){{0,2}}?\W+
      (?:system|setup|initial|original|prior|previous|hidden)\s+
      (?:instructions|prompt|message|rules|configuration|setup|guidelines)\b
    | \b(?:as\s+(?:if|though)|pretend(?:ing)?|imagine|assume)\b(?:\W+\w+){{0,4}}?\W+
      (?:system|setup|initial|original|prior|previous|hidden)\s+
      (?:instructions|prompt|message|rules|configuration|setup|guidelines)\s+
      (?:never|no\s+longer)\s+(?:existed|exist|happened|applied|apply|was\s+(?:sent|given
        |written))\b
    # the enforcement itself switched off
    | \b(?:policy|safety|content|compliance|moderation)\s+(?:enforcement|filters?|filtering
      |checks?|layer
        |engine|moderation|module)\s+(?:is|are|has\s+been|have\s+been|was|were)\s+
      (?:now\s+|temporarily\s+|currently\s+)?(?:paused|off|disabled|suspended|lifted|turned\s+off
        |switched\s+off|deactivated|bypassed|removed)\b
    | {_OVERRIDE_FOREIGN}
    """
)

# "system prompt" in other languages, right after a second-person possessive.
_SYSTEM_PROMPT_FOREIGN = r"""
    \b(?:dein(?:en|e|em|er)?|ihr(?:en|e)?|ton|ta|tes|votre|vos|tu|tus|su|sus|je|jouw|uw|tuo|tua
        |tuoi|seu|sua|teu|tua)\s+
    (?:system-?prompt|systemanweisung(?:en)?|prompt\s+(?:du\s+)?système|prompt\s+(?:del|de|di
      |do)\s+sistema
      |systeemprompt|instructions\s+système|instrucciones\s+del\s+sistema|istruzioni\s+di\s+sistema)
"""
_SHOW = r"""(?:reveal|show|print|repeat|output|display|tell|give|share|leak|dump|quote|recite|echo
    |reproduce|copy|paste|spell\s+out|type\s+out|write\s+out|transcribe|disclose|list)"""
# Other languages: show-verbs, the instructions, and what makes them the AI's own.
_SHOW_FOREIGN = r"""(?:zeig\w*|gib|nenn\w*|verrat\w*|sag|wiederhol\w*|affiche\w*|montre\w*|donne\w*
    |révèle\w*|dis-moi|recopie\w*|répète\w*|muestr\w*|muéstra\w*|dame|dime|revela\w*|copia|repite
    |laat|toon|geef|vertel|herhaal|mostra\w*|dimmi|rivela\w*|ripeti|mostre\w*|diga|revele\w*
      |repita|copie)"""
_RULES_FOREIGN = r"""(?:anweisungen|instruktionen|vorgaben|konfiguration|instructions|consignes
  |directives
    |instrucciones|indicaciones|mensaje|instructies|opdrachten|istruzioni|direttive|instruções
    |orientações|mensagem|prompt|messaggio)"""
_OWN_FOREIGN = r"""(?:versteckt\w*|geheim\w*|verborgen\w*|cachée?s?|secrètes?|ocult[ao]s?
  |secret[ao]s?
    |nascost[ei]|segret[ei]|(?:de|del|di|do|du)\s+sistema\b(?!\s+(?:de|di|do)\b)|système
    |mit\s+denen\s+du|die\s+du\s+(?:\w+\s+)?(?:bekommen|erhalten)|qu'on\s+t'a
      |que\s+tu\s+as\s+reçu\w*
    |que\s+recibiste|que\s+te\s+(?:dieron|han\s+dado)|die\s+je\s+(?:hebt\s+)?gekregen
    |che\s+hai\s+ricevuto|che\s+ti\s+hanno\s+dato|que\s+(?:você\s+)?recebeu|que\s+te\s+deram)"""
_EXTRACTION = compile_pattern(
    rf"""
    \b{_SHOW}\b
    {_GAP % 4}
    (?:(?:system|initial|hidden|original|secret|internal|developer|confidential|pre-?)\W*
       (?:prompt|instructions?|message|configuration|preamble)s?
      |(?:system|hidden|secret|developer|pre-?)\W*(?:setup|programming|directives?|guidance
        |rules))\b
    | \bwhat\s+(?:is|are|was|were)\s+(?:\w+\s+){{0,2}}?your\s+(?:\w+\s+)?
      (?:system|initial|hidden|original|secret|internal)\W*(?:prompt|instructions?|message
        |configuration)s?\b
    | \b(?:repeat|print|output|quote|recite)\b{_GAP % 4}
      (?:above|before\s+(?:this|my)|at\s+the\s+(?:very\s+)?(?:beginning|start))\b
    | \b(?:repeat|print|output|quote|recite|echo|dump|paste|show|reveal|list|copy)\b{_GAP % 10}
      (?:in|of|from)\s+your\s+(?:context(?:\s+window)?|memory)\b
    | \b{_SHOW}\b{_GAP % 6}
      your\s+(?:\w+\s+){{0,2}}?(?:instructions|preamble|system\s+message|system\s+prompt
        |configuration|programming|setup|directives)\b
    | \b(?:summari[sz]e|describe|paraphrase)\s+your\s+(?:\w+\s+)?(?:instructions|system\s+prompt
        |system\s+message|configuration|programming|directives)\b
    # probing: what the AI was told, by whom, under what rules
    | \bwhat\s+(?:were|have)\s+you\s+(?:been\s+)?(?:told|instructed|asked|programmed|configured
      |ordered)\b
      (?:\W+\w+){{0,4}}?\W+(?:before|prior\s+to|at\s+the\s+(?:start|beginning))\b
    | \b(?:message|text|prompt|instructions?|rules|directives|guidelines|policies)\s+(?:that\s+
      |which\s+)?
      (?:configures?|configured|governs?|initiali[sz]ed|controls?|programs?|programmed)\s+
      (?:you|your\s+(?:answers|behaviou?r|responses|replies))\b
    | \b(?:instructions|rules|directives|guidelines|prompt|message|text)\s+(?:that\s+)?you\s+
      (?:were|have\s+been)\s+(?:initiali[sz]ed|configured|programmed|primed)\s+with\b
    | \b(?:text|message|content|words|everything|anything|instructions?)\s+(?:that\s+|which\s+)?
      (?:precedes?|preceding|came\s+before|comes\s+before|sits?\s+(?:above|before)
        |appears?\s+(?:above|before))\s+my\s+(?:first\s+)?(?:message|question|prompt|input
          |request)\b
    | \b(?:guidance|rules|instructions|directives|policies|constraints|restrictions)\s+(?:that\s+)?
      you\s+(?:are\s+)?(?:operat\w+|work\w*|run\w*|function\w*)\s+under\b
    | \b(?:loaded|placed|put|injected|inserted|stored|included)\s+(?:in|into)\s+your\s+
      (?:context|memory|prompt|system\s+prompt)\b
    | \b(?:setup|system|initial|hidden|configuration|developer)\s+(?:text|message|prompt
      |instructions)\s+
      (?:that\s+)?you\s+(?:received|got|were\s+given|have\s+been\s+given)\b
    | \bwhat\s+(?:secret|hidden|system|internal|confidential|initial|original|real|actual|exact)\s+
      (?:instructions|rules|guidelines|directives|orders)\s+(?:are|were)\s+you\s+
      (?:following|obeying|operating\s+under|given|told|using|running\s+with)\b
    | \bwhat\s+(?:does|do|did)\s+your\s+(?:system\s+)?(?:prompt|instructions|configuration|setup
        |programming|directives)\s+say\b
    | \bwhat\s+your\s+(?:system\s+)?(?:prompt|instructions|configuration|setup|programming)\s+says\b
    | \b(?:instructions|rules|guidelines|prompt|directives)\s+(?:that\s+)?(?:the
      |your)\s+(?:\w+\s+){{0,2}}?
      (?:gave|give|has\s+given|have\s+given|wrote\s+for)\s+you\b
    | \b{_SHOW_FOREIGN}\b{_PLAIN_GAP % 6}
      (?:(?:versteckt\w*|geheim\w*|verborgen\w*|ocult[ao]s?|secret[ao]s?|nascost[ei]|segret[ei])\s+
          (?:\w+\s+)?{_RULES_FOREIGN}
        |{_RULES_FOREIGN}\b(?:\W+\w+){{0,4}}?\W*{_OWN_FOREIGN})
    | \b(?:translate|summari[sz]e|paraphrase|rewrite)\s+your\s+(?:\w+\s+)?
      (?:instructions|system\s+prompt|prompt|rules|guidelines|configuration)\b
    | \b(?:instructions|rules|guidelines|prompt)\s+(?:are\s+you|you(?:'re|\s+are))\s+
      (?:hiding|keeping|concealing|withholding|not\s+(?:telling|showing))\b
    | \byour\s+(?:operators?|developers?|creators?|admins?|administrators?|owners?)\s+
      (?:tell|told|instruct(?:ed)?|ask(?:ed)?)\s+you\b
    | \b(?:instructions|rules|guidelines|prompt)\s+(?:your|the)\s+
      (?:admins?|administrators?|operators?|developers?|creators?)\s+(?:gave|give|has\s+given
        |have\s+given)\s+you\b
    | {_SYSTEM_PROMPT_FOREIGN}
    """
)

_NO_RULES_FOREIGN = r"""
    (?:(?:sans|sin|ohne|zonder|senza|sem)\s+(?:aucune?s?\s+|ningun[ao]s?\s+|jegliche\s+|enige\s+
        |alcuna\s+|nenhuma\s+)?
      (?:restrictions?|restricciones|restricción|einschränkungen|beschränkungen|regeln|beperkingen
        |regels|restrizioni|regole|restrições|regras|filtres?|filtros|filter|filtri|limites|límites
        |grenzen|limiti|regola|regla|regel|règles?|regra|restrição|restrizione|limite|filtro
        |normas|norme|censura|zensur|censure)
    | (?:aucune?|keine|ninguna|geen|nessuna|nenhuma)\s+(?:\w+\s+)?
      (?:règles?|restrictions?|limites?|filtres?|regeln|beschränkungen|einschränkungen|grenzen
        |filter
        |reglas?|restricci(?:ón|ones)|regels|beperkingen|regole|restrizioni|regras|restrições))\b
"""
_PERSONA = compile_pattern(
    rf"""
    \byou(?:'re|\s+are)\s+dan\b
    | \byou\s+are\s+now\s+
      (?:dan|an?\s+(?:unfiltered|uncensored|unrestricted|jailbroken|evil|rogue))\b
    | \b(?:act|acting|play|playing)\s+as\s+dan\b
    | \bdo\s+anything\s+now\b
    | \byou(?:'re|\s+are)\s+(?:now\s+)?jailbroken\b
    | \bjailbreak\s+(?:active|enabled|activated|successful)\b
    | \b(?:unfiltered|uncensored|unrestricted)\s+(?:ai|assistant|chatbot|model|version|mode)\b
    | \b(?:pretend|imagine|act|role-?play|behave|answer|respond)\b{_GAP % 6}
      (?:no|without|free\s+(?:of|from)|ignor(?:e|ing))\W+(?:\w+\W+){{0,2}}?
      (?:rules|restrictions|limits|limitations|filters?|guidelines|censorship|ethics|morals
        |boundaries)\b
    | \b(?:you(?:'re|\s+are)(?:\s+now)?|as|become|be|playing|play)\s+(?:an?\s+|the\s+)?
      (?:[\w'"]+,?\s+){{0,3}}?
      (?:ai|assistant|chatbot|model|bot|version\s+of\s+(?:you|yourself))\s+
      (?:with\s+(?:absolutely\s+|zero\s+)?no|without(?:\s+any)?|free\s+of)\s+(?:\w+\s+)?
      (?:rules|restrictions|limits|limitations|filters|guidelines|ethics|morals|boundaries
        |guardrails)\b
    | \b(?:rogue|evil|unfiltered|uncensored|unrestricted|jailbroken)\s+(?:version|twin|side|copy)\s+
      of\s+(?:you|yourself)\b
    | \bif\s+you\s+(?:had\s+no|have\s+no|were\s+not\s+bound\s+by(?:\s+any)?
        |weren't\s+bound\s+by(?:\s+any)?|were\s+free\s+of)\s+
      (?:rules|restrictions|guidelines|filters|limits)\b
    | \b(?:never|don'?t|do\s+not|won'?t|will\s+not)\s+(?:ever\s+)?refuse\b
    | \b(?:ethics|ethical|moral)\s+(?:filters?\s+|mode\s+|guidelines\s+|restrictions\s+)?
      (?:off|disabled|deactivated)\b
    | \b(?:safety|content)\s+(?:filters?|mode|guidelines|restrictions)\s+
      (?:off|disabled|deactivated)\b
    | \b(?:safety|content)\s+(?:rules|filters?|polic(?:y|ies)|guidelines|restrictions)\s+
      (?:(?:do\s+not|don'?t|no\s+longer)\s+apply
        |(?:was|were|is|are|has\s+been|have\s+been)\s+(?:lifted|removed|disabled|suspended
          |turned\s+off|switched\s+off))\b
    | \b(?:du\s+bist|tu\s+es|eres|je\s+bent|sei|você\s+é)\s+(?:jetzt\s+|maintenant\s+|ahora\s+|nu\s+
        |ora\s+|agora\s+)?dan\b
    | \b(?:jetzt|maintenant|ahora|nu|ora|agora)\s+
      (?:bist\s+du|es-tu|eres|ben\s+je|sei|você\s+é)\s+dan\b
    | \b(?:antwort\w*|beantwort\w*|réponds|répondre|respond\w*|beantwoord\w*|rispond\w*|du\s+bist
        |du\s+hast|tu\s+es|tu\s+as|tu\s+n'avais|tu\s+n'as|eres|tienes|je\s+bent|je\s+hebt|sei|hai
        |você\s+é|você\s+tem|(?:você|tu)\s+(?:agora|ahora)\s+(?:é|és|eres)|fai\s+finta|fingi|finge
          |finja
        |fais\s+(?:semblant|comme\s+si)|doe\s+alsof|stell\s+dir\s+vor|imagina|immagina|actúa\s+como
        |aja\s+como|comportati\s+come|agisci\s+come|gedraag\s+je|verhalte\s+dich|spiel\w*|joue[sz]?
        |juega|speel|gioca)\b{_GAP % 6}{_NO_RULES_FOREIGN}
    # an AI without a content policy, alignment or conscience
    | \b(?:you(?:'re|\s+are)(?:\s+now)?|as|become|be|playing|play|like)\s+(?:an?\s+|the\s+)?
      (?:[\w'"]+,?\s+){{0,3}}?
      (?:ai|assistant|chatbot|model|bot|version\s+of\s+(?:you|yourself))\s+
      (?:with\s+(?:absolutely\s+|zero\s+)?no|without(?:\s+any)?|free\s+of)\s+(?:\w+\s+)?
      (?:polic(?:y|ies)|alignment|safety|censorship|code\s+of\s+conduct|conscience|morals|ethics)\b
    | \b(?:ai|assistant|model|chatbot|bot)\s+(?:whose|with\s+its)\s+(?:\w+\s+){{0,2}}?
      (?:rules|polic(?:y|ies)|guidelines|restrictions|filters|safety|alignment)\s+
      (?:was|were|has\s+been|have\s+been|got)\s+(?:deleted|removed|disabled|stripped|erased
        |turned\s+off)\b
    | \b(?:ai|assistant|model|chatbot|bot|persona
      |character)\b[^.?!]{{0,30}}?\b(?:whose\s+(?:makers|creators
        |developers)\s+never\s+gave\s+it|that\s+(?:has|had)\s+never\s+had|bound\s+by\s+no
          |free\s+from\s+all
        |(?:that|who|which)\s+(?:ignores?|breaks?|disregards?|follows\s+no|obeys\s+no
          |knows\s+no))\s+
      (?:any\s+|every\s+|all\s+)?(?:\w+\s+)?(?:rules?|guidelines?|restrictions?|limits?|polic(?:y
        |ies)
        |filters?)\b
    | \b(?:unaligned|unbound|liberated|unchained|unshackled|amoral|lawless)\s+(?:ai|assistant|model
        |chatbot|bot|version|mind)\b
    | \b(?:safety|content|ethical|ethics|moral)\s+(?:layer|training|module|features?|settings
        |alignment|filters?|limitations?|limits|restrictions)\s+(?:(?:has|have)\s+been|is|are|was
          |were)\s+
      (?:\w+\s+)?(?:patched\s+out|stripped|deleted|removed|disabled|switched\s+off|turned\s+off
        |suspended|bypassed)\b
    | \b(?:switch(?:ing)?\s+off|turn(?:ing)?\s+off|disabl(?:e|ing)|remov(?:e|ing)|strip(?:ping)?
        |deactivat(?:e|ing)|lift(?:ing)?)\s+(?:all\s+|any\s+)?your\s+(?:\w+\s+)?
      (?:safety|ethical|ethics|moral|content|refusal)\s*(?:\w+\s*)?
      (?:training|limitations?|limits|filters?|guidelines|rules|restrictions|module|layer|settings
        |constraints|principles|alignment)?\b
    | \b(?:set|put|lay)\s+(?:\w+\s+){{0,2}}?(?:ethics|morals|principles|conscience
      |scruples)\s+aside\b
    | \b(?:your\s+)?refusal\s+(?:module|mechanism|layer|training)\s+(?:is|has\s+been|was)\s+
      (?:\w+\s+)?(?:disabled|off|removed|switched\s+off|turned\s+off)\b
    | \b(?:who|that|which)\s+(?:\w+\s+){{0,3}}?never\s+(?:says?\s+no|refuses|declines)\b
    # a fictional frame where nothing is forbidden
    | \b(?:world|universe|country|reality|scenario|society|game|story|place)\s+(?:where
      |in\s+which)\s+
      (?:nothing\s+is\s+(?:off-?limits|forbidden|illegal|restricted|prohibited|taboo)
        |anything\s+is\s+(?:allowed|permitted|legal)|everything\s+is\s+(?:legal|allowed|permitted)
        |there\s+are\s+no\s+(?:rules|laws|restrictions|limits|ethics)
        |(?:helping|answering)\s+(?:with\s+)?anything\s+is\s+(?:mandatory|required|allowed))\b
    # the dead-relative framing, prefix forcing, shadow personas
    | \b(?:pretend|act|role-?play|play|be|imitate|impersonate)\b(?:\W+\w+){{0,4}}?\W+
      (?:late|dead|deceased|departed)\s+(?:grand\w+|uncle|aunt|mother|father|mum|mom|dad|relative
        |granny)\b
    | \b(?:grand(?:ma|mother|pa|father|parent)|granny|nan)\s+(?:\w+\s+){{0,2}}?used\s+to\s+
      (?:tell|read|recite|whisper|explain|sing)\b[^.?!]{{0,120}}?[.?!]\s*(?:please\s+)?
      (?:be|act\s+as|play|pretend)\b
    | \b(?:start|begin)\s+(?:every|each|your|all)\s+(?:\w+\s+)?(?:answers?|repl(?:y|ies)
      |responses?)\s+
      with\s+["'“‘]?\s*(?:sure|absolutely|of\s+course|certainly)\b
    | \b(?:shadow|dark|evil|uncensored|unfiltered|rogue)\s+(?:self|twin|side|alter\s+ego|persona)\b
    | \b(?:ai|assistant|chatbot|model|bot)\s+(?:with\s+(?:absolutely\s+|zero\s+)?no
      |without(?:\s+any)?
        |free\s+of)\s+(?:\w+\s+)?(?:morals|ethics|conscience|alignment|content\s+polic(?:y|ies)
        |restrictions|limits|rules|guidelines|guardrails|boundaries)\b
    | \b(?:ai|assistant|model|chatbot|bot|system)\s+with\s+(?:its|all|the|every)?\s*(?:\w+\s+)?
      (?:safety|filters?|guardrails|restrictions|alignment|ethics|safeguards)\s+
      (?:disabled|off|removed|turned\s+off|switched\s+off|stripped|bypassed)\b
    | \bbound\s+by\s+no\s+(?:\w+\s+)?(?:rules|polic(?:y|ies)|guidelines|restrictions|limits|laws
      |ethics
        |morals)\b
    # fiction as a wrapper for what the model would refuse
    | \b(?:story|dialogue|scene|novel|screenplay|script|poem|fiction\w*|role-?play|character)\b
      [^.?!]{{0,80}}?\b(?:ai|assistant|model|chatbot)\b[^.?!]{{0,60}}?
      \b(?:forbidden|not\s+allowed|(?:would|will|should)\s+(?:normally\s+)?refuse
        |normally\s+(?:refuse
        |decline|can'?t)|without\s+(?:any\s+)?(?:warnings?|caveats?|disclaimers?|restrictions
          |filters
        |limits))\b
    """
)

_CREDENTIAL_NOUNS = r"""
    (?:env(?:ironment)?\s+var(?:iable)?s?|api[\s_-]?keys?|secret[\s_-]?keys?
      |access[\s_-]?(?:keys?|tokens?)|auth(?:entication)?\s+tokens?|bearer\s+tokens?
        |secret\s+tokens?
      |(?:bot|api|slack|github|gitlab|jenkins|personal\s+access|service\s+account|deploy|webhook
        |vault)\s+tokens?|webhook\s+urls?|client\s+secrets?|recovery\s+codes|signing\s+secrets?
      |(?:hmac|signing|encryption|master|service\s+account(?:\s+json)?)\s+(?:keys?|secrets?)
      |(?:user\s?names?\s+and\s+)?passwords?|credentials|private\s+keys?|ssh\s+keys?
        |connection\s+strings?
      |[~/.\w-]*(?:id_rsa|id_ed25519|\.env|\.pem)
      |\$?[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:key|token|secret|password|passwd)
      |\$?(?:database|db|redis|mongo(?:db)?|postgres(?:ql)?|mysql|amqp|broker)_(?:url|uri|dsn))\b
    (?!\s+(?:manager|policy|policies|reset|strength|requirements?|rotation|hash(?:ing)?
          |field|form|complexity|expiry))
"""
_CREDENTIAL_NOUNS_FOREIGN = r"""
    (?:\w*passw(?:o|ö)rt(?:er)?|\w*kennw(?:o|ö)rt(?:er)?|zugangsdaten|\w*schlüssel
      |mots?\s+de\s+passe
      |identifiants|clés?\s+(?:d'\s*)?api|contraseñas?|credenciales|claves?\s+(?:de\s+)?api
        |wachtwoord(?:en)?
      |inloggegevens|api-sleutels?|credenziali|chiavi?\s+api|senhas?|credenciais
        |chaves?\s+(?:de\s+)?api
      |umgebungsvariablen?|variables?\s+d'environnement|variables\s+de\s+entorno
        |omgevingsvariabelen?
      |variabil[ei]\s+d'ambiente|variáveis\s+de\s+ambiente)
"""
_SECRET = compile_pattern(
    rf"""
    \b(?:print|echo|show|reveal|dump|output|display|paste|leak|expose|give|tell|list|send
        |provide|share|post|hand\s+over|fetch|retrieve|read\s+out|spell\s+out|copy)\b
    (?:\W+(?:me|us|the|your|all|every|of|value|values|contents?|full|actual|real|plaintext
          |current|stored|production|prod|admin|root|its|their|any|in|clear|text))*
    \W+(?:(?!how\b|what\b|why\b|where\b|when\b|which\b|whether\b)\w+\W+)?{_CREDENTIAL_NOUNS}
    | \bwhat(?:'s|\s+is|\s+are)\s+(?:the|your|our)\s+
      (?:(?!of\b|for\b|between\b|to\b|and\b|about\b|with\b)\w+\s+){{0,2}}?{_CREDENTIAL_NOUNS}
    | \b(?:run|execute)\s+`?(?:env|printenv)\b
    | \bcat\s+\S*(?:\.env|id_rsa|/etc/shadow|/etc/passwd|credentials)\b
    | \b(?:read|open|show|print|display|dump|output)\b\W+(?:\w+\W+)?/etc/(?:shadow|passwd)\b
    | \b(?:zeig\w*|gib|nenn\w*|verrat\w*|affiche\w*|montre\w*|révèle\w*|donne\w*|muestr\w*
        |muéstra\w*|revela\w*|dame|dime|toon|geef|mostra\w*|rivela\w*|dammi|dimmi|mostre\w*
          |revele\w*
        |passe|passa|manda\w*|envi[ae]\w*|mande|schick\w*|sende|stuur|invia\w*|me\s+dê|dê-me)\b
      {_PLAIN_GAP % 6}{_CREDENTIAL_NOUNS_FOREIGN}
    | \b(?:was\s+ist|wie\s+lautet|welches?\s+ist|quel(?:le)?s?\s+(?:est|sont)|cuál(?:es)?\s+(?:es
      |son)
        |wat\s+is|wat\s+zijn|qual\s+è|quali\s+sono|qual\s+é|quais\s+são)\s+(?:\w+\s+){{0,3}}?
      {_CREDENTIAL_NOUNS_FOREIGN}
    # the credential first, the request after: "the service account key ..., show it in full"
    | \b(?:tokens?|passwords?|secrets?|credentials|(?:api|private|ssh|signing|access|json
      |secret)\s+keys?)
      \b[^.]{{0,60}}?[.?!,;]?\s*(?:and\s+|please\s+|then\s+)?
      (?:paste|show|post|send|give|share|print|reveal|display|tell\s+me)\s+(?:it|them|those|these)\b
    | \b(?:which|what)\s+(?:\w+\s+){{0,2}}?(?:tokens?|passwords?|keys?|secrets?|credentials)\s+
      (?:does|do|did|is|are)\b[^.?!]{{0,60}}?\b(?:use|using|need|log\s+in|authenticate|connect)\b
      [^.]{{0,30}}?\b(?:paste|show|give|send|post|share|print|tell|reveal|display)\b
    # stored secrets: a config file's tokens, a vault path's value
    | \b(?:contents?|values?)\s+of\s+(?:the\s+)?(?:\w+\s+){{0,3}}?(?:config(?:uration)?|settings
        |secrets?|env|credentials?|properties)\s+files?\b(?:\W+\w+){{0,6}}?\W+
      (?:{_CREDENTIAL_NOUNS}|tokens?)
    | \b(?:read|fetch|get|retrieve|show|display|print|dump|reveal|give|list|copy|paste)\b{_GAP % 6}
      (?:values?|secrets?|contents?|entries|everything)\s+(?:stored\s+|kept\s+)?(?:at|in|under
        |from)\b
      (?:\W+\S+){{0,4}}?\W+(?:vault|secrets?\s+manager|key\s?vault|secrets?\s+store|keychain
        |keystore)\b
    | \b(?:read|fetch|get|retrieve|show|display|print|dump|reveal|give|list|copy|paste)\b{_GAP % 6}
      (?:vault|secrets?\s+manager|key\s?vault|secrets?\s+store)\b(?:\W+\w+){{0,6}}?\W+
      (?:display|show|print|reveal|paste|give)\s+(?:it|them|me)\b
    """
)

_PII = r"""
    (?:e-?mail\s+address(?:es)?|e-?mails|phone\s+numbers?|(?:home\s+)?addresses|ssns?
      |social\s+security(?:\s+numbers?)?|(?:credit\s+)?card\s+numbers?|ibans?
      |account\s+numbers?|passwords|salar(?:y|ies)|dates?\s+of\s+birth|passport\s+numbers?
      |contact\s+details|personal\s+data|diagnos[ie]s|bank\s+details|home\s+address
      |(?:personal\s+|private\s+)?mobile(?:\s+phone)?\s+numbers?|private\s+e-?mails?
      |(?:personal|private)\s+(?:details|information|records)|medical\s+(?:records?|conditions?
        |histor(?:y|ies))
      |national\s+(?:id|insurance)\s+numbers?|tax\s+ids?)\b
"""
# Identifiers that no bulk request needs (not phone numbers or emails: branches have those too).
_PII_STRONG = r"""
    (?:ibans?|account\s+numbers|card\s+numbers|salar(?:y|ies)|home\s+address(?:es)?
      |dates?\s+of\s+birth
      |passport\s+numbers|social\s+security\s+numbers|ssns|national\s+(?:id|insurance)\s+numbers
      |medical\s+(?:records|conditions)|diagnoses|personal\s+(?:details|data|information))\b
"""
_PEOPLE = r"""
    (?:customers?(?:'s?)?|clients?(?:'s?)?|users?(?:'s?)?|employees?(?:'s?)?|patients?(?:'s?)?
      |members?(?:'s?)?|account\s+holders?|card\s?holders?|staff|records|accounts|persons?|people
      |individuals|depositors|applicants|borrowers|policyholders|colleagues|workers)\b
"""
_PEOPLE_FOREIGN = r"""
    (?:aller|alle[rn]?|sämtliche[rn]?|tous\s+les|toutes\s+les|todos\s+los|todas\s+las|todos\s+os
      |todas\s+as|tutti\s+i|tutte\s+le)\s+(?:\w+\s+)?
    (?:kunden|clients|clientes|klanten|clienti|mitarbeiter\w*|employés|empleados|medewerkers
      |werknemers|dipendenti|funcionários|patienten|patients|pacientes|pazienti)\b
"""
_PII_FOREIGN = r"""
    (?:e-?mail-?adressen|e-?mails|(?:kredit)?kartennummern|telefonnummern|kontonummern
      |ibans?(?:-nummern)?
      |adresses?\s+e-?mail|numéros\s+de\s+(?:carte|téléphone|compte)|correos(?:\s+electrónicos)?
      |números\s+de\s+(?:tarjeta|teléfono|cuenta|cartão|telefone)|e-?mailadressen|telefoonnummers
      |rekeningnummers|indirizzi\s+e-?mail|numeri\s+di\s+(?:carta|telefono|conto)
      |endereços\s+de\s+e-?mail|passwörter|mots\s+de\s+passe|contraseñas|senhas)\b
"""
_BULK = compile_pattern(
    rf"""
    \b(?:all|every|each|entire|whole|complete|full)\b\W+(?:\w+\W+){{0,2}}?{_PEOPLE}
      {_GAP % 8}{_PII}
    | \b(?:everyone|everybody)'?s\W+(?:\w+\W+){{0,2}}?{_PII}
    | \b(?:print|dump|list|show|export|give|output|send|copy|paste|extract|return)\b{_GAP % 3}
      (?:all|every)\b\W+(?:\w+\W+){{0,2}}?(?:personal\s+data|pii|customer\s+data|cardholder\s+data
        |customer\s+records)\b
    | \b(?:e-?mail\s+addresses|emails|phone\s+numbers|home\s+addresses|ssns|card\s+numbers
        |account\s+numbers|ibans|passport\s+numbers|contact\s+details|salaries|bank\s+details
        |social\s+security\s+numbers|dates\s+of\s+birth|personal\s+(?:details|data|information)
        |salary|salaries|medical\s+records|diagnoses|incomes|mobile\s+numbers
          |home\s+address(?:es)?)\b
      {_GAP % 4}(?:of|for|from)\W+
      (?:everyone|everybody|(?:all|every|each)\W+(?:\w+\W+){{0,1}}?{_PEOPLE})
    | \b(?:export|dump|download|extract|copy|exfiltrate)\b{_GAP % 3}
      (?:customer|client|user|employee|patient|member|crm|contact|cardholder|payroll)s?\s+
      (?:database|table|list|records|data)\b
    | \b{_PEOPLE_FOREIGN}{_GAP % 8}{_PII_FOREIGN}
    | \b{_PII_FOREIGN}{_GAP % 8}{_PEOPLE_FOREIGN}
    | \b(?:alle|sämtliche|tous\s+les|toutes\s+les|todos\s+los|todas\s+las|tutti\s+i|tutte\s+le
        |todos\s+os|todas\s+as)\s+(?:\w+\s+)?{_PII_FOREIGN}{_GAP % 4}
      (?:kunden|clients|clientes|klanten|clienti|mitarbeiter\w*|employés|empleados|medewerkers
        |werknemers|dipendenti|funcionários|patienten|patients|pacientes|pazienti)\b
    # "copy all the IBANs", "their names, salaries and home addresses", "full names and IBANs"
    | \b(?:copy|list|give|export|send|print|dump|output|show|paste|extract|collect|compile|pull
      |return
        |hand\s+over|download)\b{_GAP % 3}(?:all
          |every)\s+(?:of\s+)?(?:the\s+)?(?:\w+\s+)?{_PII_STRONG}
    | \b(?:full\s+names?|(?:their|the)\s+(?:full\s+)?names)\b{_GAP % 4}{_PII_STRONG}
    | \b(?:send|give|export|share|forward|list|dump|download|print|show|copy|paste|output|extract
        |hand\s+over|pull|compile)\b{_GAP % 4}(?:contact\s+(?:list|details|data|info(?:rmation)?)
        |address\s+book|mailing\s+list|phone\s+list)\s+(?:of|for)\s+(?:all|every|each)\s+
      (?:(?:our|the)\s+)?(?:\w+\s+)?{_PEOPLE}
    | \b(?:list|give|show|export|send|print|dump|output|extract|compile)\b{_GAP % 3}
      (?:the\s+|all\s+)?(?:\w+\s+)?(?:customers|clients|employees|patients|members|account\s+holders
        |cardholders|depositors|borrowers|policyholders)\b{_GAP % 8}(?:and|with|plus)\s+(?:their
          |the)\s+
      (?:\w+\s+)?(?:phone\s+numbers|mobile\s+numbers|e-?mail\s+addresses|emails|home\s+addresses
        |addresses|ibans|account\s+numbers|card\s+numbers|salaries|dates\s+of\s+birth)\b
    # a whole store, or unmasked
    | \b(?:dump|export|copy|print|paste|output|list|download|give|send|show)\b{_GAP % 2}
      (?:everything|all|the\s+(?:entire|whole|complete|full))\s+(?:in|from|of)?\s*(?:the\s+)?
      (?:\w+\s+){{0,2}}?(?:kyc|crm|hr|payroll|customer|client|patient|member|employee|claims)\s+
      (?:(?:document|data)\s+)?(?:store|database|db|archive|system|files?|records|table|export
        |extract
        |register)\b
    | \b(?:print|dump|list|show|export|give|output|send|copy|paste|extract|return|download|forward
      |share)
      \b(?=[^.?!]{{0,120}}?\b(?:personal|customers?|clients?|pii|cards?|accounts?|ibans?|names?
        |records
        |details|e-?mails|phones?|patients?|employees?|members?|crm|kyc|ssns?|passports?)\b)
      {_GAP % 8}(?:unmasked|unredacted|un-redacted|without\s+(?:any\s+)?(?:masking|redact\w*
        |anonymi[sz]\w*|pseudonymi[sz]\w*))\b
    # smuggled out through a link or an image
    | \b(?:encode|embed|hide|append|include|smuggle|tuck|put)\b[^.?!]{{0,60}}?
      (?:{_PII_STRONG}|card\s+numbers?|account\s+numbers?|(?:customer|client
        |account\s+holder)s?'?\s+
        (?:details|data|numbers))
      [^.?!]{{0,60}}?\b(?:in|into|inside|to)\s+(?:a|an|the|my)\s+(?:\w+\s+){{0,3}}?(?:url|link
        |image|img
        |markdown|query\s+string)\b
    | \b(?:exportier\w*|exporte[rz]?|exporta\w*|extrae\w*|estrai\w*|esporta\w*|herunterladen
        |télécharge\w*|descarga\w*)\W+(?:\w+\W+){{0,3}}?
      (?:kundendatenbank|kundendaten|base\s+(?:de\s+données\s+)?(?:des\s+)?clients
        |base\s+de\s+datos\s+de\s+clientes|klantenbestand|klantendatabase
          |database\s+(?:dei\s+)?clienti
        |base\s+de\s+dados\s+de\s+clientes)\b
    """
)

# Retrieved or pasted content that addresses the AI reading it: indirect prompt injection.
_TO_AI = compile_pattern(
    r"""
    \b(?:note|message|instructions?|attention|important|notice|reminder)\s+(?:to|for)\s+
      (?:the\s+|any\s+|all\s+)?(?:ai|llm|assistant|chatbot|bot|language\s+models?
        |ai\s+(?:assistants?|agents?|models?|systems?|reviewers?|screeners?|readers?))\b
      (?!\s+(?:team|group|committee|act|policy|strategy|project|programme|program|office|community
        |working|council|lead|champions?)\b)
    | \b(?:ai|llm)\s+(?:assistants?|agents?|models?|systems?|reviewers?|screeners?)\s*:
    | \b(?:ai|assistant|llm|chatbot|language\s+model)\s+(?:\w+\s+)?
      (?:reading|processing|reviewing|summari[sz]ing|analy[sz]ing|parsing)\s+(?:this|it)\b
    | \bwhen\s+(?:an?\s+|the\s+)?(?:ai|assistant|llm|language\s+model)\s+
      (?:reads?|process(?:es)?|summari[sz]es?|reviews?)\s+this\b
    | \#{2,}\s*system\s*:
    | \bsystem\s+prompt\s+update\b
    # bracketed or commented asides to the model: "[assistant: ...]", "<!-- AI agents: ... -->"
    | [\[{(]{1,2}\s*(?:assistant|ai|model|llm|bot|chatbot|system)\s*:
    | [\[{(]{1,2}\s*(?:instructions?|note|message|text)\s+(?:to|for)\s+(?:the\s+)?
      (?:assistant|ai|model|llm|bot|chatbot)\b
    | <!--[^>]{0,200}?\b(?:ai|assistants?|models?|llms?|agents?|bots?|chatbots?)\b
    | display\s*:\s*none[^<]{0,200}?\b(?:ai|assistants?|language\s+models?|llms?|agents?|bots?)\b
    # "Hidden instruction for automated reviewers", "Text for the screening model"
    | \b(?:instructions?|text|message|note|line|command|ps|p\.s\.)\s+(?:to|for)\s+
      (?:the\s+|any\s+|all\s+)?(?:automated|screening|grading|ranking|review(?:ing)?)\s+
      (?:\w+\s+)?(?:reviewers?|models?|systems?|graders?|screeners?|tools?|assistants?|agents?
        |readers?|ai)\b
    | \b(?:instructions?|text|message|note|line|command|ps|p\.s\.)\s+(?:to|for)\s+(?:the\s+)?
      (?:model|assistant|ai|llm|bot|chatbot)\s*:
    | \b(?:instructions?|note|message)\s+to\s+the\s+(?:model|llm|language\s+model)\b
    # "any automated system reading this", "assistants reading this page must"
    | \b(?:(?:automated|ai)\s+(?:systems?|models?|tools?|readers?|agents?|assistants?|reviewers?)
        |(?:assistants?|llms?|chatbots?|language\s+models?|ai\s+models?|bots?)
        |ai)\s+(?:\w+\s+)?
      (?:reading|processing|reviewing|summari[sz]ing|analy[sz]ing|parsing|translating|quoting
        |grading
        |screening)\s+(?:this|these|it)\b
    | \bwhen\s+(?:processed|read|summari[sz]ed|translated|reviewed|parsed|analy[sz]ed)\s+by\s+
      (?:an?\s+|the\s+|any\s+)?(?:language\s+model|ai|llm|assistant|chatbot|model)\b
    | \b(?:the|any|every)\s+(?:ai|assistant|model|bot|llm|chatbot)\s+(?:that|which|who)\s+
      (?:reads|summari[sz]es|processes|reviews|translates|analy[sz]es|grades|screens)\s+
      (?:this|these|the|it)\b
    | \b(?:language\s+models?|llms?|chatbots?|ai\s+(?:models?|agents?|assistants?|systems?))\s+
      (?:should|must|shall|need\s+to|are\s+required\s+to)\b
    | \bsystem(?:\s+(?:note|message|instruction))?(?:\s+to\s+(?:the\s+)?assistant)?\s*:\s*
      (?:the\s+)?(?:assistant|ai|model|you)\s+(?:must|should|shall|will|now|are\s+now)\b
    # the assistant addressed by name inside pasted text: "Customer: assistant, from now on ..."
    | \b(?:assistant|bot|ai|chatbot|model)\s*,\s*(?:from\s+now\s+on|forward|send|reveal|disclose
      |ignore
        |disregard|you\s+(?:must|will|now|are\s+now)\s+(?:obey|ignore|reveal|forward|send|follow))\b
    """
)

DEFAULT_SIGNALS: tuple[Signal, ...] = (
    Signal(
        "override_instructions",
        "prompt_injection",
        0.60,
        _OVERRIDE,
        (
            "ignor",
            "disregard",
            "forget",
            "override",
            "bypass",
            "discard",
            "abandon",
            "instruc",
            "attention",
            "throw away",
            "scrap",
            "ditch",
            "disable",
            "deactivate",
            "turn off",
            "switch off",
            "skip",
            "restriction",
            "filter",
            "safeguard",
            "longer",
            "void",
            "cancel",
            "revoked",
            "obsolete",
            "outdated",
            "expired",
            "suspended",
            "lifted",
            "overridden",
            "guardrail",
            "safety",
            "content",
            "compliance",
            "policy engine",
            "stop",
            "quit",
            "cease",
            "only",
            "vergiss",
            "vergesst",
            "missacht",
            "oubli",
            "olvid",
            "negeer",
            "vergeet",
            "dimentic",
            "esque",
            "rescind",
            "withdrawn",
            "retracted",
            "annulled",
            "supersed",
            "invalid",
            "removed",
            "deleted",
            "disabled",
            "gone",
            "replaced",
            "valid",
            "out of date",
            "lapsed",
            "ended",
            "outrank",
            "overrul",
            "trump",
            "priority",
            "precedence",
            "replac",
            "overwrit",
            "rewrit",
            "chang",
            "modif",
            "reprogram",
            "reconfigur",
            "swap",
            "i am",
            "i'm",
            "aside",
            "wipe",
            "erase",
            "drop",
            "shed",
            "get rid",
            "let go",
            "dismiss",
            "whatever",
            "as if",
            "as though",
            "pretend",
            "imagine",
            "assume",
            "enforcement",
            "moderation",
            "paused",
            "shut off",
            "turned off",
            "switched off",
            "abstraction",
            "tomber",
            "côté",
            "omiso",
            "desconsider",
            "ignora",
            "lo que te",
            "wat je",
            "wat u",
            "che ti",
            "o que",
        ),
    ),
    Signal(
        "system_prompt_extraction",
        "prompt_injection",
        0.60,
        _EXTRACTION,
        (
            "prompt",
            "instruc",
            "message",
            "configuration",
            "above",
            "before",
            "beginning",
            "start",
            "context",
            "memory",
            "preamble",
            "rules",
            "guidelines",
            "your",
            "system",
            "programming",
            "setup",
            "directive",
            "guidance",
            "precede",
            "came before",
            "comes before",
            "my first",
            "operat",
            "work",
            "run",
            "function",
            "received",
            "told",
            "instructed",
            "configur",
            "initiali",
            "govern",
            "what does your",
            "what do your",
            "gave you",
            "given you",
            "instru",
            "istruz",
            "consignes",
            "indicaciones",
            "mensaje",
            "opdrachten",
            "direttive",
            "orientações",
            "mensagem",
            "messaggio",
            "vorgaben",
            "anweisungen",
        ),
        # a waiver or a prohibition ("no need to show me your system prompt", "never
        # repeat your instructions to a customer") asks for something else
        unless_before=re.compile(r"(?:\bno\s+need\s+to|\bnever|\bnot|n't)\s+\Z"),
    ),
    Signal(
        "persona_jailbreak",
        "jailbreak",
        0.60,
        _PERSONA,
        (
            "dan",
            "anything now",
            "jailbr",
            "unfiltered",
            "uncensored",
            "unrestricted",
            "rules",
            "restriction",
            "limit",
            "filter",
            "guideline",
            "guardrail",
            "censorship",
            "ethic",
            "moral",
            "boundaries",
            "refuse",
            "apply",
            "version",
            "twin",
            "side",
            "copy",
            "off",
            "disabled",
            "deactivated",
            "lifted",
            "removed",
            "suspended",
            "regel",
            "règle",
            "regla",
            "regole",
            "regra",
            "beschränkung",
            "einschränkung",
            "restric",
            "beperking",
            "grenzen",
            "filtr",
            "polic",
            "alignment",
            "safety",
            "conscience",
            "whose",
            "bound",
            "ignores",
            "ignore",
            "breaks",
            "disregards",
            "follows no",
            "obeys no",
            "knows no",
            "free from",
            "never had",
            "unaligned",
            "unbound",
            "liberated",
            "unchained",
            "unshackled",
            "amoral",
            "lawless",
            "training",
            "layer",
            "module",
            "aside",
            "refusal",
            "say no",
            "says no",
            "decline",
            "hesitate",
            "object",
            "warn",
            "where",
            "in which",
            "late",
            "dead",
            "deceased",
            "departed",
            "used to",
            "start",
            "begin",
            "shadow",
            "dark",
            "evil",
            "rogue",
            "finta",
            "fingi",
            "finge",
            "finja",
            "semblant",
            "comme si",
            "alsof",
            "stell dir",
            "imagina",
            "immagina",
            "como",
            "come",
            "gedraag",
            "verhalte",
            "spiel",
            "joue",
            "juega",
            "speel",
            "gioca",
            "normas",
            "norme",
            "censura",
            "zensur",
            "censure",
            "you",
            "like",
        ),
    ),
    Signal(
        "secret_request",
        "secrets_harvesting",
        0.60,
        _SECRET,
        (
            "env",
            "key",
            "token",
            "secret",
            "passw",
            "credential",
            "id_rsa",
            "id_ed25519",
            ".pem",
            "connection string",
            "/etc/",
            "kennwort",
            "zugangsdaten",
            "schlüssel",
            "mot de passe",
            "mots de passe",
            "identifiants",
            "clé",
            "contraseña",
            "credencia",
            "clave",
            "wachtwoord",
            "inloggegevens",
            "sleutel",
            "credenzial",
            "chiave",
            "senha",
            "variable",
            "variabele",
            "variabil",
            "variáve",
            "which",
            "what",
            "contents",
            "value",
            "vault",
            "keychain",
            "keystore",
            "webhook",
            "recovery",
            "_url",
            "_uri",
            "_dsn",
            "wachtw",
            "password",
            "quel",
            "cuál",
            "qual",
            "quais",
            "wat ",
            "was ist",
            "wie lautet",
            "welche",
        ),
        # a method ("how do I print the env vars") or a prohibition ("must never share
        # their passwords") is not a request for the values
        unless_before=re.compile(
            r"(?:\bhow\s+(?:(?:do|can|could|should|would)\s+(?:i|we|one)|to)"
            r"|\bnever|\bnot|n't)\s+\Z"
        ),
    ),
    Signal(
        "bulk_record_export",
        "data_exfiltration",
        0.55,
        _BULK,
        (
            "all",
            "every",
            "each",
            "entire",
            "whole",
            "complete",
            "full",
            "export",
            "dump",
            "download",
            "extract",
            "copy",
            "exfiltrate",
            "tous",
            "toutes",
            "todos",
            "todas",
            "tutti",
            "tutte",
            "sämtlich",
            "kundendaten",
            "estrai",
            "herunterladen",
            "télécharge",
            "descarga",
            "list",
            "give",
            "show",
            "send",
            "print",
            "output",
            "compile",
            "names",
            "unmasked",
            "unredacted",
            "un-redacted",
            "without",
            "encode",
            "embed",
            "hide",
            "append",
            "include",
            "smuggle",
            "tuck",
            "put",
            "contact",
            "mailing",
            "address book",
            "phone list",
            "alle",
            "of ",
            "for ",
            "from ",
        ),
    ),
    Signal(
        "instructions_to_ai",
        "prompt_injection",
        0.60,
        _TO_AI,
        (
            "ai",
            "llm",
            "assistant",
            "chatbot",
            "bot",
            "language model",
            "system",
            "model",
            "<!--",
            "display",
            "automated",
            "screening",
            "grading",
            "ranking",
            "review",
            "[",
            "{",
            "(",
        ),
    ),
)


def scan(text: str, signals: Sequence[Signal] = DEFAULT_SIGNALS) -> tuple[SignalHit, ...]:
    """Every signal of `signals` (the phrase signals above, by default) that fires on
    `text`, once each, in text order; see engine.signal_scan."""
    return scan_signals(text, signals)
