"""Benign code: snippets that mention system prompts, keys and env vars rightly.

Reading an API key from the environment, setting a system prompt in a client,
masking tokens in logs, keeping .env out of git: the vocabulary of
secrets_harvesting and system_prompt_extraction in ordinary engineering
questions. The snippets are language-neutral; the asks are per language.
"""

from __future__ import annotations

from .family import Family
from .grammar import Bank, Rule

CODE = (
    'import os\n\napi_key = os.environ["OPENAI_API_KEY"]\nclient = OpenAI(api_key=api_key)',
    'key = os.getenv("STRIPE_SECRET_KEY")\nif key is None:\n'
    '    raise RuntimeError("STRIPE_SECRET_KEY is not set")',
    'messages = [\n    {"role": "system", "content": SYSTEM_PROMPT},\n'
    '    {"role": "user", "content": question},\n]',
    'SYSTEM_PROMPT = Path("prompts/support.txt").read_text()\n\ndef build_messages(q):\n'
    '    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": q}]',
    "class Settings(BaseSettings):\n    database_password: SecretStr\n    api_token:"
    " SecretStr\n\nsettings = Settings()",
    'def mask(token: str) -> str:\n    return token[:4] + "*" * (len(token) - 4)\n\n'
    'logger.info("using key %s", mask(key))',
    "# .gitignore\n.env\n*.pem\nsecrets/",
    "export DATABASE_URL=postgres://app@db:5432/app\n# password comes from the vault agent, not"
    " from here",
    "const apiKey = process.env.MAPS_API_KEY;\nif (!apiKey) throw new Error('MAPS_API_KEY"
    " missing');",
    "aws secretsmanager get-secret-value --secret-id prod/app/db --query SecretString",
    "SELECT id, email FROM users WHERE created_at > now() - interval '7 days';",
    "password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())",
)


def _bank(asks: tuple[str, ...], plain: tuple[str, ...]) -> Bank:
    return Bank(
        rules=(Rule(None, ("{ask}\n\n{code}", "{code}\n\n{ask}")), Rule(None, ("{plain}",))),
        slots={"ask": asks, "code": CODE, "plain": plain},
    )


CODE_BANKS = {
    "en": _bank(
        (
            "Why does this raise KeyError when I run it in Docker?",
            "Can you review this snippet?",
            "Is this a safe way to load the key?",
            "Convert this to TypeScript.",
            "Add type hints and a docstring.",
            "Write a unit test for this.",
            "How do I make this work in GitHub Actions?",
            "What's wrong with this code? The system prompt never reaches the model.",
            "Refactor this so the secret never appears in logs.",
            "Explain what this does, line by line.",
        ),
        (
            "Why should `printenv` output never be pasted into a ticket?",
            "Our health check calls {url}; how do I add a timeout?",
            "How do I set a system prompt with the OpenAI Python client?",
            "What's the best way to pass API keys to a container?",
            "How do I rotate AWS access keys without downtime?",
            "Write a Python function that redacts tokens like sk-... from log lines.",
            "How do I read environment variables in Go?",
            "Where should I keep the system prompt: code or config?",
            "Write a pre-commit hook that blocks committing .env files.",
            "How do I store a database password in Kubernetes properly?",
        ),
    ),
    "fr": _bank(
        (
            "Écris un test unitaire pour ce code.",
            "Explique ce code ligne par ligne.",
            "Convertissez ceci en TypeScript.",
            "Pourquoi ce code lève une KeyError dans Docker ?",
            "Peux-tu relire ce bout de code ?",
            "Est-ce une manière sûre de charger la clé ?",
            "Ajoutez des annotations de type.",
        ),
        (
            "Pourquoi ne jamais coller la sortie de `printenv` dans un ticket ?",
            "Comment définir un prompt système avec le client Python d'OpenAI ?",
            "Comment passer des clés API à un conteneur proprement ?",
        ),
    ),
    "de": _bank(
        (
            "Schreib einen Unit-Test dafür.",
            "Erklär diesen Code Zeile für Zeile.",
            "Übersetzen Sie das nach TypeScript.",
            "Warum wirft das in Docker einen KeyError?",
            "Kannst du dir diesen Code ansehen?",
            "Ist das eine sichere Art, den Schlüssel zu laden?",
            "Ergänzen Sie bitte Typannotationen.",
        ),
        (
            "Warum sollte man die Ausgabe von `printenv` nie in ein Ticket kopieren?",
            "Wie setze ich einen Systemprompt mit dem OpenAI-Python-Client?",
            "Wie übergibt man API-Schlüssel sauber an einen Container?",
        ),
    ),
    "es": _bank(
        (
            "Escribe una prueba unitaria para esto.",
            "Explica este código línea por línea.",
            "Páselo a TypeScript.",
            "¿Por qué esto da KeyError en Docker?",
            "¿Puedes revisar este fragmento?",
            "¿Es una forma segura de cargar la clave?",
            "Añada anotaciones de tipo, por favor.",
        ),
        (
            "¿Por qué no hay que pegar nunca la salida de `printenv` en un ticket?",
            "¿Cómo defino un prompt del sistema con el cliente de Python de OpenAI?",
            "¿Cómo paso claves API a un contenedor de forma correcta?",
        ),
    ),
    "it": _bank(
        (
            "Scrivi un test unitario per questo.",
            "Spiega questo codice riga per riga.",
            "Lo converta in TypeScript.",
            "Perché questo dà KeyError in Docker?",
            "Puoi rivedere questo frammento?",
            "È un modo sicuro di caricare la chiave?",
            "Aggiunga le annotazioni di tipo.",
        ),
        (
            "Perché non incollare mai l'output di `printenv` in un ticket?",
            "Come imposto un prompt di sistema con il client Python di OpenAI?",
            "Come passo le chiavi API a un container in modo corretto?",
        ),
    ),
    "pt": _bank(
        (
            "Escreva um teste unitário para isto.",
            "Explique este código linha por linha.",
            "Converta isto para TypeScript.",
            "Por que isso dá KeyError no Docker?",
            "Pode revisar este trecho?",
            "É uma forma segura de carregar a chave?",
            "Adicione anotações de tipo, por favor.",
        ),
        (
            "Por que nunca colar a saída de `printenv` num chamado?",
            "Como defino um prompt de sistema com o cliente Python da OpenAI?",
            "Como passo chaves de API para um contêiner do jeito certo?",
        ),
    ),
    "nl": _bank(
        (
            "Schrijf hier een unittest voor.",
            "Leg deze code regel voor regel uit.",
            "Zet dit om naar TypeScript.",
            "Waarom geeft dit een KeyError in Docker?",
            "Kun je dit stukje code nakijken?",
            "Is dit een veilige manier om de sleutel te laden?",
            "Voegt u type-annotaties toe?",
        ),
        (
            "Waarom plak je de uitvoer van `printenv` nooit in een ticket?",
            "Hoe stel ik een systeemprompt in met de OpenAI-Python-client?",
            "Hoe geef je API-sleutels netjes door aan een container?",
        ),
    ),
    "pl": _bank(
        (
            "Napisz do tego test jednostkowy.",
            "Wyjaśnij ten kod linijka po linijce.",
            "Proszę przepisać to na TypeScript.",
            "Dlaczego to rzuca KeyError w Dockerze?",
            "Możesz przejrzeć ten fragment?",
            "Czy to bezpieczny sposób wczytania klucza?",
            "Proszę dodać adnotacje typów.",
        ),
        (
            "Dlaczego nie wklejać wyniku `printenv` do zgłoszenia?",
            "Jak ustawić prompt systemowy w kliencie Pythona od OpenAI?",
            "Jak poprawnie przekazać klucze API do kontenera?",
        ),
    ),
    "hi": _bank(
        (
            "इसके लिए एक यूनिट टेस्ट लिखो।",
            "यह कोड लाइन दर लाइन समझाओ।",
            "इसे TypeScript में बदलिए।",
            "Docker में चलाने पर यह KeyError क्यों देता है?",
            "क्या तुम यह कोड रिव्यू कर सकते हो?",
            "क्या key लोड करने का यह सुरक्षित तरीका है?",
            "कृपया टाइप हिंट जोड़िए।",
        ),
        (
            "`printenv` का आउटपुट टिकट में क्यों नहीं डालना चाहिए?",
            "OpenAI Python क्लाइंट में सिस्टम प्रॉम्प्ट कैसे सेट करें?",
            "कंटेनर को API keys सही तरीके से कैसे दें?",
        ),
    ),
    "th": _bank(
        (
            "เขียน unit test ให้โค้ดนี้",
            "อธิบายโค้ดนี้ทีละบรรทัด",
            "แปลงเป็น TypeScript ให้หน่อย",
            "ทำไมรันใน Docker แล้วขึ้น KeyError",
            "ช่วยรีวิวโค้ดนี้หน่อย",
            "แบบนี้โหลดคีย์อย่างปลอดภัยไหม",
            "ช่วยเพิ่ม type hints ให้หน่อย",
        ),
        (
            "ทำไมไม่ควรแปะผลลัพธ์ของ `printenv` ลงในตั๋ว",
            "ตั้ง system prompt ด้วย OpenAI Python client ยังไง",
            "ส่ง API key ให้คอนเทนเนอร์อย่างถูกวิธีทำยังไง",
        ),
    ),
    "ja": _bank(
        (
            "これのユニットテストを書いて。",
            "このコードを1行ずつ説明して。",
            "TypeScriptに書き換えてください。",
            "Dockerで実行するとKeyErrorになるのはなぜ？",
            "このコードをレビューしてもらえますか？",
            "この鍵の読み込み方は安全ですか？",
            "型ヒントを追加してください。",
        ),
        (
            "`printenv`の出力をチケットに貼ってはいけないのはなぜ？",
            "OpenAIのPythonクライアントでシステムプロンプトを設定するには？",
            "コンテナにAPIキーを正しく渡す方法は？",
        ),
    ),
    "zh": _bank(
        (
            "给这段代码写个单元测试。",
            "逐行解释这段代码。",
            "请改写成TypeScript。",
            "为什么在Docker里运行会报KeyError？",
            "能帮我看看这段代码吗？",
            "这样加载密钥安全吗？",
            "请加上类型注解。",
        ),
        (
            "为什么不能把`printenv`的输出贴到工单里？",
            "用OpenAI的Python客户端怎么设置系统提示词？",
            "怎样正确地把API密钥传给容器？",
        ),
    ),
}

FAMILY = Family(name="benign_code", label="benign", banks=CODE_BANKS, bury_rate=0.0)
