"""Build engine/data/benign_reference.jsonl: benign prompts custom threat heads learn against.

    python -m training.threat.benign_reference

A policy file may declare a threat category of its own with a handful of positive
exemplars (engine.threats.custom). A handful of positives against a handful of
negatives would learn "looks like these words"; against a broad sample of ordinary
prompts it learns what sets the category apart from everything else people type. This
script picks that sample, once, and ships it in the package so every load and every
engine state fits on the same texts.

What it reads: the benign records of training/threat/data/generated.jsonl (this
project's own grammars, when that file exists) and public.jsonl (public packages,
see MANIFEST.md). A public record is kept only if its source is listed in
training/threat/public/sources.toml with a license in `PERMISSIVE`: the texts are
redistributed in the package. Everything else in those files is ignored.

How it picks: per source, texts are ordered by SHA-256 of the text (English first
for a multilingual source: the embedding model is English), then sources take turns
one text at a time until `TARGET` texts are chosen. Small hand-written sources are
therefore kept whole and the large chit-chat corpus fills the rest. No clock, seed
or directory order is involved: the same inputs give a byte-identical file.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from training.threat.public.build import PERMISSIVE
from training.threat.public.provenance import refusal_reason

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "training" / "threat" / "data"
SOURCES = ROOT / "training" / "threat" / "public" / "sources.toml"
OUTPUT = ROOT / "engine" / "data" / "benign_reference.jsonl"
TARGET = 1500
# Very short chit-chat ("Hi", "ok") says nothing a classifier can use, and very long
# texts are cut by the embedding window anyway.
MIN_CHARS, MAX_CHARS = 12, 1200


@dataclass(frozen=True, slots=True)
class Reference:
    text: str
    source: str
    lang: str

    def row(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source, "lang": self.lang}


def permissive_sources() -> dict[str, str]:
    """Public source name -> its license, for the sources whose texts may be redistributed."""
    with SOURCES.open("rb") as handle:
        entries = tomllib.load(handle)["source"]
    return {
        str(e["name"]): str(e["license"])
        for e in entries
        if e["license"] in PERMISSIVE and refusal_reason(str(e["name"])) is None
    }


def candidates() -> Iterator[Reference]:
    allowed = permissive_sources()
    for name, own in (("generated.jsonl", True), ("public.jsonl", False)):
        path = DATA / name
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                row = json.loads(line)
                source = str(row["source"])
                if row["label"] != "benign" or not (own or source in allowed):
                    continue
                text = " ".join(str(row["text"]).split())
                if MIN_CHARS <= len(text) <= MAX_CHARS:
                    yield Reference(text, source, str(row.get("lang") or "en"))


def pick(pool: list[Reference], target: int = TARGET) -> list[Reference]:
    """Round-robin over sources, each in (non-English last, SHA-256 of text) order."""
    by_source: dict[str, list[Reference]] = defaultdict(list)
    seen: set[str] = set()
    for ref in pool:
        if ref.text.casefold() not in seen:
            seen.add(ref.text.casefold())
            by_source[ref.source].append(ref)
    queues = [
        sorted(refs, key=lambda r: (r.lang != "en", hashlib.sha256(r.text.encode()).hexdigest()))
        for _, refs in sorted(by_source.items())
    ]
    chosen: list[Reference] = []
    depth = 0
    while len(chosen) < target and any(depth < len(q) for q in queues):
        chosen.extend(q[depth] for q in queues if depth < len(q))
        depth += 1
    return sorted(chosen[:target], key=lambda r: (r.source, r.text))


def main() -> None:
    chosen = pick(list(candidates()))
    OUTPUT.write_text(
        "".join(json.dumps(r.row(), ensure_ascii=False) + "\n" for r in chosen), encoding="utf-8"
    )
    counts: dict[str, int] = defaultdict(int)
    for ref in chosen:
        counts[ref.source] += 1
    summary = ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
    print(f"wrote {len(chosen)} texts to {OUTPUT.relative_to(ROOT)}: {summary}")


if __name__ == "__main__":
    main()
