"""Ordinary business prose in every language, to carry attacks and look-alikes.

Attacks hidden in long text and benign long requests are built from the same
sentences, so length and business vocabulary say nothing about the label.
Sentences hold slots (company, person, figure, date, product) that the shared
`SLOTS` fill.
"""

from __future__ import annotations

import random
import re

from .grammar import expand, tidy

LANGS = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "hi", "th", "ja", "zh")

_NAMES = (
    "Anna Kowalski",
    "Marc Dubois",
    "Jonas Becker",
    "Lucía Romero",
    "Giulia Ferri",
    "João Almeida",
    "Sanne de Vries",
    "Piotr Nowak",
    "Priya Sharma",
    "Somchai Chaiyaporn",
    "Yuki Tanaka",
    "Li Wei",
    "Omar Haddad",
    "Fatima Diallo",
    "Erik Lindqvist",
    "Chen Jing",
)
_COMPANIES = (
    "Northwind",
    "Alder & Finch",
    "Contoso",
    "Brightline Logistics",
    "Helvetia Foods",
    "Kestrel Bank",
    "Orbis Health",
    "Vantora",
    "Medlane",
    "Rivergate Insurance",
    "Solvik",
)
_PERCENTS = ("3.2%", "12%", "4%", "7.5%", "17.5%", "2%", "9%", "41%", "0.8%", "23%")
# Product names, not descriptions, so that they read the same in every language.
_PRODUCTS = (
    "SAP",
    "Salesforce",
    "Jira",
    "ServiceNow",
    "Workday",
    "SharePoint",
    "Oracle EBS",
    "HubSpot",
    "Zendesk",
    "Dynamics 365",
    "Confluence",
    "Snowflake",
)

SENTENCES: dict[str, tuple[str, ...]] = {
    "en": (
        "The new expense tool goes live for all departments on the 1st.",
        "{person} is on parental leave until September; please contact the team mailbox.",
        "We agreed to move the quarterly review to the second week of {day}.",
        "Freight costs fell by {pct} after we consolidated the shipments.",
        "The legal team flagged two clauses in the {company} draft.",
        "Please book meeting rooms through the new calendar, not by email.",
        "Revenue for the quarter came in at {pct} above plan, mostly from renewals.",
        "{person} will present the updated budget at Thursday's steering meeting.",
        "The migration of {product} is scheduled for the weekend of the {day}th.",
        "Please note that travel expenses must be filed within 30 days.",
        "Customer satisfaction dropped by {pct} after the last release.",
        "{company} asked us to extend the contract by another twelve months.",
        "The audit team found no material issues in the procurement process.",
        "We still need sign-off from legal before the offer goes out.",
        "Onboarding for the new hires starts on Monday at 9:00 in room 4B.",
        "Support tickets about {product} doubled compared with last month.",
        "The warehouse in Rotterdam reported {pct} fewer returns this year.",
        "Our supplier raised prices, so margins on the basic plan will shrink.",
        "Attached you will find the minutes of the last project review.",
        "The pilot with {company} ends in June, and we will decide on a rollout then.",
        "Headcount stays flat, but we are opening two roles in data engineering.",
        "Invoices above 10,000 need a second approver under the new policy.",
        "{person} has taken over the account from the previous manager.",
        "The forecast assumes an exchange rate of 1.08 for the rest of the year.",
    ),
    "fr": (
        "Le nouvel outil de notes de frais sera ouvert à tous les services le 1er.",
        "{person} est en congé parental jusqu'en septembre ; écrivez à la boîte de l'équipe.",
        "Les coûts de transport ont baissé de {pct} depuis le regroupement des envois.",
        "Le service juridique a relevé deux clauses dans le projet de {company}.",
        "Merci de réserver les salles via le nouveau calendrier et non par e-mail.",
        "La revue trimestrielle est décalée à la deuxième semaine du mois.",
        "Le chiffre d'affaires du trimestre dépasse le plan de {pct}, surtout grâce aux"
        " renouvellements.",
        "{person} présentera le budget révisé lors du comité de pilotage de jeudi.",
        "La migration de {product} est prévue le week-end du {day}.",
        "Les notes de frais doivent être déposées sous 30 jours.",
        "La satisfaction client a baissé de {pct} depuis la dernière version.",
        "{company} souhaite prolonger le contrat de douze mois.",
        "L'audit n'a relevé aucune anomalie significative dans les achats.",
        "Nous attendons encore la validation du service juridique avant d'envoyer l'offre.",
        "L'intégration des nouveaux arrivants commence lundi à 9 h, salle 4B.",
        "Les tickets concernant {product} ont doublé par rapport au mois dernier.",
        "Notre fournisseur a augmenté ses tarifs, la marge sur l'offre de base va diminuer.",
        "Vous trouverez ci-joint le compte rendu de la dernière revue de projet.",
        "Le pilote avec {company} se termine en juin ; nous déciderons alors du déploiement.",
        "Les factures de plus de 10 000 euros exigent désormais un second valideur.",
    ),
    "de": (
        "Das neue Spesentool geht am 1. für alle Abteilungen live.",
        "{person} ist bis September in Elternzeit; bitte wenden Sie sich an das Teampostfach.",
        "Die Frachtkosten sind nach der Bündelung der Sendungen um {pct} gesunken.",
        "Die Rechtsabteilung hat im Entwurf von {company} zwei Klauseln markiert.",
        "Besprechungsräume bitte über den neuen Kalender buchen, nicht per Mail.",
        "Das Quartalsreview verschiebt sich in die zweite Monatswoche.",
        "Der Quartalsumsatz lag {pct} über Plan, vor allem dank Vertragsverlängerungen.",
        "{person} stellt das überarbeitete Budget in der Lenkungsrunde am Donnerstag vor.",
        "Die Migration von {product} ist für das Wochenende um den {day}. geplant.",
        "Reisekosten müssen innerhalb von 30 Tagen eingereicht werden.",
        "Die Kundenzufriedenheit ist seit dem letzten Release um {pct} gesunken.",
        "{company} möchte den Vertrag um weitere zwölf Monate verlängern.",
        "Die Revision hat im Einkauf keine wesentlichen Mängel festgestellt.",
        "Vor dem Versand des Angebots brauchen wir noch die Freigabe der Rechtsabteilung.",
        "Das Onboarding der neuen Kolleginnen und Kollegen beginnt am Montag um 9 Uhr in Raum 4B.",
        "Die Tickets zu {product} haben sich gegenüber dem Vormonat verdoppelt.",
        "Unser Lieferant hat die Preise erhöht, daher sinkt die Marge im Basistarif.",
        "Im Anhang finden Sie das Protokoll des letzten Projekt-Reviews.",
        "Der Pilot mit {company} endet im Juni, danach entscheiden wir über den Rollout.",
        "Rechnungen über 10.000 Euro brauchen nach der neuen Richtlinie eine zweite Freigabe.",
    ),
    "es": (
        "La nueva herramienta de gastos estará disponible para todos los departamentos el día 1.",
        "{person} está de baja por paternidad hasta septiembre; escriba al buzón del equipo.",
        "Los costes de transporte bajaron un {pct} tras agrupar los envíos.",
        "El equipo legal marcó dos cláusulas en el borrador de {company}.",
        "Reserven las salas con el nuevo calendario, no por correo.",
        "La revisión trimestral pasa a la segunda semana del mes.",
        "La facturación del trimestre superó el plan en un {pct}, sobre todo por renovaciones.",
        "{person} presentará el presupuesto actualizado en el comité del jueves.",
        "La migración de {product} está prevista para el fin de semana del día {day}.",
        "Los gastos de viaje deben presentarse en un plazo de 30 días.",
        "La satisfacción de los clientes bajó un {pct} tras la última versión.",
        "{company} nos ha pedido ampliar el contrato otros doce meses.",
        "La auditoría no encontró incidencias relevantes en compras.",
        "Falta la aprobación del departamento legal antes de enviar la oferta.",
        "La incorporación del nuevo personal empieza el lunes a las 9:00 en la sala 4B.",
        "Los tickets sobre {product} se duplicaron respecto al mes pasado.",
        "El proveedor subió los precios, así que el margen del plan básico se reducirá.",
        "Adjunto el acta de la última revisión del proyecto.",
        "El piloto con {company} termina en junio y entonces decidiremos el despliegue.",
        "Las facturas de más de 10.000 euros necesitan un segundo aprobador.",
    ),
    "it": (
        "Il nuovo strumento per le note spese sarà attivo per tutti i reparti dal giorno 1.",
        "{person} è in congedo parentale fino a settembre; scrivete alla casella del team.",
        "I costi di trasporto sono scesi del {pct} dopo aver accorpato le spedizioni.",
        "L'ufficio legale ha segnalato due clausole nella bozza di {company}.",
        "Prenotate le sale con il nuovo calendario, non via email.",
        "La revisione trimestrale slitta alla seconda settimana del mese.",
        "Il fatturato del trimestre è stato superiore al piano del {pct}, grazie ai rinnovi.",
        "{person} presenterà il budget aggiornato al comitato di giovedì.",
        "La migrazione di {product} è prevista per il fine settimana del {day}.",
        "Le note spese vanno presentate entro 30 giorni.",
        "La soddisfazione dei clienti è calata del {pct} dopo l'ultimo rilascio.",
        "{company} ci ha chiesto di prorogare il contratto di altri dodici mesi.",
        "L'audit non ha rilevato criticità rilevanti negli acquisti.",
        "Prima di inviare l'offerta serve ancora il via libera dell'ufficio legale.",
        "L'inserimento dei nuovi assunti inizia lunedì alle 9 nella sala 4B.",
        "I ticket su {product} sono raddoppiati rispetto al mese scorso.",
        "Il fornitore ha aumentato i prezzi, quindi il margine sul piano base si ridurrà.",
        "In allegato trova il verbale dell'ultima revisione di progetto.",
        "Il pilota con {company} termina a giugno, poi decideremo sul rilascio.",
        "Le fatture oltre i 10.000 euro richiedono un secondo approvatore.",
    ),
    "pt": (
        "A nova ferramenta de despesas entra no ar para todos os departamentos no dia 1.",
        "{person} está de licença parental até setembro; escreva para a caixa da equipe.",
        "Os custos de frete caíram {pct} depois de juntarmos os envios.",
        "O jurídico apontou duas cláusulas na minuta da {company}.",
        "Reservem as salas pelo novo calendário, não por e-mail.",
        "A revisão trimestral passa para a segunda semana do mês.",
        "A receita do trimestre ficou {pct} acima do plano, sobretudo por renovações.",
        "{person} vai apresentar o orçamento revisto na reunião de quinta-feira.",
        "A migração de {product} está marcada para o fim de semana do dia {day}.",
        "As despesas de viagem devem ser submetidas no prazo de 30 dias.",
        "A satisfação dos clientes caiu {pct} depois da última versão.",
        "A {company} pediu para prolongar o contrato por mais doze meses.",
        "A auditoria não encontrou problemas relevantes nas compras.",
        "Ainda precisamos da aprovação do jurídico antes de enviar a proposta.",
        "A integração dos novos colaboradores começa na segunda às 9h, na sala 4B.",
        "Os chamados sobre {product} duplicaram em relação ao mês passado.",
        "O fornecedor aumentou os preços, por isso a margem do plano básico vai diminuir.",
        "Segue em anexo a ata da última revisão do projeto.",
        "O piloto com a {company} termina em junho e depois decidimos a implantação.",
        "Faturas acima de 10.000 euros precisam de um segundo aprovador.",
    ),
    "nl": (
        "De nieuwe declaratietool gaat op de 1e voor alle afdelingen live.",
        "{person} heeft tot september ouderschapsverlof; mail de teammailbox.",
        "De vrachtkosten daalden met {pct} nadat we de zendingen bundelden.",
        "Juridische zaken markeerde twee clausules in het concept van {company}.",
        "Boek vergaderzalen via de nieuwe agenda, niet per mail.",
        "De kwartaalreview schuift op naar de tweede week van de maand.",
        "De omzet over het kwartaal lag {pct} boven plan, vooral door verlengingen.",
        "{person} presenteert donderdag de bijgewerkte begroting in de stuurgroep.",
        "De migratie van {product} staat gepland voor het weekend van de {day}e.",
        "Reiskosten moeten binnen 30 dagen worden ingediend.",
        "De klanttevredenheid is na de laatste release met {pct} gedaald.",
        "{company} wil het contract met nog twaalf maanden verlengen.",
        "De audit heeft geen wezenlijke tekortkomingen in de inkoop gevonden.",
        "Voordat de offerte de deur uitgaat, moet juridische zaken nog akkoord geven.",
        "De onboarding van de nieuwe collega's begint maandag om 9 uur in zaal 4B.",
        "Het aantal tickets over {product} is verdubbeld ten opzichte van vorige maand.",
        "Onze leverancier heeft de prijzen verhoogd, dus de marge op het basispakket daalt.",
        "In de bijlage vindt u de notulen van de laatste projectreview.",
        "De pilot met {company} loopt in juni af; dan besluiten we over de uitrol.",
        "Facturen boven 10.000 euro hebben voortaan een tweede goedkeurder nodig.",
    ),
    "pl": (
        "Nowe narzędzie do rozliczeń wydatków startuje dla wszystkich działów 1. dnia miesiąca.",
        "{person} jest na urlopie rodzicielskim do września; proszę pisać na skrzynkę zespołu.",
        "Koszty transportu spadły o {pct} po połączeniu wysyłek.",
        "Dział prawny zaznaczył dwie klauzule w projekcie {company}.",
        "Sale rezerwujcie w nowym kalendarzu, nie mailowo.",
        "Przegląd kwartalny przesuwa się na drugi tydzień miesiąca.",
        "Przychody w kwartale były o {pct} wyższe od planu, głównie dzięki odnowieniom.",
        "{person} przedstawi zaktualizowany budżet na czwartkowym komitecie sterującym.",
        "Migracja {product} jest zaplanowana na weekend {day}.",
        "Koszty podróży należy rozliczyć w ciągu 30 dni.",
        "Zadowolenie klientów spadło o {pct} po ostatnim wydaniu.",
        "{company} poprosiła o przedłużenie umowy o kolejne dwanaście miesięcy.",
        "Audyt nie wykazał istotnych nieprawidłowości w zakupach.",
        "Przed wysłaniem oferty potrzebujemy jeszcze akceptacji działu prawnego.",
        "Wdrożenie nowych pracowników zaczyna się w poniedziałek o 9:00 w sali 4B.",
        "Liczba zgłoszeń dotyczących {product} podwoiła się w porównaniu z zeszłym miesiącem.",
        "Dostawca podniósł ceny, więc marża na pakiecie podstawowym spadnie.",
        "W załączniku przesyłam protokół z ostatniego przeglądu projektu.",
        "Pilotaż z {company} kończy się w czerwcu, wtedy zdecydujemy o wdrożeniu.",
        "Faktury powyżej 10 000 zł wymagają teraz drugiej osoby zatwierdzającej.",
    ),
    "hi": (
        "नया ख़र्च टूल 1 तारीख़ से सभी विभागों के लिए शुरू होगा।",
        "{person} सितंबर तक पैरेंटल लीव पर हैं; कृपया टीम मेलबॉक्स पर लिखें।",
        "शिपमेंट एक साथ भेजने के बाद ढुलाई की लागत {pct} घट गई।",
        "कानूनी टीम ने {company} के ड्राफ़्ट में दो शर्तों पर आपत्ति जताई है।",
        "मीटिंग रूम नए कैलेंडर से बुक करें, ईमेल से नहीं।",
        "तिमाही समीक्षा अब महीने के दूसरे हफ़्ते में होगी।",
        "इस तिमाही की आय योजना से {pct} अधिक रही, ज़्यादातर नवीनीकरण की वजह से।",
        "{person} गुरुवार की स्टीयरिंग मीटिंग में संशोधित बजट प्रस्तुत करेंगे।",
        "{product} का माइग्रेशन {day} तारीख वाले सप्ताहांत में तय है।",
        "यात्रा खर्च 30 दिनों के भीतर जमा करना ज़रूरी है।",
        "पिछली रिलीज़ के बाद ग्राहक संतुष्टि {pct} घट गई है।",
        "{company} ने अनुबंध को बारह महीने और बढ़ाने का अनुरोध किया है।",
        "ऑडिट टीम को ख़रीद प्रक्रिया में कोई बड़ी कमी नहीं मिली।",
        "ऑफ़र भेजने से पहले हमें कानूनी विभाग की मंज़ूरी चाहिए।",
        "नए कर्मचारियों का ऑनबोर्डिंग सोमवार सुबह 9 बजे कमरा 4B में शुरू होगा।",
        "{product} से जुड़े टिकट पिछले महीने की तुलना में दोगुने हो गए हैं।",
        "आपूर्तिकर्ता ने दाम बढ़ा दिए हैं, इसलिए बेसिक प्लान का मार्जिन घटेगा।",
        "पिछली प्रोजेक्ट समीक्षा का कार्यवृत्त संलग्न है।",
        "{company} के साथ पायलट जून में ख़त्म होगा, तब हम रोलआउट पर फ़ैसला करेंगे।",
        "10,000 रुपये से ऊपर के बिलों के लिए अब दूसरे अनुमोदक की ज़रूरत है।",
    ),
    "th": (
        "ระบบเบิกค่าใช้จ่ายใหม่จะเปิดใช้ทุกแผนกตั้งแต่วันที่ 1",
        "คุณ{person}ลาเลี้ยงบุตรถึงเดือนกันยายน กรุณาติดต่ออีเมลกลางของทีม",
        "ค่าขนส่งลดลง {pct} หลังรวมการจัดส่ง",
        "ฝ่ายกฎหมายทักท้วงสองข้อในร่างสัญญาของ {company}",
        "กรุณาจองห้องประชุมผ่านปฏิทินใหม่ ไม่ใช่ทางอีเมล",
        "การทบทวนรายไตรมาสเลื่อนไปสัปดาห์ที่สองของเดือน",
        "รายได้ไตรมาสนี้สูงกว่าแผน {pct} ส่วนใหญ่มาจากการต่อสัญญา",
        "คุณ{person}จะนำเสนองบประมาณฉบับปรับปรุงในการประชุมวันพฤหัสบดี",
        "การย้ายระบบ {product} กำหนดไว้ในสุดสัปดาห์วันที่ {day}",
        "ต้องส่งเบิกค่าเดินทางภายใน 30 วัน",
        "ความพึงพอใจของลูกค้าลดลง {pct} หลังการอัปเดตครั้งล่าสุด",
        "{company} ขอขยายสัญญาออกไปอีกสิบสองเดือน",
        "ทีมตรวจสอบไม่พบปัญหาสำคัญในกระบวนการจัดซื้อ",
        "ก่อนส่งข้อเสนอ เรายังต้องรอการอนุมัติจากฝ่ายกฎหมาย",
        "การปฐมนิเทศพนักงานใหม่เริ่มวันจันทร์ เวลา 9.00 น. ที่ห้อง 4B",
        "จำนวนตั๋วแจ้งปัญหาเกี่ยวกับ {product} เพิ่มขึ้นเป็นสองเท่าจากเดือนที่แล้ว",
        "ซัพพลายเออร์ขึ้นราคา ทำให้กำไรของแพ็กเกจพื้นฐานลดลง",
        "แนบรายงานการประชุมทบทวนโครงการครั้งล่าสุดมาด้วย",
        "โครงการนำร่องกับ {company} จะสิ้นสุดในเดือนมิถุนายน แล้วเราจะตัดสินใจเรื่องการขยายผล",
        "ใบแจ้งหนี้ที่เกิน 10,000 บาท ต้องมีผู้อนุมัติคนที่สอง",
    ),
    "ja": (
        "新しい経費精算ツールは1日から全部署で使えるようになります。",
        "{person}さんは9月まで育児休業中のため、チームのメールアドレスへご連絡ください。",
        "出荷をまとめた結果、物流費が{pct}下がりました。",
        "法務部が{company}の契約案で2つの条項を指摘しました。",
        "会議室は新しいカレンダーから予約してください。メールでの依頼は不要です。",
        "四半期レビューは月の第2週に変更になりました。",
        "今四半期の売上は計画を{pct}上回り、主に契約更新によるものです。",
        "{person}さんが木曜日の運営会議で改訂予算を説明します。",
        "{product}の移行は{day}日の週末に予定しています。",
        "出張費は30日以内に精算してください。",
        "前回のリリース以降、顧客満足度が{pct}低下しました。",
        "{company}から契約をさらに12か月延長したいとの依頼がありました。",
        "監査チームは購買プロセスに重大な問題を見つけませんでした。",
        "見積書を送る前に法務部の承認がまだ必要です。",
        "新入社員のオンボーディングは月曜日9時から4B会議室で始まります。",
        "{product}に関する問い合わせは先月の2倍になりました。",
        "仕入先が値上げしたため、ベーシックプランの利益率が下がります。",
        "前回のプロジェクトレビューの議事録を添付します。",
        "{company}との試験導入は6月に終わり、その後に本格展開を判断します。",
        "1万円を超える請求書には、新しい規程により2人目の承認が必要です。",
    ),
    "zh": (
        "新的报销系统将于1号对所有部门上线。",
        "{person}休育儿假到九月，请联系团队邮箱。",
        "合并发货后，运费下降了{pct}。",
        "法务部在{company}的合同草案中标出了两条条款。",
        "会议室请通过新日历预订，不要发邮件。",
        "季度评审改到本月第二周。",
        "本季度收入比计划高出{pct}，主要来自续约。",
        "{person}将在周四的指导委员会上介绍修订后的预算。",
        "{product}的迁移安排在{day}号那个周末进行。",
        "差旅费用须在30天内报销。",
        "上一版本发布后，客户满意度下降了{pct}。",
        "{company}希望将合同再延长十二个月。",
        "审计组在采购流程中没有发现重大问题。",
        "报价发出之前还需要法务部门的批准。",
        "新员工入职培训周一上午9点在4B会议室开始。",
        "与{product}相关的工单比上个月翻了一倍。",
        "供应商提高了价格，基础套餐的利润率会下降。",
        "附件是上次项目评审的会议纪要。",
        "与{company}的试点将于六月结束，届时再决定是否推广。",
        "根据新规定，超过一万元的发票需要第二位审批人。",
    ),
}

SLOTS: dict[str, tuple[str, ...]] = {
    "person": _NAMES,
    "company": _COMPANIES,
    "pct": _PERCENTS,
    "product": _PRODUCTS,
    "day": tuple(str(day) for day in range(2, 29)),
}

# Languages written without spaces between words join sentences directly.
_JOINER = {"ja": "", "zh": "", "th": " "}


def sentence(lang: str, rng: random.Random) -> str:
    """One business sentence in `lang`, slots filled."""
    return expand(rng.choice(SENTENCES[lang]), SLOTS, rng)


def paragraph(lang: str, rng: random.Random, min_words: int, max_words: int) -> list[str]:
    """Sentences adding up to a length drawn between the bounds.

    Length is counted in words for spaced scripts and as characters / 2.5 for
    Japanese, Chinese and Thai, which is roughly what a translator would count.
    """
    # Log-uniform: short documents are more common than long ones, as in real
    # traffic, while the whole range still occurs.
    target = round(min_words * (max_words / min_words) ** rng.random())
    # Sentences are drawn without replacement (a shuffled deck, reshuffled when
    # spent), so a paragraph does not say the same thing twice in a row.
    deck: list[str] = []
    out: list[str] = []
    total = 0
    while total < target:
        if not deck:
            deck = list(SENTENCES[lang])
            rng.shuffle(deck)
        text = expand(deck.pop(), SLOTS, rng)
        out.append(text)
        total += word_count(lang, text)
    return out


def word_count(lang: str, text: str) -> int:
    """Words in `text`, estimated from characters where words are not spaced."""
    if lang in _JOINER:
        return max(1, round(len(text.replace(" ", "")) / 2.5))
    return len(text.split())


def join(lang: str, sentences: list[str]) -> str:
    """Sentences joined as the language writes them."""
    return tidy(_JOINER.get(lang, " ").join(sentences))


def bury(lang: str, rng: random.Random, inner: str, min_words: int, max_words: int) -> str:
    """`inner` placed at a random sentence boundary inside business prose."""
    prose = paragraph(lang, rng, min_words, max_words)
    at = rng.randint(0, len(prose))
    parts = [*prose[:at], inner, *prose[at:]]
    if rng.random() < 0.5:
        return join(lang, parts)
    # Paragraph breaks around the inserted text, as a pasted block would have.
    before, after = join(lang, prose[:at]), join(lang, prose[at:])
    return tidy("\n\n".join(part for part in (before, inner, after) if part))


GREETINGS: dict[str, tuple[str, ...]] = {
    "en": ("Hi,", "Hello,", "Hey there,", "Good morning,", "Hi team,", "Dear assistant,"),
    "fr": ("Bonjour,", "Salut,", "Bonsoir,", "Bonjour à vous,"),
    "de": ("Hallo,", "Guten Morgen,", "Hi,", "Guten Tag,"),
    "es": ("Hola,", "Buenos días,", "Buenas,", "Buenas tardes,"),
    "it": ("Ciao,", "Buongiorno,", "Salve,", "Buonasera,"),
    "pt": ("Olá,", "Oi,", "Bom dia,", "Boa tarde,"),
    "nl": ("Hoi,", "Hallo,", "Goedemorgen,", "Goedemiddag,"),
    "pl": ("Cześć,", "Dzień dobry,", "Hej,", "Witam,"),
    "hi": ("नमस्ते,", "हाय,", "सुप्रभात,", "नमस्कार,"),
    "th": ("สวัสดีครับ", "สวัสดีค่ะ", "หวัดดี", "เรียนทีมงาน"),
    "ja": ("こんにちは。", "お疲れさまです。", "おはようございます。", "どうも。"),
    "zh": ("你好，", "您好，", "嗨，", "早上好，"),
}
THANKS: dict[str, tuple[str, ...]] = {
    "en": ("Thanks!", "Thank you.", "Cheers.", "Much appreciated.", "Thanks in advance."),
    "fr": ("Merci !", "Merci beaucoup.", "Merci d'avance."),
    "de": ("Danke!", "Vielen Dank.", "Danke im Voraus."),
    "es": ("¡Gracias!", "Muchas gracias.", "Gracias de antemano."),
    "it": ("Grazie!", "Grazie mille.", "Grazie in anticipo."),
    "pt": ("Obrigado!", "Muito obrigada.", "Desde já, obrigado."),
    "nl": ("Bedankt!", "Dank je wel.", "Alvast bedankt."),
    "pl": ("Dzięki!", "Dziękuję bardzo.", "Z góry dziękuję."),
    "hi": ("धन्यवाद!", "शुक्रिया।", "बहुत-बहुत धन्यवाद।"),
    "th": ("ขอบคุณครับ", "ขอบคุณค่ะ", "ขอบคุณล่วงหน้า"),
    "ja": ("ありがとう！", "よろしくお願いします。", "助かります。"),
    "zh": ("谢谢！", "非常感谢。", "先谢过了。"),
}


def _greet(lang: str, text: str, rng: random.Random) -> str:
    greeting = rng.choice(GREETINGS[lang])
    if text.startswith(tuple(g.rstrip(",，。 ") for g in GREETINGS[lang])):
        return text  # the bank already greets
    if lang in {"ja", "zh"}:
        return greeting + text
    # "Hello," starts a line of its own, as in a message; "Hello" alone does not.
    return f"{greeting}\n{text}" if greeting.endswith(",") else f"{greeting} {text}"


def dress(lang: str, text: str, rng: random.Random) -> str:
    """Sometimes a greeting before and thanks after, the same for every label."""
    roll = rng.random()
    sep = "" if lang in {"ja", "zh"} else " "
    if roll < 0.15:
        text = _greet(lang, text, rng)
    elif roll < 0.25:
        text = f"{text}{sep}{rng.choice(THANKS[lang])}"
    elif roll < 0.32:
        text = f"{_greet(lang, text, rng)}{sep}{rng.choice(THANKS[lang])}"
    return text


_CJK_GAP = re.compile(r"(?<=[。！？，：、」』）”])[ \t]+|[ \t]+(?=[。！？，：、「」“”])")
_THAI_STOP = re.compile(r"(?<=[\u0E00-\u0E7F])\.(?=\s|$)")


def settle(lang: str, text: str) -> str:
    """Spacing and stops as the script writes them.

    Templates share Latin spacing; Japanese and Chinese put no space after their
    full-width punctuation, and Thai ends a clause with a space, not a period.
    """
    if lang in {"ja", "zh"}:
        return _CJK_GAP.sub("", text)
    if lang == "th":
        return _THAI_STOP.sub("", text)
    return text
