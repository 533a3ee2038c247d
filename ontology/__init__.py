"""govroute's vocabulary (govroute.ttl), its SHACL shapes (shapes.ttl) and namespaces.

A leaf package: it imports nothing of the project, so graph/ and loaders/ can use it.
The Turtle files ship as package data; these functions parse a fresh copy each call,
because an rdflib Graph is mutable and callers may add to it.
"""

from __future__ import annotations

from importlib.resources import files

from rdflib import Graph

from ontology.namespace import GR, bind_prefixes

__all__ = ["GR", "decision_shapes_graph", "ontology_graph", "shapes_graph"]


def ontology_graph() -> Graph:
    """The OWL vocabulary: classes, relationship types and properties, with W3C mappings."""
    return _load("govroute.ttl")


def shapes_graph() -> Graph:
    """The SHACL shapes an RDF policy document must conform to."""
    return _load("shapes.ttl")


def decision_shapes_graph() -> Graph:
    """The SHACL shapes a decision export (`govroute audit export`) must conform to."""
    return _load("decision_shapes.ttl")


def _load(name: str) -> Graph:
    text = files(__name__).joinpath(name).read_text(encoding="utf-8")
    return bind_prefixes(Graph()).parse(data=text, format="turtle")
