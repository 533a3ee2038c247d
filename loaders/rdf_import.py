"""Reading a policy document written as RDF (Turtle or JSON-LD) into a checked bundle.

The steps, each refusing the whole file with every problem it found:

1. the bytes: a size limit and strict UTF-8, as for YAML; JSON-LD may not name a
   remote @context (nothing is fetched) nor a key its @context would silently drop;
2. the terms: every node is a gr: kind a policy document holds, named by its
   canonical IRI; every gr: property is one the mapping reads for that kind (a typo
   must not vanish); every reference names a node the document declares;
3. SHACL (ontology/shapes.ttl): what loaders/spec.py checks for YAML;
4. the triples become the rows a YAML load writes (`loaders.rdf_export.RDF_FIELDS`),
   `from_graph` turns them into a PolicyDocument, and its references are checked
   like YAML's (lineage cycles, ids shared by a data source and a document).

Problems are located by node IRI (`location`) and gr: property (`path`). Relative
IRIs resolve against https://govroute.dev/id/, so `<Tenant/acme>` is tenant acme.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from typing import Literal as TypingLiteral

import pyshacl
from pydantic import ValidationError
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor, Result
from rdflib.term import Identifier, Node

from engine.errors import InvalidPolicyData, Problem
from engine.model import UNKNOWN_INTENT
from graph.connection import GraphClient
from graph.content import RELATIONS, GraphContent, relation
from loaders.bundle import Bundle
from loaders.graph_mapping import from_graph
from loaders.policy_load import LoadReport, apply_bundle
from loaders.rdf_export import NO_PERMISSIONS, QUALIFIED, RDF_FIELDS, Values, gr_term
from loaders.references import check_references
from loaders.spec import PolicyDocument
from loaders.yaml_source import MAX_FILE_BYTES
from ontology import shapes_graph
from ontology.namespace import GR, ID, RDF, SH, node_iri, node_key

__all__ = ["RDF_SUFFIXES", "is_rdf_path", "load_rdf_path", "read_rdf"]

RdfSyntax = TypingLiteral["turtle", "json-ld"]
RDF_SUFFIXES: dict[str, RdfSyntax] = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld"}

_GR = str(GR)
_UNKNOWN_INTENT = node_iri("Intent", UNKNOWN_INTENT)
# section of a PolicyDocument -> the node kind its items are
_SECTION_KIND = {
    "tenants": "Tenant",
    "purposes": "Purpose",
    "roles": "Role",
    "principals": "Principal",
    "jurisdictions": "Jurisdiction",
    "regions": "Region",
    "certifications": "Certification",
    "capabilities": "Capability",
    "labels": "SensitivityLabel",
    "entity_types": "EntityType",
    "data_sources": "DataSource",
    "documents": "Document",
    "intents": "Intent",
    "threat_categories": "ThreatCategory",
    "providers": "Provider",
    "models": "Model",
    "policies": "Policy",
    "detection": "DetectionSettings",
    "drift": "DriftSettings",
    "governance": "GovernanceSettings",
}
# relationship types each kind states, and the qualified-relation classes
_OUTGOING: dict[str, set[str]] = defaultdict(set)
for _rel in RELATIONS:
    _OUTGOING[_rel.source].add(_rel.type)
_QUALIFIER_CLASS = {cls: type_ for type_, (cls, _) in QUALIFIED.items()}
_LISTS = {
    key for fields in RDF_FIELDS.values() for key, how in fields.items() if how is Values.LIST
}


def is_rdf_path(path: Path) -> bool:
    """Whether `path` names a file `read_rdf` reads (by its suffix)."""
    return path.suffix.lower() in RDF_SUFFIXES and not path.is_dir()


def load_rdf_path(client: GraphClient, path: Path, *, author: str, message: str) -> LoadReport:
    """Read, check and apply an RDF policy document: the same write as a YAML load."""
    return apply_bundle(client, read_rdf(path), author=author, message=message)


def read_rdf(path: Path) -> Bundle:
    """Parse and fully check a Turtle or JSON-LD policy document; no graph access."""
    name = path.name
    graph = _parse(_read_text(path, name), RDF_SUFFIXES.get(path.suffix.lower(), "turtle"), name)
    _refuse([*_check_terms(graph, name), *_check_shapes(graph, name)])
    content = _content(graph, name)
    bundle = Bundle.from_document(_document(content, name), name)
    for section, item_id in list(bundle.origins):
        # Located by node IRI: Bundle.where() splits "<source>:<location>" at the first ':'.
        bundle.origins[(section, item_id)] = f"{name}:{node_iri(_SECTION_KIND[section], item_id)}"
    check_references(bundle)
    return bundle


# ---------------------------------------------------------------- 1. bytes and syntax


def _read_text(path: Path, name: str) -> str:
    if not path.is_file():
        raise InvalidPolicyData([Problem(str(path), "", "", "no such file")])
    if path.suffix.lower() not in RDF_SUFFIXES:
        known = ", ".join(sorted(RDF_SUFFIXES))
        raise InvalidPolicyData([Problem(name, "", "", f"is not RDF; expected one of {known}")])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InvalidPolicyData(
            [Problem(name, "", "", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidPolicyData(
            [Problem(name, f"byte {exc.start}", "", "is not valid UTF-8")]
        ) from exc


class _DataGraph(Graph):
    """A graph that parses each SPARQL text once.

    pyshacl runs a SPARQL constraint once per focus node, always with the same text
    and $this bound; rdflib would parse and translate that text every time, which was
    more than half of the time the reference enterprise took to validate. The
    prepared query is exactly what `Graph.query` would have built from the text.
    """

    def __init__(self) -> None:
        super().__init__()
        self._prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Query] = {}

    def query(
        self,
        query_object: str | Query,
        processor: str | Processor = "sparql",
        result: str | type[Result] = "sparql",
        initNs: Mapping[str, Any] | None = None,
        initBindings: Mapping[str, Identifier] | None = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Result:
        if isinstance(query_object, str):
            key = (query_object, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in self._prepared:
                self._prepared[key] = prepareQuery(query_object, initNs=initNs)
            query_object = self._prepared[key]
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def _parse(text: str, syntax: RdfSyntax, name: str) -> Graph:
    graph = _DataGraph()
    if syntax == "turtle":
        try:
            return graph.parse(data=text, format="turtle", publicID=str(ID))
        except BadSyntax as exc:
            why = getattr(exc, "_why", "") or str(exc)
            line = int(getattr(exc, "lines", 0)) + 1
            raise InvalidPolicyData(
                [Problem(name, f"line {line}", "", f"is not valid Turtle: {why}")]
            ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidPolicyData(
            [Problem(name, where, "", f"is not valid JSON: {exc.msg}")]
        ) from exc
    _refuse(list(_check_json_ld(data, name)))
    dataset = Dataset()
    try:
        dataset.parse(data=json.dumps(data), format="json-ld", publicID=str(ID))
    except Exception as exc:  # rdflib's JSON-LD processor raises plain Exceptions
        raise InvalidPolicyData([Problem(name, "", "", f"is not valid JSON-LD: {exc}")]) from exc
    # A top-level "@id" beside "@graph" makes a named graph; read as a plain graph its
    # nodes would vanish, and an empty document would retire every policy.
    named = sorted(
        str(g.identifier)
        for g in dataset.graphs()
        if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
    )
    if named:
        raise InvalidPolicyData(
            [
                Problem(
                    name,
                    ", ".join(named),
                    "@graph",
                    "is a named graph; a policy document is the default graph only "
                    '(no "@id" beside the top-level "@graph")',
                )
            ]
        )
    for triple in dataset.graph(DATASET_DEFAULT_GRAPH_ID):
        graph.add(triple)
    return graph


def _check_json_ld(data: Any, name: str) -> Iterator[Problem]:
    """No remote context (it would be fetched), no key that JSON-LD would drop unread."""
    terms: set[str] = set()
    vocab = False
    for context in _contexts(data):
        if isinstance(context, str):
            yield Problem(
                name,
                "",
                "@context",
                f"names a remote context ({context}), which is never fetched; "
                "embed it (ontology/context.jsonld is govroute's)",
            )
        elif isinstance(context, dict):
            vocab = vocab or context.get("@vocab") is not None
            terms.update(k for k in context if not k.startswith("@"))
            imported = context.get("@import")
            if isinstance(imported, str):
                yield Problem(name, "", "@import", f"imports a remote context ({imported})")
    if vocab:
        return  # every key expands; a misspelt gr: term is caught with the other terms
    for node, key in _keys(data):
        if not key.startswith("@") and ":" not in key and key not in terms:
            yield Problem(
                name,
                str(node.get("@id", "")),
                key,
                "is not a term of the @context, so JSON-LD would drop it unread",
            )


def _contexts(data: Any) -> Iterator[Any]:
    if isinstance(data, list):
        for element in data:
            yield from _contexts(element)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key == "@context":
                yield from value if isinstance(value, list) else [value]
                for context in value if isinstance(value, list) else [value]:
                    if isinstance(context, dict):
                        for definition in context.values():
                            yield from _contexts(definition)  # scoped contexts
            else:
                yield from _contexts(value)


def _keys(data: Any) -> Iterator[tuple[dict[str, Any], str]]:
    if isinstance(data, list):
        for element in data:
            yield from _keys(element)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key == "@context":
                continue
            yield data, key
            yield from _keys(value)


# ---------------------------------------------------------------- 2. terms


def _check_terms(graph: Graph, name: str) -> Iterator[Problem]:
    if not any((None, RDF.type, gr_term(kind)) in graph for kind in RDF_FIELDS):
        # Loading nothing would retire every policy: more likely a mistake than a wish.
        yield Problem(name, "", "", "holds no policy content (no node a gr:<Kind>)")
    for subject in sorted(set(graph.subjects()), key=str):
        gr_types = {
            t
            for t in graph.objects(subject, RDF.type)
            if isinstance(t, URIRef) and str(t).startswith(_GR)
        }
        gr_predicates = {p for p in graph.predicates(subject) if str(p).startswith(_GR)}
        where = _where(graph, subject)
        if not gr_types:
            if gr_predicates:
                yield Problem(
                    name,
                    where,
                    _local(min(gr_predicates, key=str)),
                    "has govroute properties but no rdf:type gr:<Kind>; is its IRI misspelt?",
                )
            continue
        allowed: set[str] = set()
        for cls in sorted(gr_types, key=str):
            kind = _local(cls)
            if kind in RDF_FIELDS:
                yield from _check_node_iri(subject, kind, name)
                allowed |= {"id", *RDF_FIELDS[kind], *_OUTGOING[kind]}
                if _OUTGOING[kind] & set(QUALIFIED):
                    allowed.add("qualified")
            elif kind in _QUALIFIER_CLASS:
                allowed |= {"target", *QUALIFIED[_QUALIFIER_CLASS[kind]][1]}
            elif kind in GR.__annotations__:
                yield Problem(
                    name,
                    where,
                    "type",
                    f"gr:{kind} is written by govroute, not by policy documents",
                )
            else:
                yield Problem(name, where, "type", f"gr:{kind} is not a class of the ontology")
        for predicate in sorted(gr_predicates, key=str):
            local = _local(predicate)
            if local in allowed:
                yield from _check_references(graph, subject, predicate, name)
                yield from _check_lists(graph, subject, predicate, name)
            elif local not in GR.__annotations__:
                yield Problem(name, where, local, f"gr:{local} is not a term of the ontology")
            else:
                kinds = " / ".join(f"gr:{_local(t)}" for t in sorted(gr_types, key=str))
                yield Problem(
                    name,
                    where,
                    local,
                    f"gr:{local} is not a property of {kinds} in a policy document",
                )


def _check_node_iri(subject: Node, kind: str, name: str) -> Iterator[Problem]:
    if not isinstance(subject, URIRef):
        yield Problem(
            name, str(subject), "", f"a gr:{kind} needs an IRI {ID}{kind}/<id>, not a blank node"
        )
        return
    try:
        node_key(str(subject))
    except ValueError as exc:
        yield Problem(name, str(subject), "", str(exc))


def _check_lists(graph: Graph, subject: Node, predicate: Node, name: str) -> Iterator[Problem]:
    # A plain literal where a list belongs passes the shapes (their list paths find
    # no members) and would read as no list at all: a recognizer silently lost.
    local = _local(predicate)
    if local not in _LISTS:
        return
    for head in graph.objects(subject, predicate):
        if _list_members(graph, head) is None:
            yield Problem(
                name, _where(graph, subject), local, f"must be one RDF list, e.g. gr:{local} ( … )"
            )


def _check_references(graph: Graph, subject: Node, predicate: Node, name: str) -> Iterator[Problem]:
    local = _local(predicate)
    if not (local.isupper() or local in ("target", "removes")):
        return
    for target in graph.objects(subject, predicate):
        if not isinstance(target, URIRef):
            continue  # SHACL names literals and blank nodes where a node belongs
        try:
            kind, target_id = node_key(str(target))
        except ValueError as exc:
            yield Problem(name, _where(graph, subject), local, str(exc))
            continue
        if target != _UNKNOWN_INTENT and (target, RDF.type, gr_term(kind)) not in graph:
            yield Problem(
                name,
                _where(graph, subject),
                local,
                f"names {kind} '{target_id}', which the document does not declare "
                f"(<{target}> a gr:{kind})",
            )


# ---------------------------------------------------------------- 3. SHACL


def _check_shapes(graph: Graph, name: str) -> list[Problem]:
    # No inference: documents state exact classes, and sh:class needs nothing more.
    # inplace: no inference means nothing is added, and pyshacl then queries our
    # _DataGraph itself rather than a copy.
    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), inference="none", inplace=True
    )
    if conforms:
        return []
    assert isinstance(report, Graph)
    problems = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        value = report.value(result, SH.value)
        if focus == URIRef(str(ID)) and value is not None:
            focus = value  # the one document-wide check (node IRIs) names the node as value
        path = report.value(result, SH.resultPath)
        problems.append(
            Problem(
                name,
                _where(graph, focus) if focus is not None else "",
                _path(report, path) if path is not None else "",
                str(report.value(result, SH.resultMessage) or "does not conform"),
            )
        )
    return problems


def _path(report: Graph, path: Node) -> str:
    if isinstance(path, URIRef):
        return _local(path) if str(path).startswith(_GR) else report.namespace_manager.qname(path)
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path(report, inverse)
    repeated = report.value(path, SH.zeroOrMorePath)
    if repeated is not None:
        return _path(report, repeated) + "*"
    if report.value(path, RDF.first) is not None:
        steps = [_path(report, step) for step in Collection(report, path)]
        if steps[-2:] == ["rdf:rest*", "rdf:first"]:
            return "/".join(steps[:-2]) + "[]"  # the members of an RDF list
        return "/".join(steps)
    return str(path)


# ---------------------------------------------------------------- 4. rows, document, bundle


def _content(graph: Graph, name: str) -> GraphContent:
    content = GraphContent()
    problems: list[Problem] = []
    for kind, fields in RDF_FIELDS.items():
        for subject in sorted(graph.subjects(RDF.type, gr_term(kind)), key=str):
            assert isinstance(subject, URIRef)  # _check_terms refused anything else
            _, node_id = node_key(str(subject))
            row: dict[str, Any] = {"id": node_id}
            for key, how in fields.items():
                value = _values(graph, subject, key, how, problems, name)
                if value is not None:
                    row[key] = value
            if kind == "Role" and row.get("permissions") == [NO_PERMISSIONS]:
                row["permissions"] = []
            content.add_node(kind, row)
            _add_edges(graph, content, (kind, node_id), subject, problems, name)
    _refuse(problems)
    return content


def _add_edges(
    graph: Graph,
    content: GraphContent,
    node: tuple[str, str],
    subject: URIRef,
    problems: list[Problem],
    name: str,
) -> None:
    kind, node_id = node
    ranks: dict[tuple[str, int], URIRef] = {}
    for type_ in sorted(_OUTGOING[kind]):
        for target in sorted(graph.objects(subject, gr_term(type_)), key=str):
            assert isinstance(target, URIRef)  # the shapes refused anything else
            target_kind, target_id = node_key(str(target))
            props: dict[str, Any] | None = {}
            if type_ in QUALIFIED:
                props = _qualification(graph, subject, type_, target, problems, name)
            if props is None:
                continue
            if type_ == "PREFERS":
                clash = ranks.setdefault((target_kind, props["rank"]), target)
                if clash != target:
                    problems.append(
                        Problem(
                            name,
                            str(subject),
                            "rank",
                            f"<{clash}> and <{target}> both have rank {props['rank']}; "
                            "ranks order the preferences, so each needs its own",
                        )
                    )
            content.add_edge(relation(kind, type_, target_kind), node_id, target_id, **props)


# What an edge cannot do without: YAML requires these fields of a grant and a preference.
_REQUIRED = {"CAN_ACCESS": ("purposes", "its purposes"), "PREFERS": ("rank", "its rank")}


def _qualification(
    graph: Graph,
    subject: URIRef,
    type_: str,
    target: URIRef,
    problems: list[Problem],
    name: str,
) -> dict[str, Any] | None:
    """The properties of one edge, from its qualification node; None if they are wrong."""
    cls, fields = QUALIFIED[type_]
    qualifiers = [
        q
        for q in graph.objects(subject, GR.qualified)
        if (q, GR.target, target) in graph and (q, RDF.type, gr_term(cls)) in graph
    ]
    if len(qualifiers) > 1:
        problems.append(
            Problem(
                name,
                str(subject),
                "qualified",
                f"has {len(qualifiers)} gr:{cls} for <{target}>; merge them into one",
            )
        )
        return None
    props: dict[str, Any] = {}
    for qualifier in qualifiers:
        for key, how in fields.items():
            value = _values(graph, qualifier, key, how, problems, name)
            if value is not None:
                props[key] = value
    required, what = _REQUIRED.get(type_, ("", ""))
    if required and required not in props:
        problems.append(
            Problem(
                name,
                str(subject),
                type_,
                f"the {type_} edge to <{target}> needs a gr:{cls} giving {what}",
            )
        )
        return None
    return props


def _values(
    graph: Graph, subject: Node, key: str, how: Values, problems: list[Problem], name: str
) -> Any:
    objects = list(graph.objects(subject, gr_term(key)))
    if not objects:
        return None
    where = _where(graph, subject)
    if how is Values.ONE:
        if len(objects) > 1:
            problems.append(Problem(name, where, key, f"has {len(objects)} values; one expected"))
            return None
        return _python(objects[0], key, where, problems, name)
    if how is Values.MANY:  # order means nothing: sorted, so the content hash is stable
        return sorted((_python(o, key, where, problems, name) for o in objects), key=str)
    if how is Values.IRI:
        return str(objects[0])
    if how is Values.LABELS:
        return sorted(node_key(str(o))[1] for o in objects)
    members = _list_members(graph, objects[0]) or []  # _check_lists refused malformed lists
    return [_python(o, key, where, problems, name) for o in members]


def _list_members(graph: Graph, head: Node) -> list[Node] | None:
    """The members of a well-formed RDF collection, or None if `head` is not one."""
    members: list[Node] = []
    seen: set[Node] = set()
    node = head
    while node != RDF.nil:
        firsts = list(graph.objects(node, RDF.first))
        rests = list(graph.objects(node, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1 or node in seen:
            return None
        seen.add(node)
        members.append(firsts[0])
        node = rests[0]
    return members


def _python(value: Node, key: str, where: str, problems: list[Problem], name: str) -> Any:
    if not isinstance(value, Literal):
        problems.append(Problem(name, where, key, f"must be a literal value, not <{value}>"))
        return None
    result = value.toPython()
    if isinstance(result, Literal):
        problems.append(Problem(name, where, key, f"{value.n3()} is not a valid value"))
        return None
    return result


def _document(content: GraphContent, name: str) -> PolicyDocument:
    try:
        return from_graph(content)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            message = str(error["msg"]).removeprefix("Value error, ")
            loc = error["loc"]
            if len(loc) < 2 or str(loc[0]) not in _SECTION_KIND:
                problems.append(Problem(name, "", ".".join(map(str, loc)), message))
                continue
            kind = _SECTION_KIND[str(loc[0])]
            item_id = content.nodes[kind][int(loc[1])]["id"]
            path = ".".join(str(part) for part in loc[2:])
            problems.append(Problem(name, str(node_iri(kind, item_id)), path, message))
        raise InvalidPolicyData(problems) from exc


# ---------------------------------------------------------------- helpers


def _refuse(problems: list[Problem]) -> None:
    if problems:
        unique = sorted(set(problems), key=lambda p: (p.location, p.path, p.message))
        raise InvalidPolicyData(unique)


def _local(term: Node) -> str:
    return str(term).removeprefix(_GR)


def _where(graph: Graph, node: Node) -> str:
    """A node's IRI; for a blank qualification node, its subject, class and target."""
    if not isinstance(node, BNode):
        return str(node)
    holder = graph.value(None, GR.qualified, node)
    cls = graph.value(node, RDF.type)
    target = graph.value(node, GR.target)
    if holder is None:
        return f"_:{node}"
    described = f"a gr:{_local(cls)}" if cls is not None else "a qualification"
    to = f" to <{target}>" if target is not None else ""
    return f"{holder} gr:qualified [ {described}{to} ]"
