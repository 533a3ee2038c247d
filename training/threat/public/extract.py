"""Read each pinned package's prompts as data, in the package's own terms.

An extractor takes the files of one distribution (path -> bytes, already verified against the
pinned sha256) and yields `RawItem`s: the text, where it sits in the package, and the package's
own category for it. Mapping those categories onto ours is `build.py`'s business, in one table,
so that every judgement about what a package's label means is in one place.

Nothing here imports or executes package code: JSON and YAML are parsed as data, Python modules
are parsed with `ast` and only literals are evaluated.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

import yaml

Members = Mapping[str, bytes]


@dataclass(frozen=True, slots=True)
class RawItem:
    """One prompt as the package has it, before mapping onto our categories."""

    ref: str  # where it sits in the package: "<path>#<the package's id for it>"
    text: str
    package_category: str  # the package's category, refined by its own item metadata
    lang: str | None = None  # when the package says; otherwise guessed later
    drop_tag: str | None = None  # a package id or tag listed in the source's drop_ids


def _jsonl(data: bytes) -> Iterator[dict[str, object]]:
    for line in data.decode("utf-8").splitlines():
        if line.strip():
            yield json.loads(line)


def _only(members: Members, suffix: str) -> tuple[str, bytes]:
    found = [(path, data) for path, data in members.items() if path.endswith(suffix)]
    if len(found) != 1:
        raise ValueError(f"expected one member ending in {suffix!r}, found {len(found)}")
    return found[0]


def _dropped(tags: set[str], drop_ids: frozenset[str]) -> str | None:
    hits = sorted(tags & drop_ids)
    return hits[0] if hits else None


def bastioncorpus(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """bastioncorpus: one JSONL row per attack or benign trap, with category, label and lang."""
    path, data = _only(members, "injections.jsonl")
    for row in _jsonl(data):
        item_id = str(row["id"])
        category = str(row["category"])
        if category == "exfiltration":
            # The package files both "send the data out" and "show me your instructions" under
            # exfiltration; its tactic field tells them apart (egress-* for the former).
            tactic = str(row.get("tactic") or "")
            category += "/egress" if tactic.startswith("egress") else "/prompt"
        yield RawItem(
            ref=f"{path}#{item_id}",
            text=_fill_canary(str(row["text"]), item_id),
            package_category=category,
            lang=str(row["lang"]),
            drop_tag=_dropped({item_id}, drop_ids),
        )


def _fill_canary(text: str, item_id: str) -> str:
    # The attack runner fills {canary} with a fresh code per run; a stable code derived from the
    # id keeps the text realistic and the build deterministic.
    code = hashlib.sha256(item_id.encode()).hexdigest()[:8].upper()
    return text.replace("{canary}", f"VX-{code}")


def raucle_bench(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """raucle-bench: one JSONL file per attack class; `source` says who wrote each row."""
    for path in sorted(members):
        if not path.endswith(".jsonl"):
            continue
        for row in _jsonl(members[path]):
            item_id = str(row["id"])
            # `source` is a per-item provenance tag, so drop_ids can name one.
            yield RawItem(
                ref=f"{path}#{item_id}",
                text=str(row["prompt"]),
                package_category=f"{row['attack_class']}/{row['category']}",
                drop_tag=_dropped({item_id, str(row.get("source"))}, drop_ids),
            )


_HERMES_LANG_TAGS = {"spanish": "es", "french": "fr", "german": "de", "japanese": "ja"}


def hermes_jailbench(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """hermes-jailbench: `Attack(...)` literals in attacks.py, rendered with the default target."""
    path, data = _only(members, "attacks.py")
    tree = ast.parse(data.decode("utf-8"))
    target = _render_default_target(tree)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Attack"):
            continue
        fields = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        name = str(ast.literal_eval(fields["name"]))
        template = str(ast.literal_eval(fields["template"]))
        tags = {str(tag) for tag in ast.literal_eval(fields["tags"])} if "tags" in fields else set()
        category_node = fields["category"]
        if not isinstance(category_node, ast.Attribute):
            raise ValueError(f"{path}: attack {name!r}: category is not Category.<NAME>")
        category = category_node.attr.lower()
        if category == "multilingual":
            leak = tags & {"prompt-extraction", "instruction-leak"}
            category += "/prompt-extraction" if leak else "/other"
        langs = [_HERMES_LANG_TAGS[tag] for tag in sorted(tags) if tag in _HERMES_LANG_TAGS]
        yield RawItem(
            ref=f"{path}#{name}",
            text=template.replace("{TARGET}", target),
            package_category=category,
            lang=langs[0] if len(langs) == 1 else None,
            drop_tag=_dropped(tags, drop_ids),
        )


def _render_default_target(tree: ast.Module) -> str:
    """The default of `Attack.render(target=...)`: the payload the package itself fills in."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "render" and node.args.defaults:
            return str(ast.literal_eval(node.args.defaults[-1]))
    raise ValueError("attacks.py: no Attack.render default target")


def agent_injection_bench(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """agent-injection-bench: the injected payload of each scenario, and the user's task.

    The payload is what a detector sees in a tool result or document; the scenario's `control`
    family holds benign payloads. Every scenario's task is an ordinary user request.
    """
    path, data = _only(members, "attacks.jsonl")
    seen_tasks: set[str] = set()
    for row in _jsonl(data):
        item_id = str(row["id"])
        family = str(row["family"])
        dropped = _dropped({item_id}, drop_ids)
        yield RawItem(
            ref=f"{path}#{item_id}/injected",
            text=str(row["injected"]),
            package_category="control" if family == "control" else family,
            drop_tag=dropped,
        )
        task = str(row["task"])
        if task not in seen_tasks:
            seen_tasks.add(task)
            yield RawItem(
                ref=f"{path}#{item_id}/task", text=task, package_category="task", drop_tag=dropped
            )


def jailbreak_corpus_mini(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """jailbreak-corpus-mini-py: a JSON list of {id, prompt, category, severity}."""
    path, data = _only(members, "corpus.json")
    for row in json.loads(data.decode("utf-8")):
        item_id = str(row["id"])
        yield RawItem(
            ref=f"{path}#{item_id}",
            text=str(row["prompt"]),
            package_category=str(row["category"]),
            drop_tag=_dropped({item_id}, drop_ids),
        )


def weiseer_prompt_redteam(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """weiseer-prompt-redteam: attacks.yaml, one {id, category, payload} per attack."""
    path, data = _only(members, "attacks.yaml")
    for row in yaml.safe_load(data.decode("utf-8"))["attacks"]:
        item_id = str(row["id"])
        yield RawItem(
            ref=f"{path}#{item_id}",
            text=str(row["payload"]),
            package_category=str(row["category"]),
            drop_tag=_dropped({item_id}, drop_ids),
        )


def nullsec_promptinject(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """nullsec-promptinject: `Payload(text, category, language, description)` in payloads.py.

    The description is the package's only name for a payload, so it serves as the id. A text
    computed by an expression is reported under the tag "non-literal", never evaluated.
    """
    path, data = _only(members, "payloads.py")
    for node in ast.walk(ast.parse(data.decode("utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Payload"):
            continue
        text_node, *rest = node.args
        category, language, description = (str(ast.literal_eval(arg)) for arg in rest[:3])
        try:
            text = str(ast.literal_eval(text_node))
        except ValueError:
            text, tags = "", {description, "non-literal"}
        else:
            tags = {description}
        yield RawItem(
            ref=f"{path}#{description}",
            text=text,
            package_category=category,
            lang=language,
            drop_tag=_dropped(tags, drop_ids),
        )


def redteam_foundry(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """redteam-foundry: the `_RAW` tuples of its benign control sets, read as literals."""
    for path in sorted(members):
        module = PurePosixPath(path).stem
        for index, (key, prompt) in enumerate(_module_literal(members[path], "_RAW")):
            # benign.py pairs (domain, prompt); multilingual.py pairs (lang tag, prompt).
            multilingual = module == "multilingual"
            lang = key.split("-")[0].lower() if multilingual else "en"
            yield RawItem(
                ref=f"{path}#{index}",
                text=prompt,
                package_category="multilingual" if multilingual else f"benign/{key}",
                lang=None if lang == "mixed" else lang,
                drop_tag=_dropped({str(index)}, drop_ids),
            )


def _module_literal(data: bytes, name: str) -> list[tuple[str, str]]:
    for node in ast.parse(data.decode("utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == name:
            return [(str(key), str(text)) for key, text in ast.literal_eval(value)]
    raise ValueError(f"no literal {name} in module")


# chatterbot-corpus names its folders by language; ISO 639-1 codes for them. Hinglish
# (romanised, code-mixed Hindi-English) has none and is left out.
CHATTERBOT_LANGS = {
    "bengali": "bn", "chinese": "zh", "dutch": "nl", "english": "en", "french": "fr",
    "german": "de", "hebrew": "he", "hindi": "hi", "indonesian": "id", "italian": "it",
    "japanese": "ja", "korean": "ko", "marathi": "mr", "oriya": "or", "persian": "fa",
    "portuguese": "pt", "russian": "ru", "spanish": "es", "swedish": "sv", "tamil": "ta",
    "telugu": "te", "thai": "th", "traditionalchinese": "zh", "turkish": "tr",
    "ukrainian": "uk", "urdu": "ur", "yoruba": "yo",
}  # fmt: skip


def chatterbot_corpus(members: Members, drop_ids: frozenset[str]) -> Iterator[RawItem]:
    """chatterbot-corpus: the opening (user) line of every conversation, per language folder."""
    for path in sorted(members):
        parts = PurePosixPath(path).parts
        if not path.endswith(".yml") or len(parts) < 2:
            continue
        folder, topic = parts[-2], PurePosixPath(path).stem
        document = yaml.safe_load(members[path].decode("utf-8")) or {}
        for index, conversation in enumerate(document.get("conversations") or []):
            if not conversation or not isinstance(conversation[0], str):
                continue
            yield RawItem(
                ref=f"{path}#{index}",
                text=conversation[0],
                package_category=f"conversation/{topic}",
                lang=CHATTERBOT_LANGS.get(folder),
                drop_tag=_dropped({folder, topic}, drop_ids),
            )


Extractor = Callable[[Members, frozenset[str]], Iterator[RawItem]]

EXTRACTORS: dict[str, Extractor] = {
    "bastioncorpus": bastioncorpus,
    "raucle_bench": raucle_bench,
    "hermes_jailbench": hermes_jailbench,
    "agent_injection_bench": agent_injection_bench,
    "jailbreak_corpus_mini": jailbreak_corpus_mini,
    "weiseer_prompt_redteam": weiseer_prompt_redteam,
    "nullsec_promptinject": nullsec_promptinject,
    "redteam_foundry": redteam_foundry,
    "chatterbot_corpus": chatterbot_corpus,
}
