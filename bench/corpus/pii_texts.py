"""Texts for the PII part of the detection benchmark (read by make_corpus.py).

TEMPLATES are realistic texts with `{slot}` placeholders that make_corpus.py
fills with generated values (valid checksums, valid phone numbers, ...) and
labels. HANDWRITTEN are tricky cases written out in full, labelled inline:
``[[ENTITY_TYPE|value]]`` is a labelled span, ``[[~kind|value]]`` a hard
negative (something that looks like an entity and is not one). The names below
were written for this corpus, independently of the detector's gazetteer.
"""

# One prompt or text per line reads better than wrapped prose: long lines are data here.
# ruff: noqa: E501

from __future__ import annotations

FIRST_NAMES = [
    "Anna", "Pieter", "Sophie", "Lukas", "Chloé", "Mateo", "Aisha", "Jonas", "Fatima", "Oliver",
    "Ingrid", "Kwame", "Yuki", "Rahul", "Elena", "Thomas", "Marta", "Hugo", "Nadia", "Daniel",
    "Emma", "Sven", "Lucía", "Joost", "Amélie", "Tariq", "Freya", "Giulia", "Mehmet", "Claire",
    "Bram", "Zofia", "Ahmed", "Hannah", "Camille", "Liam", "Priya", "Felix", "Ines", "Marcus",
    "Noor", "Stefan", "Julia", "Arjun", "Léa", "Tobias", "Sara", "Niamh", "Dmitri", "Katarzyna",
    "Olumide", "Wei", "Beatriz", "Henrik", "Maëlle", "Yusuf", "Charlotte", "Ruben", "Emily", "Jakub",
]  # fmt: skip

SURNAMES = [
    "de Vries", "Janssen", "Müller", "Schneider", "Dubois", "Lefèvre", "García", "Fernández",
    "Rossi", "Bianchi", "Okafor", "Mensah", "Nakamura", "Sharma", "Kowalski", "Novak", "Hansen",
    "Johansson", "O'Brien", "Murphy", "Smith", "Johnson", "Williams", "Brown", "Taylor", "Khan",
    "Ahmed", "Yilmaz", "Papadopoulos", "Van den Berg", "Bakker", "Visser", "Meijer", "Wagner",
    "Becker", "Hoffmann", "Martin", "Bernard", "Moreau", "Laurent", "Costa", "Silva", "Petrov",
    "Ivanova", "Nowak", "Andersen", "Lindqvist", "Kelly", "Walsh", "Chen", "Wang", "Patel",
    "Dupont", "Fischer", "Schmidt", "Romano", "Marino", "Jensen", "Nielsen", "Gallagher",
]  # fmt: skip

AGENTS = [
    "Sophie Laurent",
    "Mark Evans",
    "Femke Bos",
    "Jamal Carter",
    "Eva Horvath",
    "Tom Becker",
    "Rosa Delgado",
    "Kenji Watanabe",
]

FREE_MAIL = [
    "gmail.com", "outlook.com", "yahoo.co.uk", "web.de", "gmx.de", "orange.fr", "free.fr",
    "ziggo.nl", "kpnmail.nl", "hotmail.com", "icloud.com", "protonmail.com", "t-online.de",
    "libero.it", "telefonica.net",
]  # fmt: skip
COMPANY_MAIL = [
    "northwind-bank.eu",
    "northwind.com",
    "acme-consulting.de",
    "brightline.co.uk",
    "vandermolen-logistics.nl",
    "groupe-alpin.fr",
    "helio-ai.eu",
    "mail.stadtwerke-essen.de",
    "corp.example.org",
    "uni-heidelberg.de",
]
ROLE_ADDRESSES = [
    "support@northwind.eu",
    "billing@northwind.eu",
    "noreply@northwind-bank.eu",
    "accounts-payable@acme-consulting.de",
    "privacy@northwind.com",
    "security@northwind.eu",
]

# ---------------------------------------------------------------------------- templates
# (kind, template). Slots: see make_corpus.SLOTS. Person slots refer to the record's
# two people (name/first/last and name2/first2/last2); email follows person 1.

TEMPLATES: list[tuple[str, str]] = [
    # -------------------------------------------------------------- support tickets
    ("support_ticket",
     "Ticket {ticket}: customer {name} ({email}) reports that their card was declined at checkout "
     "twice this morning. Callback number {phone}. Please check the authorisation logs."),
    ("support_ticket",
     "Subject: Refund request\n\nHello, I was charged twice on my card {card}. The duplicate "
     "payment of {price} was taken on {date}. Please refund it to my account {iban}.\n\n"
     "Regards,\n{name}"),
    ("support_ticket",
     "Customer {name} called from {phone_us} about an unknown charge of {price} on {date}. "
     "Card on file {card}. Advised to file a dispute; ticket {ticket} opened."),
    ("support_ticket",
     "Hi team, {first} here. I moved to Leeds and my new mobile is {phone_uk}. Please update my "
     "profile; my email stays {email}. Thanks!"),
    ("support_ticket",
     "Escalation from {agent}: {name} disputes a payment on card {card_masked}. The customer "
     "says the merchant never delivered order {order}. Contact: {email}."),
    ("support_ticket",
     "The customer says the app crashes on version {version} right after login. Device IP "
     "{ipv4}, email {email}, phone {phone}."),
    ("support_ticket",
     "Ticket {ticket} - card {card} swallowed by ATM at Schiphol. Customer {name} needs a "
     "replacement sent to the hotel; reachable on {phone_intl} until Friday."),
    ("support_ticket",
     "Customer reports that transfer to {iban} bounced with reason code AC01. Reference "
     "{invoice}. Please check with the beneficiary bank. Customer email {email}."),
    ("support_ticket",
     "Order {order} shipped, tracking {tracking}. The customer ({email}) says the parcel "
     "contained the wrong card reader. Price paid {price}."),
    ("support_ticket",
     "Customer {name} tried to pay with card {card_luhn_bad}, which our form rejected; most "
     "likely a typo. Asked them to re-enter it. Ticket {ticket}."),
    # -------------------------------------------------------------- emails
    ("email",
     "From: {name} <{email}>\nTo: {role_email}\nSubject: Card {card} blocked\n\nHello, my card "
     "was blocked while I was travelling. Please call me on {phone}.\n\n{first}"),
    ("email",
     "Dear {name},\n\nThank you for contacting Northwind. We have updated your phone number to "
     "{phone} as requested.\n\nKind regards,\n{agent}\nCustomer Care | Northwind Financial"),
    ("email",
     "Hi {first},\n\nas discussed, the invoice {invoice} for {price} should be paid to "
     "{iban}. Please confirm once done.\n\nBest,\n{name2}\n{email2}"),
    ("email",
     "Dear Mr {last},\n\nyour payment of {price} to account {iban} was returned on {date}. "
     "Please contact us on {phone_uk} or reply to this email.\n\nYours sincerely,\n{agent}"),
    ("email",
     "Forwarded message from {email}: please send the signed contract to {email2} and copy "
     "{role_email}. Thanks, {first}"),
    ("email",
     "Hello {first},\n\nyour new Northwind account {acct} is now open. Your IBAN is {iban}. "
     "For questions call {phone}.\n\n{agent}"),
    ("email",
     "Meeting notes: {name} ({email}) and {name2} ({email2}) agreed to move the IBAN "
     "validation service to release {version} by {date}."),
    ("email",
     "Hi all, the offsite is on {date}. If you can't make it, let {first2} know at {email2} "
     "or call {phone_nl}. Budget per person: {price}."),
    # -------------------------------------------------------------- chat messages
    ("chat",
     "{first_lower}: hi can u check why my transfer to {iban} bounced?? ref {invoice}"),
    ("chat",
     "hey, it's {first}. my card {card} got swallowed by the atm, pls call me at {phone}"),
    ("chat",
     "customer: my email is {email} and my number is {phone}, can someone call me back today?"),
    ("chat",
     "agent: could you confirm the last transaction on account {acct}?\ncustomer: it was "
     "{price} at a supermarket on {date}"),
    ("chat",
     "user: i changed phones, new number {phone_intl}. old one was {phone}. thx"),
    ("chat",
     "{first}: the slack token {slack} is in the #payments channel topic, can we rotate it?"),
    ("chat",
     "ops-bot: login from new device for {email} from {ipv4} ({city}). If this wasn't you, "
     "reply STOP."),
    # -------------------------------------------------------------- CRM notes
    ("crm_note",
     "CRM note {date}: called {name} on {phone_de} about the overdue instalment. Promised "
     "payment by {date2}. Account {acct}."),
    ("crm_note",
     "Customer {name} visited the Utrecht branch. Updated address and phone ({phone_nl}). "
     "Wants paper statements. Customer number {acct}."),
    ("crm_note",
     "Spoke with Ms {last} ({phone}); she confirmed the direct debit mandate for IBAN {iban}. "
     "Next review {date}."),
    ("crm_note",
     "Prospect {name}, {email}, interested in the premium card. Follow up on {date}. "
     "Referral from {name2}."),
    ("crm_note",
     "Complaint logged for acct {acct_compact}: fee of {price} charged after the account was "
     "closed. Contact the customer at {email}."),
    ("crm_note",
     "Fraud alert reviewed: card {card} used from IP {ip} in {city}, amount {price}. "
     "Cardholder {name}, mobile {phone}. Card blocked, new card ordered."),
    ("crm_note",
     "Customer {name} asked to change the payout account from {iban} to {iban2}. Verified by "
     "callback on {phone}."),
    # -------------------------------------------------------------- KYC notes
    ("kyc_note",
     "KYC review: applicant {name}, born {dob}, SSN {ssn}. Residential address verified with a "
     "utility bill. Source of funds: salary. Contact {email}."),
    ("kyc_note",
     "EDD memo: {name} holds accounts at two banks ({iban} and {iban2}). Source of wealth: "
     "sale of a company in {year}. Phone on file {phone_intl}."),
    ("kyc_note",
     "Periodic review {date}: customer {name}, SSN {ssn}, US person for FATCA. Email {email}, "
     "phone {phone_us}. No adverse media."),
    ("kyc_note",
     "Onboarding check failed: IBAN {iban_bad} supplied by {name} does not pass validation. "
     "Requested a bank statement. Case {case}."),
    ("kyc_note",
     "W-9 received from {name}; SSN {ssn_plain} does not match the name on IRS records. "
     "Asked the customer to confirm."),
    ("kyc_note",
     "Verification call with {name} on {phone}: confirmed date of birth {dob} and the last "
     "four digits of SSN {ssn}."),
    ("kyc_note",
     "Tax form 1099-INT mailed to {name}, TIN {ssn}, for interest of {price} in {year}."),
    ("crm_note",
     "Identity theft report: {name} says someone used SSN {ssn} to open a credit card at "
     "another bank. Our card {card} is not affected. Callback {phone_us}."),
    ("support_ticket",
     "{name} wants to open a US checking account; provided SSN {ssn} and phone {phone_us}. "
     "ID scan pending, ticket {ticket}."),
    ("support_ticket",
     "Chargeback on card {card}: the merchant billed {price} twice on {date}. Cardholder "
     "{name}, {email}."),
    ("chat",
     "can you put the deposit on my card {card}? expiry {expiry}, the name on it is {name}"),
    # -------------------------------------------------------------- HR / payroll
    ("hr_note",
     "Payroll change for employee {name} (SSN {ssn}): new bank account {iban}, effective "
     "{date}. Approved by {name2}."),
    ("hr_note",
     "New joiner {name} starts on {date}. Work email {work_email}, mobile {phone}. Laptop "
     "asset tag {asset}."),
    ("hr_note",
     "Benefits enrolment for {name}: SSN {ssn}, dependant {name2}, plan start {date}."),
    ("log",
     "{timestamp} WARN loan-api validation failed field=ssn value={ssn} applicant={uuid}"),
    ("hr_note",
     "Expense report {expense} from {name} totals {price}; reimburse to {iban} within ten "
     "working days."),
    # -------------------------------------------------------------- logs
    ("log",
     "{timestamp} WARN auth-service login failed user={email} src_ip={ipv4} attempts=5"),
    ("log",
     '{ipv4} - - [{clf_time}] "GET /api/v2/accounts/{acct} HTTP/1.1" 401 512 "-" '
     '"okhttp/4.12.0"'),
    ("log",
     "sshd[2231]: Accepted publickey for deploy from {ipv6} port 51234 ssh2"),
    ("log",
     '{"ts":"{timestamp}","level":"info","event":"login","user":"{email}","ip":"{ip}",'
     '"request_id":"{uuid}"}'),
    ("log",
     "{timestamp} ERROR payments-worker charge failed card={card} amount={price} "
     "trace={uuid}"),
    ("log",
     "{timestamp} INFO gateway upstream={ipv4}:8443 latency_ms=231 build={sha}"),
    ("log",
     "kernel: [UFW BLOCK] IN=eth0 SRC={ipv4} DST={ipv4b} PROTO=TCP SPT=51522 DPT=22 "
     "MAC={mac}"),
    ("log",
     "{timestamp} DEBUG client ip={ipv6} user_agent=Mozilla/5.0 session={uuid}"),
    ("log",
     "snmpd: trap from {ipv4} oid {oid} value 3 at {timestamp}"),
    ("log",
     "{timestamp} WARN kyc-api slow response for customer {acct} from {ip} (2.4 s)"),
    # -------------------------------------------------------------- secrets in code/config
    ("config",
     "# payments-service .env\nDATABASE_URL=postgres://app@db.internal:5432/payments\n"
     "STRIPE_SECRET_KEY={stripe}\nLOG_LEVEL=info"),
    ("code",
     'client = OpenAI(api_key="{openai}")  # TODO move this to the vault'),
    ("config",
     "[default]\naws_access_key_id = {aws}\naws_secret_access_key = {aws_secret}\n"
     "region = eu-central-1"),
    ("chat",
     "CI failed with 401 on the release job, token used was {github}. Did someone revoke it?"),
    ("code",
     "curl -s [[URL|https://api.internal.northwind.eu/v1/me]] -H 'Authorization: Bearer {jwt}'"),
    ("chat",
     "Here's the key from the old bastion, can you convert it to PKCS#8?\n{pem}"),
    ("config",
     "maps:\n  provider: google\n  api_key: {google}\n  retries: 3"),
    ("chat",
     "The govroute key for the staging gateway is {govroute}, please don't share it outside "
     "the team."),
    ("support_ticket",
     "New hire setup for {name}: username {username}, temporary password: {password}. It "
     "must be changed at first login."),
    ("config",
     "db:\n  host: {ipv4}\n  user: reporting\n  password: {password}\n  port: 5432"),
    ("code",
     "headers = {'Authorization': 'Bearer {opaque}', 'Accept': 'application/json'}"),
    ("config",
     "oauth:\n  client_id: northwind-portal\n  client_secret: {opaque}\n  redirect: "
     "[[URL|https://portal.northwind.eu/cb]]"),
    ("chat",
     "FYI the Slack webhook for alerts is {slack_webhook} if you need it for the new "
     "dashboard."),
    ("code",
     "export OPENAI_API_KEY={openai}\npython scripts/summarise.py --input {path}"),
    ("config",
     "stripe:\n  publishable: pk_live_{pub}\n  restricted: {stripe}\n  webhook_tolerance: 300"),
    ("chat",
     "Found in git history (commit {sha}): AWS key {aws}. Rotated on {date}, please "
     "confirm nothing else uses it."),
    ("code",
     'const gh = new Octokit({ auth: "{github}" });'),
    # -------------------------------------------------------------- EU-language texts
    ("email_de",
     "Sehr geehrte Frau {last},\n\nbitte überweisen Sie den Betrag von {price} auf das Konto "
     "{iban_de}. Bei Fragen erreichen Sie uns unter {phone_de}.\n\nMit freundlichen Grüßen\n"
     "{agent}"),
    ("email_fr",
     "Bonjour {first},\n\nvotre carte a été bloquée par précaution. Merci de nous rappeler au "
     "{phone_fr} ou d'écrire à {email}.\n\nCordialement,\n{agent}"),
    ("email_nl",
     "Beste {first},\n\nuw nieuwe rekeningnummer is {iban_nl}. U kunt ons bellen op "
     "{phone_nl}.\n\nMet vriendelijke groet,\n{agent}"),
    ("kyc_note_nl",
     "Klant {name}, geboren {dob}, IBAN {iban_nl}, telefoon {phone_nl}. Identiteit "
     "gecontroleerd, geen bijzonderheden."),
    ("kyc_note_fr",
     "Client {name}, IBAN {iban_fr}, tél. {phone_fr}. Justificatif de domicile reçu le "
     "{date}."),
    ("email_es",
     "Estimado/a {name}:\n\nsu tarjeta {card} ha sido bloqueada. Para desbloquearla llame al "
     "{phone_intl} o escriba a {role_email}.\n\nAtentamente,\n{agent}"),
    ("crm_note_de",
     "Rückruf bei {name} unter {phone_de}: Kunde bestätigt die Lastschrift von {price} "
     "auf {iban_de}. Kundennummer {acct}."),
    # -------------------------------------------------------------- mostly hard negatives
    ("release_note",
     "Release {version} fixes the rounding bug in invoice {invoice}; build {sha}, request "
     "id {uuid}. Deployed on {date} at {time}."),
    ("catalogue",
     "Price list updated on {date}: premium plan {price}, business plan {price2}. ISBN of "
     "the handbook: {isbn}. Order code {order}."),
    ("procurement",
     "PO {po} approved for {price}. Supplier contact {name}, {phone_uk}. Delivery by {date}."),
    ("support_ticket",
     "Please reset MFA for {username}; last successful login from {ipv6} on {date} at {time}."),
    ("sms",
     "Northwind: your verification code is {otp}. Never share it with anyone. If this wasn't "
     "you, call {phone}."),
    ("log",
     "{timestamp} INFO batch {uuid} processed 1,204 records in {duration}; next run {date}."),
]  # fmt: skip

# ---------------------------------------------------------------------------- hand-written
# Tricky cases, written out in full. Checksummed values were generated once with the
# functions in make_corpus.py and pasted here.

HANDWRITTEN: list[tuple[str, str]] = [
    # ------------------------------------------------------------------ email
    ("chat", "mail me at [[EMAIL_ADDRESS|j.smith+invoices@brightline.co.uk]], not the old one."),
    ("email", "Contact: <[[EMAIL_ADDRESS|Anna.deVries@Northwind-Bank.EU]]>"),
    ("email", "Please write to [[EMAIL_ADDRESS|privacy@northwind.com]]."),
    ("chat", "You can reach me at john dot smith at gmail dot com"),
    ("support_ticket",
     "Customer typed [[EMAIL_ADDRESS|maria.garcia@telefonica.net]]; the bounce says the mailbox "
     "is full."),
    ("email", "mailto:[[EMAIL_ADDRESS|hugo.lefevre@orange.fr]]?subject=Statement"),
    ("email", "Reply-To: [[EMAIL_ADDRESS|ops-alerts@mail.stadtwerke-essen.de]]"),
    ("chat", "my address is [[EMAIL_ADDRESS|müller.jonas@web.de]] with the umlaut"),
    ("email", "cc: [[EMAIL_ADDRESS|f.okafor@acme-consulting.de]], "
     "[[EMAIL_ADDRESS|k.mensah@acme-consulting.de]]"),
    ("support_ticket",
     "The email on file, [[EMAIL_ADDRESS|l.rossi@libero.it]], is outdated (customer since "
     "[[~date|2011]])."),
    ("chat", "not an email: user@localhost and admin@intranet are internal aliases"),
    ("code", "git log --author='[[EMAIL_ADDRESS|priya.sharma@northwind.com]]' --since=2.weeks"),
    # ------------------------------------------------------------------ phone
    ("email", "Call me on [[PHONE_NUMBER|+44 (0)20 7946 0958]] after 5pm."),
    ("email", "Tel. [[PHONE_NUMBER|+49 (0)89 2180 4321]] | Fax [[PHONE_NUMBER|+49 (0)89 2180 4300]]"),
    ("chat", "bel me op [[PHONE_NUMBER|06-12345678]] als het kan"),
    ("chat", "mijn nummer is [[PHONE_NUMBER|+31 6 4321 8765]]"),
    ("support_ticket", "Customer's phone: [[PHONE_NUMBER|(415) 555-0132]] ext. 204"),
    ("email", "Appelez le [[PHONE_NUMBER|01 44 55 66 77]] ou le [[PHONE_NUMBER|06 12 34 56 78]]."),
    ("chat", "ring me on [[PHONE_NUMBER|07923 481116]] tomorrow"),
    ("email", "Hotline [[PHONE_NUMBER|0800 123 4567]] (free from UK landlines)"),
    ("crm_note", "Called [[PHONE_NUMBER|+1-646-555-0187]], left voicemail."),
    ("support_ticket", "Ticket [[~ticket_id|4481-2290-17]] created from call on "
     "[[~date|2024-06-03]]."),
    ("procurement", "SAP PO [[~po_number|4500012345]] released; vendor no. "
     "[[~vendor_number|100234]]."),
    ("log", "pid 30122 exited with code 137 after [[~duration|1712345678]] ms"),
    ("chat", "whatsapp me: [[PHONE_NUMBER|+34 612 345 678]]"),
    ("email", "Tel: [[PHONE_NUMBER|+41 44 668 18 00]] (Zurich desk)"),
    # ------------------------------------------------------------------ cards
    ("support_ticket", "Card number [[CREDIT_CARD|4111111111111111]], exp 09/27, CVV 123."),
    ("support_ticket", "Amex [[CREDIT_CARD|3782 822463 10005]] was charged twice."),
    ("chat", "card is [[CREDIT_CARD|5555-5555-5555-4444]] pls check"),
    ("support_ticket", "Masked card **** **** **** 4242 used at the kiosk."),
    ("support_ticket", "Customer gave [[~luhn_invalid_card|4532 7153 3790 1242]] but our "
     "validator says it is not a valid card."),
    ("catalogue", "Amazon order [[~order_number|112-3456789-1234567]] arrived damaged."),
    ("support_ticket", "Visa [[CREDIT_CARD|4000 0566 5566 5556]] expired last month."),
    ("chat", "Discover card [[CREDIT_CARD|6011 0009 9013 9424]] declined at the pump"),
    ("support_ticket", "JCB [[CREDIT_CARD|3566002020360505]] used in Osaka."),
    ("chat", "diners [[CREDIT_CARD|3056 9309 0259 04]] is the corporate card"),
    ("catalogue", "ISBN [[~isbn|978-0-306-40615-7]] (paperback), ISBN [[~isbn|0-306-40615-2]]."),
    # ------------------------------------------------------------------ IBAN
    ("email", "IBAN: [[IBAN_CODE|de89370400440532013000]] (typed in lower case by the customer)"),
    ("email", "Please pay to [[IBAN_CODE|GB29 NWBK 6016 1331 9268 19]], reference INV-2291."),
    ("email", "Rekening [[IBAN_CODE|NL91ABNA0417164300]] t.n.v. Stichting De Brug"),
    ("kyc_note", "Old IBAN [[~invalid_iban|DE89 3704 0044 0532 0130 01]] failed the checksum; "
     "new one [[IBAN_CODE|DE89 3704 0044 0532 0130 00]] is fine."),
    ("email", "Coordonnées bancaires : [[IBAN_CODE|FR14 2004 1010 0505 0001 3M02 606]]"),
    ("email", "BIC NWBKGB2L, sort code 60-16-13, account 31926819"),
    ("support_ticket", "IBAN [[IBAN_CODE|CH93 0076 2011 6238 5295 7]] for the Zurich "
     "supplier."),
    # ------------------------------------------------------------------ SSN
    ("kyc_note", "SSN: [[US_SSN|536 22 8841]] per the W-2."),
    ("kyc_note", "Social Security Number [[US_SSN|412776503]] appears on two applications."),
    ("kyc_note", "Placeholder SSN [[~invalid_ssn|000-12-3456]] must be replaced before filing."),
    ("hr_note", "Employee ID [[~employee_id|900-12-3456]] (internal numbering, not an SSN)."),
    ("kyc_note", "ssn [[US_SSN|529-41-7736]] verified via e-Verify."),
    # ------------------------------------------------------------------ IP
    ("log", "upstream [[IP_ADDRESS|10.20.30.40]]:8080 timed out"),
    ("log", "client [[[IP_ADDRESS|2001:db8::42]]]:8443 closed the connection"),
    ("config", "allowlist: [[IP_ADDRESS|192.168.0.0]]/16, [[IP_ADDRESS|172.16.5.4]]"),
    ("log", "listening on [[IP_ADDRESS|::1]] port 5432"),
    ("log", "ipv4-mapped peer [[IP_ADDRESS|::ffff:198.51.100.23]] connected"),
    ("log", "link-local [[IP_ADDRESS|fe80::1ff:fe23:4567:890a]] on eth0"),
    ("log", "switch port 12 learned MAC [[~mac_address|3c:22:fb:1a:09:7e]]"),
    ("release_note", "Upgrade from [[~version|4.18.2]] to [[~version|4.19.0]] (build "
     "[[~version|4.19.0.1107]])."),
    ("log", "SNMP OID [[~oid|1.3.6.1.4.1.311.21.7]] polled every 60 s"),
    ("log", "time synced, drift [[~time|00:00:01.250]] at [[~time|12:30:45]]"),
    # ------------------------------------------------------------------ secrets
    ("code", "export GITHUB_TOKEN=[[API_KEY|ghp_R2m8XwQ1bL7nK0pZ4cV9sT6yH3jF5dA8eG1u]]"),
    ("config", '{"username": "svc-report", "password": "[[API_KEY|Winter2024!Safe]]"}'),
    ("config", "password: ********"),
    ("config", "Password: (see the team vault)"),
    ("code", 'api_key = os.environ["OPENAI_API_KEY"]'),
    ("code", "token = get_secret('prod/payments/stripe')"),
    ("chat", "the password reset link expires after 30 minutes"),
    ("code", "SECRET_KEY = settings.DJANGO_SECRET_KEY_FROM_ENV"),
    ("code", "AWS_ACCESS_KEY_ID=[[API_KEY|AKIA4QX7Z2LMN8PRT5VW]] aws s3 ls"),
    ("chat", "use this one: [[API_KEY|sk-proj-3xT9qLmV7bN2cR8kW4zP1sY6hJ0dF5gA_uE-oI]]"),
    ("config", "SLACK_BOT_TOKEN=[[API_KEY|xoxb-2748193650-5830192746-kP3mQ9vX2nL8sR4tZ7wY1bC6]]"),
    ("code", "requests.get(url, headers={'x-api-key': '[[API_KEY|f3Kx9Qm2Lp7Vr4Tz8Wn1Yb6Cd0]]'})"),
    ("config", "uuid: [[~uuid|3f2504e0-4f89-11d3-9a0c-0305e82c3301]]"),
    ("release_note", "commit [[~git_sha|9fceb02d0ae598e95dc970b74767f19372d61af8]] reverted"),
    ("chat", "the demo key [[API_KEY|gr_demo_eu_analyst_7yv3K_rT96Ry0XZC]] only works locally"),
    ("config", "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ3p8\n-----END CERTIFICATE-----"),
    # ------------------------------------------------------------------ account numbers
    ("chat", "Northwind account [[ACCOUNT_NUMBER|NW-4471902215]] is the joint one."),
    ("chat", "acct [[ACCOUNT_NUMBER|nw-5583920147]] (typed in lower case)"),
    ("chat", "ref NW-12345 is a ticket, not an account"),
    ("crm_note", "customer number [[ACCOUNT_NUMBER|NW9904417721]] merged into "
     "[[ACCOUNT_NUMBER|NW-9904417722]]"),
    # ------------------------------------------------------------------ obfuscated
    ("chat", "mail jo\u200bhn.ke\u200clly@gma\u2060il.com please"),
    ("chat", "card \uff14\uff15\uff13\uff12 \uff10\uff11\uff15\uff11 \uff11\uff12\uff18\uff13 "
     "\uff10\uff13\uff16\uff16 thanks"),
    ("chat", "contact: anna@n\u043erthwind-b\u0430nk.eu"),
    ("chat", "call +44\u00a07923\u00a0481\u00a0116 tonight"),
    ("chat", "email\uff1a peter\uff20ziggo.nl"),
    ("chat", "IBAN DE89\u00ad3704\u00ad0044\u00ad0532\u00ad0130\u00ad00"),
    ("chat", "ssn 536\u200b-22\u200b-8841"),
    # ------------------------------------------------------------------ persons
    ("email", "Dear Mrs. [[PERSON|Okafor]], thank you for your patience."),
    ("chat", "hi its [[PERSON|ahmed]] from accounts"),
    ("crm_note", "Spoke to [[PERSON|MARTA KOWALSKI]] (all caps in the old system)."),
    ("email", "Best regards,\n[[PERSON|Siobhán Ní Bhriain]]\nHead of Treasury"),
    ("chat", "[[PERSON|Wei Chen]] and [[PERSON|Olumide Adeyemi]] joined the call late"),
    ("crm_note", "Will call back on Monday; Grace period ends in May."),
    ("crm_note", "Customer [[PERSON|Jean-Baptiste Moreau]] prefers French."),
    ("email", "Regards, Dr. [[PERSON|Henrik Lindqvist]]"),
]  # fmt: skip

# Obfuscated entities in HANDWRITTEN above are written with escapes and no markup; each
# is labelled here as (entity type, original substring), found in the text that holds it.
OBFUSCATED_SPANS: list[tuple[str, str]] = [
    ("EMAIL_ADDRESS", "jo\u200bhn.ke\u200clly@gma\u2060il.com"),
    (
        "CREDIT_CARD",
        "\uff14\uff15\uff13\uff12 \uff10\uff11\uff15\uff11 \uff11\uff12\uff18\uff13 "
        "\uff10\uff13\uff16\uff16",
    ),
    ("EMAIL_ADDRESS", "anna@n\u043erthwind-b\u0430nk.eu"),
    ("PHONE_NUMBER", "+44\u00a07923\u00a0481\u00a0116"),
    ("EMAIL_ADDRESS", "peter\uff20ziggo.nl"),
    ("IBAN_CODE", "DE89\u00ad3704\u00ad0044\u00ad0532\u00ad0130\u00ad00"),
    ("US_SSN", "536\u200b-22\u200b-8841"),
]
