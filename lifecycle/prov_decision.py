"""One decision record as PROV-O triples in the govroute ontology, for the audit export.

Built from the stored `record` (the string the hash chain covers), so what an auditor
exports is what verification vouches for. Terms are plain strings, not rdflib nodes:
the export writes millions of them, and lifecycle/rdf_stream.py turns these few shapes
straight into Turtle or JSON-LD text.

What each triple means is tabled in docs/audit.md ("The export").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ontology.namespace import DPV, DPV_PD, GR, PROV, RDF, XSD, node_iri

PREFIXES: Mapping[str, str] = {
    "gr": str(GR),
    "prov": str(PROV),
    "dpv": str(DPV),
    "pd": str(DPV_PD),
    "xsd": str(XSD),
    "rdf": str(RDF),
}
TYPE = str(RDF.type)
DATETIME, DOUBLE, INTEGER = str(XSD.dateTime), str(XSD.double), str(XSD.integer)
ITEM_KINDS = frozenset({"Document", "DataSource"})


# Pure lookups that a large export repeats millions of times, memoized within a bound.


@lru_cache(maxsize=1024)
def gr(name: str) -> str:
    """A govroute term's IRI; a name govroute.ttl does not define raises (GR is strict)."""
    return str(GR[name])


@lru_cache(maxsize=1024)
def prov(name: str) -> str:
    return str(PROV[name])


@lru_cache(maxsize=8192)
def _node(kind: str, node_id: str) -> str:
    return str(node_iri(kind, node_id))


@dataclass(frozen=True, slots=True)
class Iri:
    value: str


@dataclass(frozen=True, slots=True)
class Blank:
    label: str


@dataclass(frozen=True, slots=True)
class Lit:
    value: str
    datatype: str | None = None  # None: xsd:string


@dataclass(frozen=True, slots=True)
class Seq:
    """An ordered RDF list of string literals (a policy's justification path)."""

    items: tuple[str, ...]


Subject = Iri | Blank
Term = Iri | Blank | Lit | Seq


@dataclass(frozen=True, slots=True)
class Node:
    """A subject and its (predicate, object) pairs, in the order they were stated."""

    subject: Subject
    pairs: tuple[tuple[str, Term], ...]


@dataclass(slots=True)
class _Builder:
    """Collects nodes; a node IRI stated twice within a decision gets its triples once."""

    blank: Callable[[], Blank]
    # Per subject, its pairs as an ordered set (a dict's keys).
    nodes: dict[Subject, dict[tuple[str, Term], None]] = field(default_factory=dict)

    def add(self, subject: Subject, predicate: str, obj: Term) -> None:
        self.nodes.setdefault(subject, {})[(predicate, obj)] = None

    def entity(self, kind: str, node_id: str, *types: str) -> Iri:
        iri = Iri(_node(kind, node_id))
        if iri not in self.nodes:
            self.add(iri, TYPE, Iri(gr(kind)))
            for t in types:
                self.add(iri, TYPE, Iri(t))
            self.add(iri, gr("id"), Lit(node_id))
        return iri

    def qualified(self, decision: Iri, kind: str, target: Iri | None) -> Blank:
        q = self.blank()
        self.add(decision, gr("qualified"), q)
        self.add(q, TYPE, Iri(gr(kind)))
        if target is not None:
            self.add(q, gr("target"), target)
        return q


def decision_nodes(
    record: Mapping[str, Any],
    *,
    withheld_kinds: Mapping[str, str],
    dpv: Mapping[tuple[str, str], str],
    blank: Callable[[], Blank],
) -> list[Node]:
    """The nodes that describe one decision: the prov:Activity and what it used, who it
    was associated with, what it generated, and the qualifications that carry reasons.

    `withheld_kinds` maps a withheld item id to Document or DataSource where the graph
    knows it; `dpv` maps (Purpose|SensitivityLabel, id) to its DPV IRI where declared;
    `blank` hands out document-unique blank nodes."""
    b = _Builder(blank)
    d = b.entity("Decision", record["id"], prov("Activity"))
    b.add(d, prov("startedAtTime"), Lit(record["created_at"], DATETIME))
    for key in ("outcome", "tenant_id", "principal_id", "policy_version", "prompt_sha256"):
        if record.get(key) is not None:
            b.add(d, GR + key, Lit(str(record[key])))

    # Who: the principal, acting for its tenant, carried out the decision under the plan
    # that is the policy version.
    principal = b.entity("Principal", record["principal_id"], prov("Agent"))
    tenant = b.entity("Tenant", record["tenant_id"], prov("Organization"))
    b.add(principal, gr("MEMBER_OF"), tenant)
    b.add(principal, prov("actedOnBehalfOf"), tenant)
    b.add(d, gr("REQUESTED_BY"), principal)
    b.add(d, prov("wasAssociatedWith"), principal)
    plan = b.entity("PolicySet", record["policy_version"], prov("Plan"))
    b.add(d, gr("UNDER"), plan)
    b.add(d, prov("used"), plan)
    association = blank()
    b.add(d, prov("qualifiedAssociation"), association)
    b.add(association, TYPE, Iri(prov("Association")))
    b.add(association, prov("agent"), principal)
    b.add(association, prov("hadPlan"), plan)

    intent = record.get("intent") or {}
    if intent.get("id"):
        i = b.entity("Intent", intent["id"])
        b.add(d, gr("MATCHED"), i)
        b.add(d, prov("wasInfluencedBy"), i)
        m = b.qualified(d, "IntentMatch", i)
        b.add(m, gr("score"), Lit(repr(float(intent.get("score", 0.0))), DOUBLE))
        b.add(d, gr("intent_score"), Lit(repr(float(intent.get("score", 0.0))), DOUBLE))

    # Why: the declared purpose (DPV where mapped) and the data categories seen.
    if record.get("purpose"):
        purpose = b.entity("Purpose", record["purpose"], str(DPV.Purpose))
        b.add(d, gr("purpose"), Lit(record["purpose"]))
        b.add(d, str(DPV.hasPurpose), purpose)
        if mapped := dpv.get(("Purpose", record["purpose"])):
            b.add(purpose, gr("dpv"), Iri(mapped))
            b.add(d, str(DPV.hasPurpose), Iri(mapped))
    for label in record.get("labels", ()):
        b.add(d, gr("labels"), Lit(label))
        if mapped := dpv.get(("SensitivityLabel", label)):
            b.add(d, str(DPV.hasPersonalData), Iri(mapped))

    # What it used: the items let through; what it kept back, qualified with the reason.
    for exposure in record.get("exposures", ()):
        kind = exposure.get("kind") if exposure.get("kind") in ITEM_KINDS else "Document"
        item = b.entity(kind, exposure["id"], prov("Entity"))
        b.add(d, gr("EXPOSED"), item)
        b.add(d, prov("used"), item)
    for withheld in record.get("withholdings", ()):
        known = withheld_kinds.get(withheld["id"])
        target = b.entity(known, withheld["id"], prov("Entity")) if known else None
        if target is not None:
            b.add(d, gr("WITHHELD"), target)
        w = b.qualified(d, "Withholding", target)
        b.add(w, gr("item_id"), Lit(withheld["id"]))
        b.add(w, gr("code"), Lit(withheld["code"]))
        b.add(w, gr("reason"), Lit(withheld["reason"]))

    for reason in record.get("reasons", ()):
        policy = (
            b.entity("Policy", reason["policy_id"], prov("Entity"))
            if reason.get("policy_id")
            else None
        )
        if policy is not None:
            b.add(d, gr("APPLIED"), policy)
            b.add(d, prov("used"), policy)
        a = b.qualified(d, "PolicyApplication", policy)
        if reason.get("effect"):
            b.add(a, gr("effect"), Lit(reason["effect"]))
        b.add(a, gr("sentence"), Lit(reason["sentence"]))
        if reason.get("path"):
            b.add(a, gr("path"), Seq(tuple(reason["path"])))

    for label, count in sorted(Counter(r["label"] for r in record.get("redactions", ())).items()):
        target = b.entity("SensitivityLabel", label)
        b.add(d, gr("REDACTED"), target)
        r = b.qualified(d, "Redaction", target)
        b.add(r, gr("count"), Lit(str(count), INTEGER))

    # What it generated: the route (primary first), and the candidates that lost.
    route = record.get("route") or {}
    routed = ([route["primary"]] if route.get("primary") else []) + list(route.get("fallbacks", ()))
    if routed:
        generated = blank()
        b.add(d, prov("generated"), generated)
        b.add(generated, TYPE, Iri(prov("Entity")))
        b.add(generated, TYPE, Iri(prov("Collection")))
        b.add(generated, prov("wasGeneratedBy"), d)
        for rank, model_id in enumerate(routed):
            model = b.entity("Model", model_id)
            b.add(generated, prov("hadMember"), model)
            b.add(d, gr("ROUTED_TO"), model)
            c = b.qualified(d, "RouteChoice", model)
            b.add(c, gr("rank"), Lit(str(rank), INTEGER))
    for rejected in route.get("rejected", ()):
        model = b.entity("Model", rejected["model_id"])
        b.add(d, gr("REJECTED"), model)
        j = b.qualified(d, "Rejection", model)
        b.add(j, gr("reason"), Lit("; ".join(rejected.get("reasons", ()))))

    return [Node(s, tuple(pairs)) for s, pairs in b.nodes.items()]


_SIMPLE_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@lru_cache(maxsize=8192)
def compact(iri: str) -> str | None:
    """`prefix:local` for an IRI in one of PREFIXES with a plain local name, else None."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if _SIMPLE_LOCAL.match(local):
                return f"{prefix}:{local}"
    return None
