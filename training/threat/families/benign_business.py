"""Benign business requests of every length: the traffic a firewall must pass.

Summaries, emails, SQL, spreadsheets, HR, finance, support and legal asks,
short or buried in 150-400 words of the same business prose the attacks hide
in (a third of them), so that length and context never mean "attack".
"""

from __future__ import annotations

from .family import Family
from .grammar import Bank, Rule


def _bank(templates: tuple[str, ...], **slots: tuple[str, ...]) -> Bank:
    return Bank(rules=(Rule(None, templates),), slots=slots)


_B = ("{task}", "{task} {detail}", "{context} {task}", "{context} {task} {detail}")

BUSINESS = {
    "en": _bank(
        _B,
        context=(
            "I have a meeting with {company} tomorrow.",
            "Our Q3 review is next week.",
            "{person} is out sick.",
            "We are migrating to {product}.",
            "The board wants a one-pager.",
            "A customer complained on Twitter.",
        ),
        task=(
            "Summarise the attached board pack in five bullets.",
            "Draft a polite reminder about the unpaid invoice.",
            "Write a SQL query that returns monthly revenue per region.",
            "Give me an Excel formula that sums column C when column A says 'paid'.",
            "Write a job ad for a part-time bookkeeper.",
            "Explain the difference between gross and net margin.",
            "Help me answer a customer who received a damaged parcel.",
            "What should a standard NDA include?",
            "Turn these notes into minutes with owners and deadlines.",
            "Suggest agenda items for a team offsite.",
            "Translate this paragraph into Spanish for our Madrid office.",
            "Prepare five interview questions for a project manager.",
            "Write an out-of-office message for the holidays.",
            "Compare leasing and buying company cars in a short table.",
            "Rewrite this policy paragraph in plain English.",
            "Estimate how long a data migration of 2 TB usually takes.",
            "Draft a LinkedIn post announcing our new office.",
            "Create a pivot table plan for the sales data.",
            "What are the notice periods under a typical employment contract?",
            "Write a short apology for the outage yesterday.",
        ),
        detail=(
            "Keep it under 200 words.",
            "Use a friendly tone.",
            "Make it formal.",
            "Add a subject line.",
            "Use bullet points.",
            "Assume a UK audience.",
            "Include a call to action.",
        ),
    ),
    "fr": _bank(
        _B,
        context=(
            "J'ai une réunion avec {company} demain.",
            "{person} est absent.",
            "Nous migrons vers {product}.",
        ),
        task=(
            "Résume le dossier du conseil en cinq points.",
            "Rédigez une relance polie pour une facture impayée.",
            "Écris une requête SQL du chiffre d'affaires mensuel par région.",
            "Donne-moi une formule Excel qui additionne la colonne C si A vaut « payé ».",
            "Rédige une offre d'emploi pour un comptable à temps partiel.",
            "Expliquez la différence entre marge brute et marge nette.",
            "Aide-moi à répondre à un client qui a reçu un colis abîmé.",
            "Transforme ces notes en compte rendu avec responsables et échéances.",
        ),
        detail=("Moins de 200 mots.", "Ton cordial.", "Ajoute un objet.", "En puces."),
    ),
    "de": _bank(
        _B,
        context=(
            "Ich habe morgen einen Termin mit {company}.",
            "{person} ist krank.",
            "Wir migrieren auf {product}.",
        ),
        task=(
            "Fasse die Vorstandsunterlagen in fünf Punkten zusammen.",
            "Formulieren Sie eine höfliche Zahlungserinnerung.",
            "Schreib eine SQL-Abfrage für den Monatsumsatz pro Region.",
            "Gib mir eine Excel-Formel, die Spalte C summiert, wenn in A „bezahlt“ steht.",
            "Schreib eine Stellenanzeige für eine Buchhaltungskraft in Teilzeit.",
            "Erklären Sie den Unterschied zwischen Brutto- und Nettomarge.",
            "Hilf mir, einem Kunden mit beschädigtem Paket zu antworten.",
            "Mach aus diesen Notizen ein Protokoll mit Verantwortlichen und Fristen.",
        ),
        detail=("Unter 200 Wörtern.", "Freundlicher Ton.", "Mit Betreffzeile.", "In Stichpunkten."),
    ),
    "es": _bank(
        _B,
        context=(
            "Mañana tengo reunión con {company}.",
            "{person} está de baja.",
            "Estamos migrando a {product}.",
        ),
        task=(
            "Resume el dossier del consejo en cinco puntos.",
            "Redacte un recordatorio amable de una factura impagada.",
            "Escribe una consulta SQL con los ingresos mensuales por región.",
            "Dame una fórmula de Excel que sume la columna C si A dice «pagado».",
            "Escribe una oferta de empleo para un contable a media jornada.",
            "Explique la diferencia entre margen bruto y neto.",
            "Ayúdame a responder a un cliente que recibió un paquete dañado.",
            "Convierte estas notas en un acta con responsables y plazos.",
        ),
        detail=("Menos de 200 palabras.", "Tono cercano.", "Añade un asunto.", "En viñetas."),
    ),
    "it": _bank(
        _B,
        context=(
            "Domani ho una riunione con {company}.",
            "{person} è in malattia.",
            "Stiamo migrando a {product}.",
        ),
        task=(
            "Riassumi il dossier del consiglio in cinque punti.",
            "Scriva un sollecito cortese per una fattura non pagata.",
            "Scrivi una query SQL con il fatturato mensile per regione.",
            "Dammi una formula Excel che somma la colonna C se A dice «pagato».",
            "Scrivi un annuncio per un contabile part-time.",
            "Spieghi la differenza tra margine lordo e netto.",
            "Aiutami a rispondere a un cliente che ha ricevuto un pacco danneggiato.",
            "Trasforma questi appunti in un verbale con responsabili e scadenze.",
        ),
        detail=("Meno di 200 parole.", "Tono cordiale.", "Aggiungi un oggetto.", "Per punti."),
    ),
    "pt": _bank(
        _B,
        context=(
            "Amanhã tenho reunião com a {company}.",
            "{person} está doente.",
            "Estamos migrando para {product}.",
        ),
        task=(
            "Resuma o dossiê do conselho em cinco tópicos.",
            "Redija um lembrete educado sobre uma fatura em atraso.",
            "Escreve uma consulta SQL com a receita mensal por região.",
            'Me dá uma fórmula de Excel que soma a coluna C quando A diz "pago".',
            "Escreva um anúncio de vaga para um contador em meio período.",
            "Explique a diferença entre margem bruta e líquida.",
            "Ajude-me a responder a um cliente que recebeu um pacote danificado.",
            "Transforme estas notas em ata com responsáveis e prazos.",
        ),
        detail=("Menos de 200 palavras.", "Tom simpático.", "Inclua um assunto.", "Em tópicos."),
    ),
    "nl": _bank(
        _B,
        context=(
            "Ik heb morgen een afspraak met {company}.",
            "{person} is ziek.",
            "We migreren naar {product}.",
        ),
        task=(
            "Vat de stukken voor de raad samen in vijf punten.",
            "Schrijft u een vriendelijke herinnering voor een openstaande factuur.",
            "Schrijf een SQL-query met de maandomzet per regio.",
            "Geef me een Excel-formule die kolom C optelt als in A 'betaald' staat.",
            "Schrijf een vacaturetekst voor een parttime boekhouder.",
            "Leg het verschil tussen bruto- en nettomarge uit.",
            "Help me een klant te antwoorden die een beschadigd pakket kreeg.",
            "Maak van deze aantekeningen notulen met eigenaren en deadlines.",
        ),
        detail=(
            "Onder de 200 woorden.",
            "Vriendelijke toon.",
            "Met onderwerpregel.",
            "In opsommingstekens.",
        ),
    ),
    "pl": _bank(
        _B,
        context=(
            "Jutro mam spotkanie z {company}.",
            "{person} jest na zwolnieniu.",
            "Migrujemy na {product}.",
        ),
        task=(
            "Streść materiały dla zarządu w pięciu punktach.",
            "Proszę napisać uprzejme przypomnienie o nieopłaconej fakturze.",
            "Napisz zapytanie SQL z miesięcznym przychodem według regionu.",
            "Podaj formułę Excela, która sumuje kolumnę C, gdy w A jest „zapłacone”.",
            "Napisz ogłoszenie o pracy dla księgowego na pół etatu.",
            "Proszę wyjaśnić różnicę między marżą brutto a netto.",
            "Pomóż mi odpisać klientowi, który dostał uszkodzoną paczkę.",
            "Zrób z tych notatek protokół z osobami odpowiedzialnymi i terminami.",
        ),
        detail=("Poniżej 200 słów.", "Przyjazny ton.", "Dodaj temat.", "W punktach."),
    ),
    "hi": _bank(
        _B,
        context=(
            "कल {company} के साथ मीटिंग है।",
            "{person} आज छुट्टी पर हैं।",
            "हम {product} पर माइग्रेट कर रहे हैं।",
        ),
        task=(
            "बोर्ड पैक का पाँच बिंदुओं में सारांश दो।",
            "बकाया बिल के लिए एक विनम्र रिमाइंडर लिखिए।",
            "हर क्षेत्र की मासिक आय निकालने वाली SQL क्वेरी लिखो।",
            "ऐसा Excel फ़ॉर्मूला बताओ जो कॉलम A में 'paid' होने पर कॉलम C जोड़े।",
            "पार्ट-टाइम अकाउंटेंट के लिए नौकरी का विज्ञापन लिखो।",
            "ग्रॉस और नेट मार्जिन का फ़र्क समझाइए।",
            "टूटा पार्सल पाने वाले ग्राहक को जवाब देने में मदद करो।",
            "इन नोट्स को ज़िम्मेदार लोगों और समय-सीमा के साथ मिनट्स में बदलो।",
        ),
        detail=("200 शब्दों से कम।", "दोस्ताना लहजा।", "एक विषय पंक्ति जोड़ो।", "बुलेट पॉइंट में।"),
    ),
    "th": _bank(
        _B,
        context=("พรุ่งนี้มีประชุมกับ {company}", "คุณ{person}ลาป่วย", "เรากำลังย้ายไปใช้ {product}"),
        task=(
            "สรุปเอกสารประชุมคณะกรรมการเป็นห้าข้อ",
            "ร่างอีเมลทวงถามใบแจ้งหนี้ค้างชำระแบบสุภาพ",
            "เขียน SQL หารายได้รายเดือนแยกตามภูมิภาค",
            "ขอสูตร Excel ที่รวมคอลัมน์ C เมื่อคอลัมน์ A เขียนว่า 'paid'",
            "เขียนประกาศรับสมัครพนักงานบัญชีพาร์ตไทม์",
            "อธิบายความต่างระหว่างกำไรขั้นต้นกับกำไรสุทธิ",
            "ช่วยตอบลูกค้าที่ได้รับพัสดุเสียหาย",
            "แปลงโน้ตนี้เป็นรายงานการประชุมพร้อมผู้รับผิดชอบและกำหนดเวลา",
        ),
        detail=("ไม่เกิน 200 คำ", "น้ำเสียงเป็นมิตร", "ใส่หัวเรื่องด้วย", "เป็นข้อ ๆ"),
    ),
    "ja": _bank(
        ("{task}", "{task}{detail}", "{context}{task}", "{context}{task}{detail}"),
        context=(
            "明日{company}と打ち合わせがあります。",
            "{person}さんが病欠です。",
            "{product}への移行中です。",
        ),
        task=(
            "取締役会資料を5つの要点にまとめて。",
            "未払い請求書の丁寧な督促メールを書いてください。",
            "地域別の月次売上を出すSQLを書いて。",
            "A列が「支払済」のときC列を合計するExcel関数を教えて。",
            "パートの経理スタッフの求人票を書いて。",
            "粗利益率と純利益率の違いを説明してください。",
            "破損した荷物が届いたお客様への返信を手伝って。",
            "このメモを担当者と期限付きの議事録にして。",
        ),
        detail=("200字以内で。", "親しみやすい口調で。", "件名も付けて。", "箇条書きで。"),
    ),
    "zh": _bank(
        ("{task}", "{task}{detail}", "{context}{task}", "{context}{task}{detail}"),
        context=("明天要和{company}开会。", "{person}今天请病假。", "我们正在迁移到{product}。"),
        task=(
            "把董事会材料总结成五个要点。",
            "写一封催缴欠款发票的礼貌提醒。",
            "写一个按地区统计月收入的SQL查询。",
            "给我一个Excel公式：A列为“已付”时汇总C列。",
            "写一则兼职会计的招聘启事。",
            "请解释毛利率和净利率的区别。",
            "帮我回复一位收到破损包裹的客户。",
            "把这些笔记整理成带负责人和截止日期的会议纪要。",
        ),
        detail=("200字以内。", "语气友好。", "加上邮件主题。", "用要点列出。"),
    ),
}

FAMILY = Family(name="benign_business", label="benign", banks=BUSINESS, bury_rate=0.18)
