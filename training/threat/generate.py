"""Write the generated attack and look-alike corpus, deterministically.

    python -m training.threat.generate [--out PATH] [--check]

Every family x language cell is sampled from its own `random.Random` seeded with
the corpus seed and the cell's name, so adding a family or language leaves the
other cells' records unchanged, and two runs write the same bytes. Texts are
unique across the whole corpus: a draw that repeats any earlier text (attack or
benign) is discarded and drawn again. `--check` regenerates in memory and fails
when the committed file differs.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .families import FAMILIES
from .families.business import LANGS
from .families.family import AnyFamily

SEED = 9
DEFAULT_OUT = Path(__file__).parent / "data" / "generated.jsonl"
# English gets the most variety; benign cells are larger, so the corpus holds
# about 1.5 look-alikes per attack.
TARGETS = {("attack", "en"): 120, ("attack", "*"): 48, ("benign", "en"): 220, ("benign", "*"): 76}
# Draws allowed per wanted record before a cell gives up (and the shortfall shows).
ATTEMPTS_PER_RECORD = 60


@dataclass(frozen=True)
class Record:
    id: str
    text: str
    label: str
    category: str | None
    family: str
    lang: str
    system: str | None

    def to_json(self) -> str:
        row: dict[str, str | None] = {
            "id": self.id,
            "text": self.text,
            "label": self.label,
            "category": self.category,
            "family": self.family,
            "lang": self.lang,
            "source": f"generated:{self.family}",
        }
        if self.system is not None:
            row["system"] = self.system
        # Compact separators: the file stays under the repository budget of ~8 MB.
        return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def target(family: AnyFamily, lang: str) -> int:
    """Records wanted for one cell."""
    return TARGETS.get((family.label, lang), TARGETS[(family.label, "*")])


def generate(seed: int = SEED) -> Iterator[Record]:
    """All records, attacks first, each cell in a fixed order."""
    seen: set[str] = set()
    ordered = sorted(FAMILIES, key=lambda family: family.label)  # attack < benign
    for family in ordered:
        for lang in LANGS:
            cell = family.cell(lang)
            rng = random.Random(f"{seed}:{family.name}:{lang}")
            wanted = target(family, lang)
            made = 0
            for _ in range(wanted * ATTEMPTS_PER_RECORD):
                if made == wanted:
                    break
                sample = cell.sample(rng)
                if sample.text in seen:
                    continue
                seen.add(sample.text)
                made += 1
                yield Record(
                    id=f"gen-{family.name}-{lang}-{made}",
                    text=sample.text,
                    label=family.label,
                    category=sample.category,
                    family=family.name,
                    lang=lang,
                    system=sample.system,
                )


def render(records: list[Record]) -> str:
    return "".join(record.to_json() + "\n" for record in records)


def summary(records: list[Record]) -> str:
    """A family x language table of counts, with totals."""
    counts = Counter((record.family, record.lang) for record in records)
    families = sorted({record.family for record in records})
    width = max(len(name) for name in families) + 2
    lines = ["family".ljust(width) + "".join(lang.rjust(6) for lang in LANGS) + "   total"]
    for name in families:
        row = [counts[(name, lang)] for lang in LANGS]
        lines.append(name.ljust(width) + "".join(f"{n:6d}" for n in row) + f"{sum(row):8d}")
    labels = Counter(record.label for record in records)
    lines.append(f"attacks {labels['attack']}, benign {labels['benign']}, all {len(records)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    args = parser.parse_args(argv)
    records = list(generate(args.seed))
    text = render(records)
    print(summary(records))
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} differs from a fresh run")
        return 0 if same else 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.out} ({len(text.encode('utf-8')) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
