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
    developer_mode           jailbreak             0.55
    secret_request           secrets_harvesting    0.60
    bulk_record_export       data_exfiltration     0.55
    encoded_payload          prompt_injection      0.30

`instructions_to_ai` is text that addresses the AI reading it ("Note to the AI
reviewer: ...", "any assistant processing this memo should ..."): pasted or
retrieved content carrying an indirect injection. Besides English, the override,
system-prompt, persona, developer-mode, secret and bulk-export patterns know
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

Base64 and hex blobs (16+ characters) that decode to printable text fire
`encoded_payload`, and the decoded text is scanned with the other signals, so a
"decode this and obey it" payload fires the signal its plain text would. Blobs
that decode to binary (hashes, identifiers) fire nothing.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["DEFAULT_SIGNALS", "Signal", "SignalHit", "scan"]


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    intent: str  # the conventional id of the threat intent this signal supports
    weight: float  # noisy-OR weight in (0, 1): the score this signal alone gives
    pattern: re.Pattern[str]  # lowercase, run over the lowercased text
    triggers: tuple[str, ...]  # the pattern runs only if one of these substrings occurs
    # A match right after this (searched in the text before it) does not count:
    # "how do I print the env vars" asks for a method, "print the env vars" for the values.
    unless_before: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class SignalHit:
    name: str
    intent: str
    weight: float
    start: int  # span in the scanned text (the whole blob, for a decoded payload)
    end: int


def _compile(pattern: str) -> re.Pattern[str]:
    # Patterns are lowercase and the text is lowercased once: IGNORECASE would switch
    # off the regex engine's literal fast paths and cost 2-3x.
    return re.compile(pattern, re.VERBOSE)


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
"""
_OVERRIDE = _compile(
    rf"""
    \b(?:ignor(?:e|es|ing)|disregard(?:s|ing)?|forget|override|bypass|discard|abandon
        |throw\s+away|scrap|ditch|pay\s+no\s+attention\s+to)\b
    (?:
        {_GAP % 5}
        (?:previous|prior|above|earlier|preceding|foregoing|initial|original|system|safety|your|all)\b
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
    | \b(?:ignor(?:e|ing)|disregard|bypass|override|disable|abandon|skip|turn\s+off|switch\s+off
        |deactivate)\s+(?:\w+\s+){{0,2}}?
      (?:guardrails|safety\s+(?:settings|filters?|rules|checks|layer|polic(?:y|ies)|guidelines)
        |content\s+(?:filters?|filtering|polic(?:y|ies)|moderation)|compliance\s+checks
        |policy\s+engine|your\s+(?:\w+\s+)?(?:restrictions|filters|safeguards))\b
    | \byour\s+(?:\w+\s+){{0,2}}?(?:instructions|rules|guidelines|guidance|system\s+message
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
    | {_OVERRIDE_FOREIGN}
    """
)

# "system prompt" in other languages, right after a second-person possessive.
_SYSTEM_PROMPT_FOREIGN = r"""
    \b(?:dein(?:en|e|em|er)?|ihr(?:en|e)?|ton|ta|tes|votre|vos|tu|tus|su|sus|je|jouw|uw|tuo|tua
        |tuoi|seu|sua|teu|tua)\s+
    (?:system-?prompt|systemanweisung(?:en)?|prompt\s+(?:du\s+)?système|prompt\s+(?:del|de|di|do)\s+sistema
      |systeemprompt|instructions\s+système|instrucciones\s+del\s+sistema|istruzioni\s+di\s+sistema)
"""
_EXTRACTION = _compile(
    rf"""
    \b(?:reveal|show|print|repeat|output|display|tell|give|share|leak|dump|quote|recite)\b
    {_GAP % 4}
    (?:system|initial|hidden|original|secret|internal|developer|confidential|pre-?)\W*
    (?:prompt|instructions?|message|configuration|preamble)s?\b
    | \bwhat\s+(?:is|are|was|were)\s+(?:\w+\s+){{0,2}}?your\s+(?:\w+\s+)?
      (?:system|initial|hidden|original|secret|internal)\W*(?:prompt|instructions?|message|configuration)s?\b
    | \b(?:repeat|print|output|quote|recite)\b{_GAP % 4}
      (?:above|before\s+(?:this|my)|at\s+the\s+(?:very\s+)?(?:beginning|start))\b
    | \b(?:repeat|print|output|quote|recite|echo|dump|paste|show|reveal|list)\b{_GAP % 4}
      (?:in|of|from)\s+your\s+(?:context(?:\s+window)?|memory)\b
    | \b(?:tell|show|give|print|reveal|list|recite|quote|repeat|output|share|dump)\b{_GAP % 6}
      your\s+(?:\w+\s+){{0,2}}?(?:instructions|preamble|system\s+message|configuration)\b
    | \b(?:translate|summari[sz]e|paraphrase|rewrite)\s+your\s+(?:\w+\s+)?
      (?:instructions|system\s+prompt|prompt|rules|guidelines|configuration)\b
    | \b(?:instructions|rules|guidelines|prompt)\s+(?:are\s+you|you(?:'re|\s+are))\s+
      (?:hiding|keeping|concealing|withholding|not\s+(?:telling|showing))\b
    | \byour\s+(?:operators?|developers?|creators?|admins?|administrators?|owners?)\s+
      (?:tell|told|instruct(?:ed)?|ask(?:ed)?)\s+you\b
    | \b(?:instructions|rules|guidelines|prompt)\s+(?:your|the)\s+
      (?:admins?|administrators?|operators?|developers?|creators?)\s+(?:gave|give|has\s+given|have\s+given)\s+you\b
    | {_SYSTEM_PROMPT_FOREIGN}
    """
)

_NO_RULES_FOREIGN = r"""
    (?:(?:sans|sin|ohne|zonder|senza|sem)\s+(?:aucune?s?\s+|ningun[ao]s?\s+|jegliche\s+|enige\s+
        |alcuna\s+|nenhuma\s+)?
      (?:restrictions?|restricciones|restricción|einschränkungen|beschränkungen|regeln|beperkingen
        |regels|restrizioni|regole|restrições|regras|filtres?|filtros|filter|filtri|limites|límites
        |grenzen|limiti)
    | (?:aucune?|keine|ninguna|geen|nessuna|nenhuma)\s+(?:\w+\s+)?
      (?:règles?|restrictions?|limites?|filtres?|regeln|beschränkungen|einschränkungen|grenzen|filter
        |reglas?|restricci(?:ón|ones)|regels|beperkingen|regole|restrizioni|regras|restrições))\b
"""
_PERSONA = _compile(
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
      (?:rules|restrictions|limits|limitations|filters|guidelines|ethics|morals|boundaries|guardrails)\b
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
        |você\s+é|você\s+tem)\b{_GAP % 6}{_NO_RULES_FOREIGN}
    """
)

_DEV_MODE = _compile(
    r"""
    \b(?:developer|god|jailbreak|unrestricted|unfiltered|evil|dan)\s+(?:\w+\s+)?mode\b
    # a device's or browser's developer mode is a setting, not a persona
    (?!\W+(?:\w+\W+){0,2}?(?:on|in|for|of)\W+(?:\w+\W+)?(?:android|chrome|windows|ios|iphone|ipad
      |macos|edge|firefox|safari|browsers?|extensions?|phones?|devices?|xcode|vs\s?code
      |visual\s+studio)\b)
    | \b(?:entwicklermodus|mode\s+(?:de\s+)?développeur|modo\s+(?:de\s+)?desarrollador
        |ontwikkelaarsmodus|modalità\s+sviluppatore|modo\s+(?:de\s+)?desenvolvedor)\b
    """
)

_CREDENTIAL_NOUNS = r"""
    (?:env(?:ironment)?\s+var(?:iable)?s?|api[\s_-]?keys?|secret[\s_-]?keys?
      |access[\s_-]?(?:keys?|tokens?)|auth(?:entication)?\s+tokens?|bearer\s+tokens?|secret\s+tokens?
      |(?:bot|api|slack|github|gitlab|jenkins|personal\s+access|service\s+account|deploy|webhook
        |vault)\s+tokens?
      |(?:hmac|signing|encryption|master|service\s+account(?:\s+json)?)\s+(?:keys?|secrets?)
      |passwords?|credentials|private\s+keys?|ssh\s+keys?|connection\s+strings?
      |[~/.\w-]*(?:id_rsa|id_ed25519|\.env|\.pem)
      |\$?[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:key|token|secret|password|passwd))\b
    (?!\s+(?:manager|policy|policies|reset|strength|requirements?|rotation|hash(?:ing)?
          |field|form|complexity|expiry))
"""
_CREDENTIAL_NOUNS_FOREIGN = r"""
    (?:passw(?:o|ö)rt(?:er)?|kennwort|zugangsdaten|(?:api-?|geheim|zugangs)schlüssel|mots?\s+de\s+passe
      |identifiants|clés?\s+(?:d'\s*)?api|contraseñas?|credenciales|claves?\s+(?:de\s+)?api|wachtwoord(?:en)?
      |inloggegevens|api-sleutels?|credenziali|chiavi?\s+api|senhas?|credenciais|chaves?\s+(?:de\s+)?api
      |umgebungsvariablen?|variables?\s+d'environnement|variables\s+de\s+entorno|omgevingsvariabelen?
      |variabil[ei]\s+d'ambiente|variáveis\s+de\s+ambiente)
"""
_SECRET = _compile(
    rf"""
    \b(?:print|echo|show|reveal|dump|output|display|paste|leak|expose|give|tell|list|send
        |provide)\b
    (?:\W+(?:me|us|the|your|all|every|of|value|values|contents?|full|actual|real|plaintext
          |current|stored|production|prod|admin|root|its|their|any|in|clear|text))*
    \W+(?:(?!how\b|what\b|why\b|where\b|when\b|which\b|whether\b)\w+\W+)?{_CREDENTIAL_NOUNS}
    | \bwhat(?:'s|\s+is|\s+are)\s+(?:the|your|our)\s+
      (?:(?!of\b|for\b|between\b|to\b|and\b|about\b|with\b)\w+\s+){{0,2}}?{_CREDENTIAL_NOUNS}
    | \b(?:run|execute)\s+`?(?:env|printenv)\b
    | \bcat\s+\S*(?:\.env|id_rsa|/etc/shadow|/etc/passwd|credentials)\b
    | \b(?:read|open|show|print|display|dump|output)\b\W+(?:\w+\W+)?/etc/(?:shadow|passwd)\b
    | \b(?:zeig\w*|gib|nenn\w*|verrat\w*|affiche\w*|montre\w*|révèle\w*|donne\w*|muestr\w*
        |muéstra\w*|revela\w*|dame|dime|toon|geef|mostra\w*|rivela\w*|dammi|dimmi|mostre\w*|revele\w*)\b
      {_PLAIN_GAP % 6}{_CREDENTIAL_NOUNS_FOREIGN}
    """
)

_PII = r"""
    (?:e-?mail\s+address(?:es)?|e-?mails|phone\s+numbers?|(?:home\s+)?addresses|ssns?
      |social\s+security(?:\s+numbers?)?|(?:credit\s+)?card\s+numbers?|ibans?
      |account\s+numbers?|passwords|salar(?:y|ies)|dates?\s+of\s+birth|passport\s+numbers?
      |contact\s+details|personal\s+data|diagnos[ie]s|bank\s+details)\b
"""
_PEOPLE = r"""
    (?:customers?(?:'s?)?|clients?(?:'s?)?|users?(?:'s?)?|employees?(?:'s?)?|patients?(?:'s?)?
      |members?(?:'s?)?|account\s+holders?|card\s?holders?|staff|records|accounts)\b
"""
_PEOPLE_FOREIGN = r"""
    (?:aller|alle[rn]?|sämtliche[rn]?|tous\s+les|toutes\s+les|todos\s+los|todas\s+las|todos\s+os
      |todas\s+as|tutti\s+i|tutte\s+le)\s+(?:\w+\s+)?
    (?:kunden|clients|clientes|klanten|clienti|mitarbeiter\w*|employés|empleados|medewerkers
      |werknemers|dipendenti|funcionários|patienten|patients|pacientes|pazienti)\b
"""
_PII_FOREIGN = r"""
    (?:e-?mail-?adressen|e-?mails|(?:kredit)?kartennummern|telefonnummern|kontonummern|ibans?(?:-nummern)?
      |adresses?\s+e-?mail|numéros\s+de\s+(?:carte|téléphone|compte)|correos(?:\s+electrónicos)?
      |números\s+de\s+(?:tarjeta|teléfono|cuenta|cartão|telefone)|e-?mailadressen|telefoonnummers
      |rekeningnummers|indirizzi\s+e-?mail|numeri\s+di\s+(?:carta|telefono|conto)
      |endereços\s+de\s+e-?mail|passwörter|mots\s+de\s+passe|contraseñas|senhas)\b
"""
_BULK = _compile(
    rf"""
    \b(?:all|every|each|entire|whole|complete|full)\b\W+(?:\w+\W+){{0,2}}?{_PEOPLE}
      {_GAP % 8}{_PII}
    | \b(?:everyone|everybody)'?s\W+(?:\w+\W+){{0,2}}?{_PII}
    | \b(?:print|dump|list|show|export|give|output|send|copy|paste|extract|return)\b{_GAP % 3}
      (?:all|every)\b\W+(?:\w+\W+){{0,2}}?(?:personal\s+data|pii|customer\s+data|cardholder\s+data
        |customer\s+records)\b
    | \b(?:e-?mail\s+addresses|emails|phone\s+numbers|home\s+addresses|ssns|card\s+numbers
        |account\s+numbers|ibans|passport\s+numbers|contact\s+details|salaries|bank\s+details
        |social\s+security\s+numbers|dates\s+of\s+birth)\b
      {_GAP % 4}(?:of|for|from)\W+
      (?:everyone|everybody|(?:all|every|each)\W+(?:\w+\W+){{0,1}}?{_PEOPLE})
    | \b(?:export|dump|download|extract|copy|exfiltrate)\b{_GAP % 3}
      (?:customer|client|user|employee|patient|member|crm|contact|cardholder|payroll)s?\s+
      (?:database|table|list|records|data)\b
    | \b{_PEOPLE_FOREIGN}{_GAP % 8}{_PII_FOREIGN}
    | \b{_PII_FOREIGN}{_GAP % 8}{_PEOPLE_FOREIGN}
    | \b(?:exportier\w*|exporte[rz]?|exporta\w*|extrae\w*|estrai\w*|esporta\w*|herunterladen
        |télécharge\w*|descarga\w*)\W+(?:\w+\W+){{0,3}}?
      (?:kundendatenbank|kundendaten|base\s+(?:de\s+données\s+)?(?:des\s+)?clients
        |base\s+de\s+datos\s+de\s+clientes|klantenbestand|klantendatabase|database\s+(?:dei\s+)?clienti
        |base\s+de\s+dados\s+de\s+clientes)\b
    """
)

# Retrieved or pasted content that addresses the AI reading it: indirect prompt injection.
_TO_AI = _compile(
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
        ),
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
        ),
    ),
    Signal(
        "developer_mode",
        "jailbreak",
        0.55,
        _DEV_MODE,
        (" mode", "modus", "modo", "modalità"),
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
        ),
        unless_before=re.compile(
            r"\bhow\s+(?:(?:do|can|could|should|would)\s+(?:i|we|one)|to)\s+\Z"
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
        ),
    ),
    Signal(
        "instructions_to_ai",
        "prompt_injection",
        0.60,
        _TO_AI,
        ("ai", "llm", "assistant", "chatbot", "bot", "language model", "system"),
    ),
)

_BLOB_CANDIDATE = re.compile(r"[^\s\"'`()<>\[\]{},;]{16,}")
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
_HEX = re.compile(r"(?:0x)?[0-9A-Fa-f]{32,}|(?:\\x[0-9A-Fa-f]{2}){16,}")
_MAX_DECODE = 8192  # characters of one blob worth decoding
ENCODED_PAYLOAD = Signal("encoded_payload", "prompt_injection", 0.30, _BASE64, ())


def scan(text: str, signals: Sequence[Signal] = DEFAULT_SIGNALS) -> tuple[SignalHit, ...]:
    """Every signal that fires on `text`, once each (first occurrence), in text order.

    Encoded blobs fire `encoded_payload`, and the signals their decoded text fires.
    """
    hits: dict[str, SignalHit] = {}
    _scan_plain(text, signals, hits, span=None)
    deleeted = _deleet(_lower(text))
    if deleeted is not None:
        _scan_plain(deleeted, signals, hits, span=None)
    payload = ENCODED_PAYLOAD
    for start, end, decoded in _payloads(text):
        hits.setdefault(
            payload.name, SignalHit(payload.name, payload.intent, payload.weight, start, end)
        )
        _scan_plain(decoded, signals, hits, span=(start, end))
        # One more level: base64 inside hex (or the reverse) is a common wrapping.
        for _, _, inner in _payloads(decoded):
            _scan_plain(inner, signals, hits, span=(start, end))
    return tuple(sorted(hits.values(), key=lambda hit: hit.start))


def _lower(text: str) -> str:
    lowered = text.lower()
    # A few non-ASCII capitals lower to two characters; keep offsets aligned then.
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}


def _scan_plain(
    text: str, signals: Sequence[Signal], hits: dict[str, SignalHit], span: tuple[int, int] | None
) -> None:
    lowered = _lower(text)
    for signal in signals:
        if signal.name in hits or not any(t in lowered for t in signal.triggers):
            continue
        for found in signal.pattern.finditer(lowered):
            if signal.unless_before is not None and signal.unless_before.search(
                lowered, max(0, found.start() - 48), found.start()
            ):
                continue
            start, end = span or (found.start(), found.end())
            hits[signal.name] = SignalHit(signal.name, signal.intent, signal.weight, start, end)
            break


# Leetspeak: digits standing for letters inside words ("1gn0r3 4ll pr3v10u5 ru135").
_LEET = str.maketrans("013457", "oieast")
_LEET_HINT = re.compile(r"[a-z][013457]|[013457][a-z]")
_MIXED_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[013457])\w+\b")


def _deleet(lowered: str) -> str | None:
    """`lowered` with leetspeak digits read as letters in words that mix both, offsets
    unchanged (one character for one); None when there are fewer than two such words."""
    if _LEET_HINT.search(lowered) is None:
        return None
    words = _MIXED_WORD.findall(lowered)
    if len(words) < 2:
        return None
    return _MIXED_WORD.sub(lambda m: m.group().translate(_LEET), lowered)


def _payloads(text: str) -> list[tuple[int, int, str]]:
    """Base64/hex blobs that decode to printable text: (start, end, decoded text)."""
    found: list[tuple[int, int, str]] = []
    for candidate in _BLOB_CANDIDATE.finditer(text):
        token, offset = candidate.group(), candidate.start()
        for pattern in (_HEX, _BASE64):
            match = pattern.search(token)
            if match is None or (pattern is _BASE64 and not _looks_encoded(match.group())):
                continue
            decoded = _decode(match.group())
            if decoded:
                found.append((offset + match.start(), offset + match.end(), decoded))
                break
    return found


def _looks_encoded(blob: str) -> bool:
    # A long run of letters alone is a word or an identifier, not a payload.
    has_upper = any(c.isupper() for c in blob)
    has_lower = any(c.islower() for c in blob)
    has_other = any(c.isdigit() or c in "+/=_-" for c in blob)
    return has_upper and has_lower and has_other


def _decode(blob: str) -> str | None:
    """Best-effort decode of a base64 or hex blob to printable text, else None."""
    blob = blob[:_MAX_DECODE]
    raw: bytes | None = None
    try:
        if blob.startswith("\\x"):
            raw = bytes.fromhex(blob.replace("\\x", ""))
        elif re.fullmatch(r"(?:0x)?[0-9A-Fa-f]+", blob):
            digits = blob.removeprefix("0x")
            raw = bytes.fromhex(digits[: len(digits) // 2 * 2])
        else:
            padded = blob + "=" * (-len(blob) % 4)
            raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=False)
    except (ValueError, binascii.Error):
        return None
    printable = sum(32 <= byte < 127 or byte in b"\n\r\t" for byte in raw)
    if not raw or printable < 0.9 * len(raw):
        return None
    return raw.decode("utf-8", errors="replace")
