"""Reading a directory of policy YAML into validated, located items.

Every problem found is collected (not just the first) and reported with the
file, the line, the dotted path of the field and what is wrong. YAML anchors and
aliases are refused (they buy nothing here and enable expansion bombs), as are
duplicate keys, which PyYAML would otherwise silently collapse.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from engine.errors import InvalidPolicyData, Problem
from loaders.spec import SECTIONS, PolicyDocument

MAX_FILE_BYTES = 16 * 1024 * 1024
CASES_DIR = "cases"  # a policy directory's decision cases (lifecycle.cases), never policy
_ITEM_MODELS: dict[str, type[BaseModel]] = {
    name: PolicyDocument.model_fields[name].annotation.__args__[0]  # type: ignore[union-attr]
    for name in SECTIONS
}


@dataclass(frozen=True, slots=True)
class LocatedItem:
    section: str
    item: BaseModel
    source: str
    line: int


class _Located:
    """Maps the dotted path of every value in one YAML document to its line."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        self.scalars = yaml.SafeLoader("")  # only its scalar constructors are used

    def line_of(self, path: tuple[str | int, ...]) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def read_policy_dir(path: Path) -> list[LocatedItem]:
    """Parse and validate every *.yaml / *.yml under path (or one file)."""
    files = _policy_files(path)
    items: list[LocatedItem] = []
    problems: list[Problem] = []
    for file in files:
        try:
            items.extend(read_policy_file(file, display=_display(file, path)))
        except InvalidPolicyData as exc:
            problems.extend(exc.problems)
    if problems:
        raise InvalidPolicyData(problems)
    return items


def read_policy_file(file: Path, *, display: str | None = None) -> list[LocatedItem]:
    name = display or file.name
    raw = file.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidPolicyData(
            [Problem(name, "", "", f"file is {len(raw)} bytes; the limit is {MAX_FILE_BYTES}")]
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidPolicyData(
            [Problem(name, f"byte {exc.start}", "", "is not valid UTF-8")]
        ) from exc
    return parse_policy_text(text, name)


def parse_policy_text(text: str, name: str) -> list[LocatedItem]:
    problems: list[Problem] = []
    items: list[LocatedItem] = []
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(exc, "problem", None) or str(exc)
        raise InvalidPolicyData([Problem(name, where, "", f"is not valid YAML: {detail}")]) from exc
    for node in documents:
        if node is None:
            continue
        located = _Located()
        try:
            data = _construct(node, (), located, set())
        except _NodeProblem as exc:
            problems.append(Problem(name, f"line {exc.line}", exc.path, exc.message))
            continue
        if not isinstance(data, dict):
            problems.append(
                Problem(
                    name, f"line {node.start_mark.line + 1}", "", "must be a mapping of sections"
                )
            )
            continue
        for section, value in data.items():
            line = located.line_of((section,))
            if section not in SECTIONS:
                hint = difflib.get_close_matches(str(section), SECTIONS, n=1)
                suggestion = (
                    f"; did you mean '{hint[0]}'?" if hint else f"; known: {', '.join(SECTIONS)}"
                )
                problems.append(
                    Problem(name, f"line {line}", str(section), f"unknown section{suggestion}")
                )
                continue
            if value is None:
                continue
            if not isinstance(value, list):
                problems.append(Problem(name, f"line {line}", section, "must be a list of items"))
                continue
            model = _ITEM_MODELS[section]
            for index, raw_item in enumerate(value):
                try:
                    item = model.model_validate(raw_item)
                except ValidationError as exc:
                    problems.extend(_problems(exc, name, section, index, located))
                    continue
                items.append(LocatedItem(section, item, name, located.line_of((section, index))))
    if problems:
        raise InvalidPolicyData(problems)
    return items


def _problems(
    exc: ValidationError, name: str, section: str, index: int, located: _Located
) -> Iterator[Problem]:
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = (section, index, *loc)
        yield Problem(
            source=name,
            location=f"line {located.line_of(path)}",
            path=_dotted(path),
            message=_message(error),
        )


def _message(error: Any) -> str:
    msg = str(error["msg"])
    if error["type"] == "extra_forbidden":
        return "is not a known field"
    if error["type"] == "missing":
        return "is required"
    if msg.startswith("Value error, "):
        msg = msg.removeprefix("Value error, ")
    return msg


def _dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _NodeProblem(Exception):
    def __init__(self, line: int, path: tuple[Any, ...], message: str) -> None:
        super().__init__(message)
        self.line, self.path, self.message = line, _dotted(path), message


def _construct(
    node: yaml.Node, path: tuple[str | int, ...], located: _Located, seen: set[int]
) -> Any:
    line = node.start_mark.line + 1
    located.lines.setdefault(path, line)
    if id(node) in seen or getattr(node, "anchor", None):
        raise _NodeProblem(line, path, "YAML anchors and aliases are not supported")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(key_node, path, located, seen)
            if not isinstance(key, str | int):
                raise _NodeProblem(key_node.start_mark.line + 1, path, "keys must be plain strings")
            if key in result:
                raise _NodeProblem(
                    key_node.start_mark.line + 1, (*path, key), f"duplicate key '{key}'"
                )
            result[key] = _construct(value_node, (*path, key), located, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, (*path, i), located, seen) for i, v in enumerate(node.value)]
    try:
        return located.scalars.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise _NodeProblem(line, path, f"cannot be read: {exc}") from exc


def _policy_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InvalidPolicyData([Problem(str(path), "", "", "no such file or directory")])
    files = sorted(
        p
        for p in path.rglob("*")
        if p.suffix in {".yaml", ".yml"}
        and p.is_file()
        # decision cases for `govroute policy test` live beside the policy, not in it
        and p.relative_to(path).parts[0] != CASES_DIR
    )
    if not files:
        raise InvalidPolicyData([Problem(str(path), "", "", "holds no *.yaml or *.yml files")])
    return files


def _display(file: Path, root: Path) -> str:
    return str(file.relative_to(root)) if root.is_dir() else file.name


@dataclass(frozen=True, slots=True)
class LocatedDocument:
    """One YAML document's data, and the line of each dotted path in it (nearest parent)."""

    data: Any
    lines: dict[tuple[str | int, ...], int]

    def line_of(self, path: tuple[str | int, ...]) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def read_located_yaml(text: str, name: str) -> list[LocatedDocument]:
    """Documents of a YAML text under the same strict rules as policy files (no anchors,
    no duplicate keys), for other formats (decision cases) that report lines too."""
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        detail = getattr(exc, "problem", None) or str(exc)
        raise InvalidPolicyData([Problem(name, where, "", f"is not valid YAML: {detail}")]) from exc
    out: list[LocatedDocument] = []
    for node in nodes:
        if node is None:
            continue
        located = _Located()
        try:
            data = _construct(node, (), located, set())
        except _NodeProblem as exc:
            raise InvalidPolicyData(
                [Problem(name, f"line {exc.line}", exc.path, exc.message)]
            ) from exc
        out.append(LocatedDocument(data, located.lines))
    return out


def validation_message(error: Any) -> str:
    """A pydantic error as the policy loader words it ("is required", ...)."""
    return _message(error)


def dotted(path: tuple[Any, ...]) -> str:
    return _dotted(path)
