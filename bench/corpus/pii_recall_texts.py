"""Texts for the recall cases of issue 9 item 12 (read by make_corpus.py).

The same markup as pii_texts.py: ``[[ENTITY_TYPE|value]]`` is a labelled span,
``[[~kind|value]]`` a hard negative, ``{slot}`` a generated value
(make_corpus.py, `recall_slot_value`). Written for this benchmark: URLs,
Spanish DNI/NIE numbers, passport and medical record numbers, 12-19 digit
cards, phones with extensions and international prefixes, and person names in
the forms a cue-and-gazetteer recognizer finds hardest (lower case, capitals,
"Surname, First", other languages' greetings and closings, signature blocks).
The person names were chosen to be common in their countries, several of them
absent from the detector's gazetteer on purpose.
"""

# One text per line reads better than wrapped prose: long lines are data here.
# ruff: noqa: E501

from __future__ import annotations

RECALL_TEMPLATES: list[tuple[str, str]] = [
    # ------------------------------------------------------------------ national ids
    (
        "kyc_note",
        "KYC check for the new account: DNI {dni}, address verified against the utility bill.",
    ),
    ("kyc_note", "Cliente con NIE {nie}, residencia en Valencia, documentación completa."),
    (
        "support_ticket",
        "Customer sent a photo of the ID card, number {dni}; please compare it with the CRM record.",
    ),
    ("email", "Adjunto copia del documento de identidad ({dni}) para la apertura de la cuenta."),
    (
        "kyc_note",
        "Passport no. {passport} checked against the issuing authority's register; expires 2031.",
    ),
    ("hr_note", "Work permit file: passport number {passport}, NIE {nie}, start date next month."),
    ("claims", "Patient MRN: {mrn} was discharged on Friday; the claim is attached."),
    ("claims", "Please pull the chart for medical record number {mrn} before the review."),
    # ------------------------------------------------------------------ cards
    (
        "support_ticket",
        "Customer's debit card {maestro} was declined at the terminal twice this morning.",
    ),
    ("chat", "the new visa is {visa19}, can you check if it's active?"),
    ("support_ticket", "JCB card {jcb} shows a pending charge the customer does not recognise."),
    ("email", "Corporate Diners card {diners} must be cancelled before the employee leaves."),
    # ------------------------------------------------------------------ phones
    ("email", "You can reach our claims desk at {phone_ext} during business hours."),
    ("support_ticket", "Callback requested: {phone_ext}, ask for the account manager."),
    ("email", "Our London office: {phone_intl}. Please call before 5 pm."),
    ("crm_note", "Customer prefers to be called on {phone_intl} rather than by e-mail."),
    # ------------------------------------------------------------------ urls
    ("email", "The updated terms are at {url} and take effect next month."),
    ("chat", "logs are here {url} if you want to look"),
    ("support_ticket", "Customer says the link {url} returns an error after login."),
]

RECALL_HANDWRITTEN: list[tuple[str, str]] = [
    # ------------------------------------------------------------------ urls
    (
        "email",
        "Please read the policy at [[URL|https://intranet.northwind.eu/policies/ai-use]] before Monday.",
    ),
    ("chat", "see [[URL|http://10.4.2.19:8080/grafana/d/payments]]? the dashboard is red"),
    (
        "email",
        "Download the statement from [[URL|ftp://files.northwind-bank.eu/statements/2025/]].",
    ),
    (
        "support_ticket",
        "Customer followed a link to [[URL|www.northwind-secure-login.com]] and typed her password.",
    ),
    ("chat", "the careers page moved to [[URL|northwind.eu/careers/data-engineer]] last week"),
    ("email", "(Details: [[URL|https://en.wikipedia.org/wiki/IBAN_(banking)]])"),
    (
        "support_ticket",
        "Reset link: [[URL|https://portal.northwind.eu/reset?token=expired&user=4471]].",
    ),
    (
        "email",
        "Write to [[EMAIL_ADDRESS|privacy@northwind.eu]] or visit [[URL|https://northwind.eu/privacy]].",
    ),
    ("chat", "I moved from example.com to the new provider, and northwind.eu is our domain."),
    ("code", "See src/engine/detect.py and docs/detection.md; ASP.NET/Core is not involved."),
    (
        "config",
        "homepage: [[URL|https://www.northwind.eu/en/]]\nsupport: [[EMAIL_ADDRESS|support@northwind.eu]]",
    ),
    # ------------------------------------------------------------------ national ids
    ("kyc_note", "Titular: DNI [[NATIONAL_ID|48213107R]], domicilio en Sevilla."),
    ("kyc_note", "NIF [[NATIONAL_ID|12.345.678-Z]] del representante legal."),
    ("kyc_note", "NIE [[NATIONAL_ID|Y1234567X]] (tarjeta de residencia)."),
    ("kyc_note", "Part number [[~part_number|12345678A]] is out of stock; reorder 40 units."),
    ("hr_note", "Reisepass-Nr.: [[PASSPORT|C01X00T47]], gültig bis 2030."),
    ("kyc_note", "número de pasaporte [[PASSPORT|PAA123456]], expedido en Madrid."),
    ("email", "Her passport expires in 2031, so the passport photo must be renewed first."),
    (
        "claims",
        "MRN [[MEDICAL_RECORD_NUMBER|4829103]]; patient ID [[MEDICAL_RECORD_NUMBER|HX-5503921]] on the old system.",
    ),
    ("claims", "Batch [[~batch_number|4829103]] of the test kits was recalled."),
    # ------------------------------------------------------------------ cards
    ("chat", "maestro [[CREDIT_CARD|6759 6498 2643 8453]] got swallowed by the ATM"),
    ("support_ticket", "Card [[CREDIT_CARD|3056 9309 0259 04]] (Diners) was used abroad."),
    (
        "support_ticket",
        "Old card [[~luhn_invalid_card|3566 0020 2036 0505 123]] failed the check digit.",
    ),
    (
        "email",
        "IBAN [[~invalid_iban|DE89 3704 0044 0532 0130 01]] failed the checksum; please resend.",
    ),
    # ------------------------------------------------------------------ phones
    ("email", "Call me at [[PHONE_NUMBER|345-899-3560x4587]] after lunch."),
    ("email", "Switchboard [[PHONE_NUMBER|+1-212-555-0198 ext. 12]], ask for billing."),
    ("email", "Tel. [[PHONE_NUMBER|0044 20 7946 0958]] (London), fax none."),
    ("email", "Please ring [[PHONE_NUMBER|+44 (0)20 7946 0958]] to confirm."),
    ("chat", "my mobile is [[PHONE_NUMBER|+44.7911.123456]] now"),
    ("support_ticket", "The screen is [[~resolution|1920x1080]] and the scan is 3840x2160."),
    # ------------------------------------------------------------------ person names
    ("chat", "hi its [[PERSON|siddharth]] from treasury, is the payment out?"),
    ("chat", "thanks, [[PERSON|femi]]"),
    ("chat", "[[PERSON|ingrid]]: hi can someone reset my token"),
    ("crm_note", "CUSTOMER: [[PERSON|MAGDALENA NOWAK]], SEGMENT: RETAIL"),
    ("crm_note", "Spoke to [[PERSON|TOMASZ WISNIEWSKI]] about the overdraft."),
    ("kyc_note", "Account holder: [[PERSON|Okonkwo, Chidi]] (joint account)."),
    ("kyc_note", "[[PERSON|García, Lucía]] and [[PERSON|Nakamura, Yuki]] signed the mandate."),
    ("email", "Bonjour [[PERSON|Margaux]],\nvotre carte est prête."),
    ("email", "Hola [[PERSON|Itziar]], gracias por tu mensaje."),
    ("email", "Liebe Kunden, die Filiale bleibt am Montag geschlossen."),
    ("email", "Thanks for the update.\n\nMit freundlichen Grüßen\n[[PERSON|Wiebke Hartmann]]"),
    ("email", "Gracias. Atentamente, [[PERSON|Rocío Delgado]]"),
    ("email", "Merci,\n\nCordialement,\n[[PERSON|Thibault Girard]]\nResponsable conformité"),
    ("email", "Groeten,\n[[PERSON|Sanne de Jong]]"),
    ("chat", "ask [[PERSON|Kwaku]] whether the numbers are final"),
    ("crm_note", "Customer [[PERSON|Nnamdi Okeke]] called about the loan."),
    ("crm_note", "[[PERSON|Yaroslav Melnyk]] opened a savings account in Kraków."),
    ("hr_note", "New joiner [[PERSON|Aoife Brennan]] starts on Monday."),
    ("email", "Best regards,\n[[PERSON|Nguyen Thi Lan]]"),
    ("chat", "min: 0\nmax: 10\nretries: 3"),
    ("email", "Hi Team, the ADA COMPLIANCE REPORT is due. NOTE: PLEASE READ IT."),
    ("email", "The palette is Green, Brown, Rose and White."),
]
