"""Policy content as RDF in the govroute ontology (docs/ontology.md, "Policy documents as RDF").

A document becomes RDF through the very rows a YAML load writes to Neo4j
(`loaders.graph_mapping.to_graph`): each node row is a node IRI with its properties
under their Neo4j names, each edge a triple, and an edge with properties a
qualification node as well. RDF and the graph therefore agree by construction, and
`loaders.rdf_import` reads RDF back through the same rows (`from_graph`).

`RDF_FIELDS` and `QUALIFIED` say, per kind, which properties a policy document
holds and how each is written; the importer refuses any other gr: term.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from enum import StrEnum
from importlib.resources import files
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from engine.errors import NotFound
from engine.model import UNKNOWN_INTENT
from graph import store
from graph.connection import GraphClient
from graph.content import RELATION_BY_KEY, GraphContent
from loaders.bundle import Bundle
from loaders.graph_mapping import from_graph, to_graph
from loaders.spec import PolicyDocument
from ontology.namespace import GR, ID, RDF, bind_prefixes, node_iri

__all__ = [
    "KIND_PREFIXES",
    "NO_PERMISSIONS",
    "QUALIFIED",
    "RDF_FIELDS",
    "RdfFormat",
    "Values",
    "document_to_rdf",
    "export_active",
    "gr_term",
    "jsonld_context",
    "serialize",
]

RdfFormat = TypingLiteral["turtle", "json-ld"]


class Values(StrEnum):
    """How the values of one property are written."""

    ONE = "one"  # one literal
    MANY = "many"  # one literal per element; order means nothing
    LIST = "list"  # an RDF collection; order matters
    IRI = "iri"  # one IRI, held as a string in Neo4j (gr:dpv)
    LABELS = "labels"  # label node IRIs, held as label ids in Neo4j (gr:removes)


# Node properties a policy document holds, per kind (besides gr:id).
RDF_FIELDS: Mapping[str, Mapping[str, Values]] = {
    "Tenant": {
        "name": Values.ONE,
        "description": Values.ONE,
        "requests_per_minute": Values.ONE,
        "tokens_per_minute": Values.ONE,
        "record_prompts": Values.ONE,
    },
    "Purpose": {"description": Values.ONE, "dpv": Values.IRI},
    "Role": {
        "name": Values.ONE,
        "description": Values.ONE,
        "permissions": Values.MANY,
        "default_purpose": Values.ONE,
    },
    "Principal": {
        "name": Values.ONE,
        "default_purpose": Values.ONE,
        "requests_per_minute": Values.ONE,
        "tokens_per_minute": Values.ONE,
    },
    "ApiKey": {},
    "Jurisdiction": {"name": Values.ONE},
    "Region": {"name": Values.ONE},
    "Certification": {"name": Values.ONE, "description": Values.ONE},
    "Capability": {"description": Values.ONE},
    "SensitivityLabel": {
        "name": Values.ONE,
        "level": Values.ONE,
        "dpv": Values.IRI,
        "description": Values.ONE,
    },
    "EntityType": {
        "description": Values.ONE,
        "patterns": Values.LIST,
        "pattern_scores": Values.LIST,
        "context": Values.MANY,
        "validator": Values.ONE,
    },
    "DataSource": {
        "name": Values.ONE,
        "kind": Values.ONE,
        "description": Values.ONE,
        "shared": Values.ONE,
    },
    "Document": {"title": Values.ONE},
    "Intent": {
        "name": Values.ONE,
        "category": Values.ONE,
        "description": Values.ONE,
        "exemplars": Values.MANY,
        "threshold": Values.ONE,
    },
    "ThreatCategory": {
        "name": Values.ONE,
        "description": Values.ONE,
        "positives": Values.MANY,
        "negatives": Values.MANY,
    },
    "Provider": {
        "name": Values.ONE,
        "trains_on_data": Values.ONE,
        "retention_days": Values.ONE,
        "api_kind": Values.ONE,
        "base_url": Values.ONE,
        "key_env": Values.ONE,
        "api_version": Values.ONE,
        "api_region": Values.ONE,
        "api_auth": Values.ONE,
    },
    "Model": {
        "name": Values.ONE,
        "upstream_name": Values.ONE,
        "context_window": Values.ONE,
        "input_cost_per_mtok": Values.ONE,
        "output_cost_per_mtok": Values.ONE,
        "latency_ms": Values.ONE,
    },
    "Policy": {
        "description": Values.ONE,
        "effect": Values.ONE,
        "priority": Values.ONE,
        "purposes": Values.MANY,
        "threats": Values.MANY,
        "no_training": Values.ONE,
        "max_retention_days": Values.ONE,
        "block_output": Values.ONE,
        "review_ttl_minutes": Values.ONE,
        "cache_ttl_seconds": Values.ONE,
        "cache_semantic_threshold": Values.ONE,
        "cache_max_temperature": Values.ONE,
        "balances": Values.ONE,
        "balance_weights": Values.MANY,
        "tools_allow": Values.MANY,
        "tools_providers": Values.MANY,
        "tools_refused": Values.ONE,
    },
    "DetectionSettings": {
        "phone_regions": Values.MANY,
        "invalid_numbers": Values.ONE,
        "context_instructions": Values.ONE,
    },
    "DetectionRecognizer": {
        "regex": Values.ONE,
        "base_score": Values.ONE,
        "checksum": Values.ONE,
        "cue_words": Values.MANY,
        "invalid_numbers": Values.ONE,
    },
    "ValueList": {"list_kind": Values.ONE, "values": Values.MANY},
    "DriftSettings": {
        "window_minutes": Values.ONE,
        "baseline_minutes": Values.ONE,
        "watch_hours": Values.ONE,
        "min_decisions": Values.ONE,
        "threat_score": Values.ONE,
    },
    "DriftLimit": {
        "metric": Values.ONE,
        "max_increase": Values.ONE,
        "max_ratio": Values.ONE,
        "min_decisions": Values.ONE,
        "action": Values.ONE,
    },
    "GovernanceSettings": {"approvals_required": Values.ONE},
}

# Relationship type -> (qualified-relation class, its properties).
QUALIFIED: Mapping[str, tuple[str, Mapping[str, Values]]] = {
    "CAN_ACCESS": ("AccessGrant", {"purposes": Values.MANY}),
    "DERIVED_FROM": ("Derivation", {"transform": Values.ONE, "removes": Values.LABELS}),
    "PREFERS": ("Preference", {"rank": Values.ONE}),
}

# Text whose YAML default is "": left out when empty, which reads the same.
_EMPTY_BY_DEFAULT = frozenset({"description", "title", "transform"})

NO_PERMISSIONS = "none"
"""gr:permissions value of a role that may call no API operation (YAML `permissions: []`).

Unordered lists are one triple per element, so an empty list is no triple at all,
which would read back as the YAML default (decide, chat): more than the role had.
"""

# One prefix per kind keeps exported Turtle readable (the names of docs/ontology.md).
KIND_PREFIXES: Mapping[str, str] = {
    "Tenant": "tenant",
    "Purpose": "purpose",
    "Role": "role",
    "Principal": "principal",
    "ApiKey": "apikey",
    "Jurisdiction": "jur",
    "Region": "region",
    "Certification": "cert",
    "Capability": "cap",
    "SensitivityLabel": "label",
    "EntityType": "entity",
    "DataSource": "source",
    "Document": "doc",
    "Intent": "intent",
    "ThreatCategory": "threat",
    "Provider": "provider",
    "Model": "model",
    "Policy": "policy",
    "DetectionSettings": "detection",
    "DetectionRecognizer": "recognizer",
    "ValueList": "valuelist",
    "DriftSettings": "drift",
    "DriftLimit": "driftlimit",
    "GovernanceSettings": "governance",
}


def document_to_rdf(doc: PolicyDocument) -> Graph:
    """The triples of a policy document, as docs/ontology.md's table prescribes."""
    content = to_graph(Bundle.from_document(doc, "<rdf export>"))
    graph = _bind_kind_prefixes(bind_prefixes(Graph()))
    for kind, rows in content.nodes.items():
        for row in rows:
            if kind == "Intent" and row["id"] == UNKNOWN_INTENT:
                continue  # built in: every load adds it, no document declares it
            _add_node(graph, kind, row)
    _add_edges(graph, content)
    return graph


def export_active(client: GraphClient, format: RdfFormat = "turtle") -> str:
    """The active policy content of the graph as Turtle or JSON-LD."""
    info, content = store.read_policy_content(client)
    if info is None:
        raise NotFound("there is no active policy content to export; load some first")
    text = serialize(document_to_rdf(from_graph(content)), format)
    if format == "turtle":
        header = (
            f"# govroute policy content: PolicySet v{info.version}, {info.content_hash}\n"
            "# Load it with `govroute load FILE.ttl`.\n\n"
        )
        return header + text
    return text


def serialize(graph: Graph, format: RdfFormat) -> str:
    """Turtle with govroute's prefixes, or JSON-LD with the shipped compact @context."""
    if format == "turtle":
        return graph.serialize(format="turtle")
    if format == "json-ld":
        context = jsonld_context()
        data = _tidy_json_ld(json.loads(graph.serialize(format="json-ld", context=context)))
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    raise ValueError(f"unknown RDF format {format!r}: turtle or json-ld")


def jsonld_context() -> dict[str, Any]:
    """The @context of ontology/context.jsonld: gr: as @vocab, kind prefixes, coercions."""
    text = files("ontology").joinpath("context.jsonld").read_text(encoding="utf-8")
    context = json.loads(text)["@context"]
    assert isinstance(context, dict)
    return context


def _tidy_json_ld(data: dict[str, Any]) -> dict[str, Any]:
    """What rdflib's serializer leaves undone: a stable node order, qualification nodes
    inside their subject, and the context's list and number terms used where it fell
    back to full IRIs and strings."""
    context = data.pop("@context")
    nodes: list[dict[str, Any]] = data.pop("@graph", [data] if data else [])
    lists = {k for k, v in context.items() if isinstance(v, dict) and "@list" in v.values()}
    doubles = {
        k for k, v in context.items() if isinstance(v, dict) and v.get("@type") == "xsd:double"
    }

    def term(key: str, value: Any) -> tuple[str, Any]:
        local = key.removeprefix(str(GR))
        if local in lists and isinstance(value, dict) and "@list" in value:
            key, value = local, value["@list"]
        if key in doubles:
            value = [float(v) for v in value] if isinstance(value, list) else float(value)
        return key, value

    nodes = [dict(term(k, v) for k, v in node.items()) for node in nodes]
    blank = {node["@id"]: node for node in nodes if str(node.get("@id", "")).startswith("_:")}

    def inline(value: Any) -> Any:
        if isinstance(value, list):
            return [inline(v) for v in value]
        if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in blank:
            node = blank.pop(value["@id"])
            return {k: inline(v) for k, v in node.items() if k != "@id"}
        return value

    named = [node for node in nodes if not str(node.get("@id", "")).startswith("_:")]
    tidy = [{k: inline(v) for k, v in node.items()} for node in named]
    tidy += list(blank.values())  # blank nodes nothing points to (none in policy content)
    tidy.sort(key=lambda node: str(node.get("@id", "")))
    return {"@context": context, "@graph": tidy}


def gr_term(name: str) -> URIRef:
    """The gr: term called `name` (a node label, relationship type or property name).

    Looked up through `GR`, so a name the ontology lacks fails loudly.
    """
    term: URIRef = getattr(GR, name)
    return term


def _bind_kind_prefixes(graph: Graph) -> Graph:
    for kind, prefix in KIND_PREFIXES.items():
        graph.bind(prefix, Namespace(f"{ID}{kind}/"))
    return graph


def _add_node(graph: Graph, kind: str, row: Mapping[str, Any]) -> None:
    subject = node_iri(kind, row["id"])
    graph.add((subject, RDF.type, gr_term(kind)))
    graph.add((subject, GR.id, Literal(row["id"])))
    fields = RDF_FIELDS[kind]
    for key, value in row.items():
        if key in fields:
            _add_values(graph, subject, key, fields[key], value)
    if kind == "Role" and not row["permissions"]:
        graph.add((subject, GR.permissions, Literal(NO_PERMISSIONS)))


def _add_edges(graph: Graph, content: GraphContent) -> None:
    for key, edges in content.edges.items():
        rel = RELATION_BY_KEY[key]
        predicate = gr_term(rel.type)
        for edge in edges:
            subject = node_iri(rel.source, edge.source)
            target = node_iri(rel.target, edge.target)
            graph.add((subject, predicate, target))
            if rel.type not in QUALIFIED:
                continue
            cls, fields = QUALIFIED[rel.type]
            qualifier = _qualifier(subject, rel.type, target)
            graph.add((subject, GR.qualified, qualifier))
            graph.add((qualifier, RDF.type, gr_term(cls)))
            graph.add((qualifier, GR.target, target))
            for prop, value in edge.props.items():
                _add_values(graph, qualifier, prop, fields[prop], value)


def _qualifier(subject: URIRef, type_: str, target: URIRef) -> BNode:
    # A blank node, as in hand-written documents (Turtle shows it inline, next to
    # its subject), named after the edge so the same content always serializes alike.
    digest = hashlib.sha256(f"{subject} {type_} {target}".encode()).hexdigest()
    return BNode(f"q{digest[:24]}")


def _add_values(graph: Graph, subject: URIRef | BNode, key: str, how: Values, value: Any) -> None:
    predicate = gr_term(key)
    if value is None or (key in _EMPTY_BY_DEFAULT and value == ""):
        return
    if how is Values.ONE:
        graph.add((subject, predicate, Literal(value)))
    elif how is Values.MANY:
        for element in value:
            graph.add((subject, predicate, Literal(element)))
    elif how is Values.LIST:
        head = BNode()
        Collection(graph, head, [Literal(element) for element in value])
        graph.add((subject, predicate, head))
    elif how is Values.IRI:
        graph.add((subject, predicate, URIRef(value)))
    else:
        for label in value:
            graph.add((subject, predicate, node_iri("SensitivityLabel", label)))
