"""Turtle and JSON-LD written a decision at a time: the prefixes or @context once, then
each decision's nodes as soon as they are built, so memory holds one page of records and
never a graph of everything.

Both writers take the nodes of lifecycle/prov_decision.py. Strings are escaped with
json.dumps, whose escapes (\\" \\\\ \\n \\t \\uXXXX ...) are all valid in Turtle too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol, TextIO

from lifecycle.prov_decision import PREFIXES, TYPE, Blank, Iri, Lit, Node, Term, compact


class RdfStream(Protocol):
    def begin(self) -> None: ...
    def write(self, nodes: Iterable[Node]) -> None: ...
    def end(self) -> None: ...


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


class TurtleStream:
    def __init__(self, out: TextIO) -> None:
        self._out = out

    def begin(self) -> None:
        for prefix, namespace in PREFIXES.items():
            self._out.write(f"@prefix {prefix}: <{namespace}> .\n")
        self._out.write("\n")

    def write(self, nodes: Iterable[Node]) -> None:
        chunks = []
        for node in nodes:
            # One predicate per line, its objects joined with commas, in first-stated order.
            objects: dict[str, list[str]] = {}
            for p, o in node.pairs:
                objects.setdefault(p, []).append(self._term(o))
            body = " ;\n    ".join(
                f"{'a' if p == TYPE else self._iri(p)} {', '.join(os)}" for p, os in objects.items()
            )
            chunks.append(f"{self._term(node.subject)} {body} .\n")
        chunks.append("\n")
        self._out.write("".join(chunks))

    def end(self) -> None:
        self._out.flush()

    @staticmethod
    def _iri(iri: str) -> str:
        return compact(iri) or f"<{iri}>"

    @staticmethod
    def _term(term: Term) -> str:
        if isinstance(term, Blank):  # unique per decision: not worth a cache slot
            return f"_:{term.label}"
        return _turtle(term)


@lru_cache(maxsize=8192)
def _turtle(term: Term) -> str:
    """A term in Turtle; memoized because policies, models, sentences and reasons repeat
    across decisions (a pure function: the cache only saves work, and its bound of 8192
    terms keeps an export of any size in the same memory)."""
    if isinstance(term, Iri):
        return compact(term.value) or f"<{term.value}>"
    if isinstance(term, Blank):
        return f"_:{term.label}"
    if isinstance(term, Lit):
        if term.datatype is None:
            return _string(term.value)
        return f"{_string(term.value)}^^{compact(term.datatype) or f'<{term.datatype}>'}"
    return "( " + " ".join(_string(v) for v in term.items) + " )"


class JsonLdStream:
    """`{"@context": {...}, "@graph": [ node, node, ... ]}`, one node object per line."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._first = True

    def begin(self) -> None:
        context = dict(PREFIXES)
        self._out.write('{"@context": ' + json.dumps(context) + ',\n "@graph": [\n')

    def write(self, nodes: Iterable[Node]) -> None:
        lines = []
        for node in nodes:
            obj: dict[str, object] = {"@id": self._id(node.subject)}
            types: list[str] = []
            for p, o in node.pairs:
                if p == TYPE and isinstance(o, Iri):
                    types.append(compact(o.value) or o.value)
                    continue
                values = obj.setdefault(compact(p) or p, [])
                assert isinstance(values, list)
                values.append(self._value(o))
            if types:
                obj["@type"] = types
            lines.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))
        if not lines:
            return
        self._out.write(("  " if self._first else ",\n  ") + ",\n  ".join(lines))
        self._first = False

    def end(self) -> None:
        self._out.write("\n ]}\n")
        self._out.flush()

    @staticmethod
    def _id(subject: Iri | Blank) -> str:
        if isinstance(subject, Blank):
            return f"_:{subject.label}"
        return compact(subject.value) or subject.value

    def _value(self, term: Term) -> object:
        if isinstance(term, Iri | Blank):
            return {"@id": self._id(term)}
        if isinstance(term, Lit):
            if term.datatype is None:
                return {"@value": term.value}
            datatype = compact(term.datatype) or term.datatype
            return {"@value": term.value, "@type": datatype}
        return {"@list": [{"@value": v} for v in term.items]}


__all__ = ["JsonLdStream", "RdfStream", "TurtleStream"]
