"""The mapping between policy documents and graph rows, in both directions.

`to_graph` turns a checked bundle into the nodes and edges a load writes;
`from_graph` rebuilds the policy document from what the graph holds (used by
RDF export and by the round-trip tests). The two must stay exact inverses on
canonical content.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from engine.model import UNKNOWN_INTENT, IntentCategory, ThreatCondition
from graph.content import Edge, GraphContent, relation
from loaders.bundle import Bundle
from loaders.serving_spec import serving_properties, serving_settings
from loaders.spec import PolicyDocument

ORIGIN = "policy"

UNKNOWN_INTENT_ROW: dict[str, Any] = {
    "id": UNKNOWN_INTENT,
    "name": "Unknown",
    "category": IntentCategory.UNKNOWN.value,
    "description": "What a prompt matches when no intent clears its threshold.",
    "exemplars": [],
    "threshold": 1.0,
}


def to_graph(bundle: Bundle) -> GraphContent:
    doc = bundle.canonical()
    out = GraphContent()
    documents = {d["id"] for d in doc["documents"]}

    def node(label: str, **props: Any) -> None:
        row = {k: v for k, v in props.items() if v is not None}
        out.add_node(label, {**row, "origin": ORIGIN, "retired": False})

    def edge(
        source_kind: str, type_: str, target_kind: str, source: str, target: str, **props: Any
    ) -> None:
        out.add_edge(relation(source_kind, type_, target_kind), source, target, **props)

    def belongs(kind: str, item: dict[str, Any]) -> None:
        if item.get("tenant"):
            edge(kind, "BELONGS_TO", "Tenant", item["id"], item["tenant"])

    for t in doc["tenants"]:
        node(
            "Tenant",
            id=t["id"],
            name=t["name"],
            description=t["description"],
            record_prompts=t["record_prompts"],
            **_limits(t),
        )
    for purpose in doc["purposes"]:
        node("Purpose", id=purpose["id"], description=purpose["description"], dpv=purpose["dpv"])
    for r in doc["roles"]:
        node(
            "Role",
            id=r["id"],
            name=r["name"],
            description=r["description"],
            permissions=r["permissions"],
            default_purpose=r["default_purpose"],
        )
        belongs("Role", r)
        for grant in r["can_access"]:
            edge(
                "Role",
                "CAN_ACCESS",
                "DataSource",
                r["id"],
                grant["source"],
                purposes=grant["purposes"],
            )
    for p in doc["principals"]:
        node(
            "Principal",
            id=p["id"],
            name=p["name"],
            default_purpose=p["default_purpose"],
            **_limits(p),
        )
        edge("Principal", "MEMBER_OF", "Tenant", p["id"], p["tenant"])
        for role in p["roles"]:
            edge("Principal", "HAS_ROLE", "Role", p["id"], role)
        for key in p["api_keys"]:
            digest = key.removeprefix("sha256:")
            node("ApiKey", id=digest)
            edge("ApiKey", "IDENTIFIES", "Principal", digest, p["id"])
    for j in doc["jurisdictions"]:
        node("Jurisdiction", id=j["id"], name=j["name"])
    for g in doc["regions"]:
        node("Region", id=g["id"], name=g["name"])
        edge("Region", "IN", "Jurisdiction", g["id"], g["jurisdiction"])
    for c in doc["certifications"]:
        node("Certification", id=c["id"], name=c["name"], description=c["description"])
    for c in doc["capabilities"]:
        node("Capability", id=c["id"], description=c["description"])
    for lab in doc["labels"]:
        node(
            "SensitivityLabel",
            id=lab["id"],
            name=lab["name"],
            level=lab["level"],
            dpv=lab["dpv"],
            description=lab["description"],
        )
        if lab["parent"]:
            edge("SensitivityLabel", "SUBLABEL_OF", "SensitivityLabel", lab["id"], lab["parent"])
    for e in doc["entity_types"]:
        rec = e["recognizer"]
        node(
            "EntityType",
            id=e["id"],
            description=e["description"],
            patterns=[p["regex"] for p in rec["patterns"]] if rec else None,
            pattern_scores=[p["score"] for p in rec["patterns"]] if rec else None,
            context=rec["context"] if rec else None,
            validator=rec["validator"] if rec else None,
        )
        for label in e["indicates"]:
            edge("EntityType", "INDICATES", "SensitivityLabel", e["id"], label)
    for kind, section in (("DataSource", "data_sources"), ("Document", "documents")):
        for d in doc[section]:
            if kind == "DataSource":
                node(
                    kind,
                    id=d["id"],
                    name=d["name"],
                    kind=d["kind"],
                    description=d["description"],
                    shared=d["shared"] or None,
                )
                if d["region"]:
                    edge(kind, "RESIDES_IN", "Region", d["id"], d["region"])
            else:
                node(kind, id=d["id"], title=d["title"])
                edge(kind, "PART_OF", "DataSource", d["id"], d["source"])
            belongs(kind, d)
            for label in d["labels"]:
                edge(kind, "HAS_LABEL", "SensitivityLabel", d["id"], label)
            for up in d["derived_from"]:
                target = "Document" if up["source"] in documents else "DataSource"
                edge(
                    kind,
                    "DERIVED_FROM",
                    target,
                    d["id"],
                    up["source"],
                    transform=up["transform"],
                    removes=up["removes_labels"],
                )
    node("Intent", **UNKNOWN_INTENT_ROW)
    for i in doc["intents"]:
        node(
            "Intent",
            id=i["id"],
            name=i["name"],
            category=i["category"],
            description=i["description"],
            exemplars=i["exemplars"],
            threshold=i["threshold"],
        )
        belongs("Intent", i)
        for cap in i["requires"]:
            edge("Intent", "REQUIRES", "Capability", i["id"], cap)
    for c in doc["threat_categories"]:
        node(
            "ThreatCategory",
            id=c["id"],
            name=c["name"],
            description=c["description"],
            positives=c["positives"],
            # Left out when empty: a Neo4j list property has no type without elements.
            negatives=c["negatives"] or None,
        )
    for p in doc["providers"]:
        api = p["api"] or {}
        node(
            "Provider",
            id=p["id"],
            name=p["name"],
            trains_on_data=p["trains_on_data"],
            retention_days=p["retention_days"],
            api_kind=api.get("kind"),
            base_url=api.get("base_url"),
            key_env=api.get("key_env"),
            api_version=api.get("api_version"),
            api_region=api.get("region"),
            api_auth=api.get("auth"),
        )
        for region in p["regions"]:
            edge("Provider", "HOSTED_IN", "Region", p["id"], region)
        for cert in p["certifications"]:
            edge("Provider", "HOLDS", "Certification", p["id"], cert)
    for m in doc["models"]:
        node(
            "Model",
            id=m["id"],
            name=m["name"],
            upstream_name=m["upstream_name"],
            context_window=m["context_window"],
            input_cost_per_mtok=m["input_cost_per_mtok"],
            output_cost_per_mtok=m["output_cost_per_mtok"],
            latency_ms=m["latency_ms"],
        )
        edge("Model", "OFFERED_BY", "Provider", m["id"], m["provider"])
        for cap in m["capabilities"]:
            edge("Model", "HAS_CAPABILITY", "Capability", m["id"], cap)
    for pol in doc["policies"]:
        scope, cons, prefer = pol["applies_to"], pol["constraints"], pol["prefer"]
        tools = pol.get("tools")
        node(
            "Policy",
            id=pol["id"],
            description=pol["description"],
            effect=pol["effect"],
            priority=pol["priority"],
            purposes=scope["purposes"],
            threats=[
                ThreatCondition(t["category"], t["min_score"]).encode() for t in scope["threats"]
            ],
            no_training=cons["no_training"],
            max_retention_days=cons["max_retention_days"],
            block_output=pol["block_output"],
            review_ttl_minutes=pol["review_ttl_minutes"],
            **serving_properties(pol),
            # A tool rule is three plain properties (None without one: nothing stored).
            tools_allow=tools["allow"] if tools else None,
            tools_providers=tools["providers"] if tools else None,
            tools_refused=tools["refused"] if tools else None,
        )
        pid = pol["id"]
        belongs("Policy", pol)
        for target_kind, ids in (
            ("Intent", scope["intents"]),
            ("Role", scope["roles"]),
            ("Tenant", scope["tenants"]),
        ):
            for target in ids:
                edge("Policy", "APPLIES_TO", target_kind, pid, target)
        for label in pol["governs"]:
            edge("Policy", "GOVERNS", "SensitivityLabel", pid, label)
        for cert in cons["certifications"]:
            edge("Policy", "REQUIRES_CERTIFICATION", "Certification", pid, cert)
        for target in cons["jurisdictions"]:
            edge("Policy", "RESTRICTS_TO", "Jurisdiction", pid, target)
        for target in cons["regions"]:
            edge("Policy", "RESTRICTS_TO", "Region", pid, target)
        for target in cons["forbid_providers"]:
            edge("Policy", "FORBIDS", "Provider", pid, target)
        for target in cons["forbid_models"]:
            edge("Policy", "FORBIDS", "Model", pid, target)
        for rank, target in enumerate(prefer["models"]):
            edge("Policy", "PREFERS", "Model", pid, target, rank=rank)
        for rank, target in enumerate(prefer["providers"]):
            edge("Policy", "PREFERS", "Provider", pid, target, rank=rank)
    for settings in doc["detection"]:
        _detection_to_graph(settings, node, edge)
    for settings in doc["drift"]:
        _drift_to_graph(settings, node)
    for governance in doc["governance"]:
        node("GovernanceSettings", **_pick(governance, "id", "approvals_required"))
    return out


def _drift_to_graph(settings: dict[str, Any], node: Any) -> None:
    """The drift item as nodes: its settings and one node per limit it declares.

    A limit's id is the settings' id and its metric; no edge is needed, since one
    settings node per PolicySet owns them all (loaders.references allows one item)."""
    node(
        "DriftSettings",
        **_pick(settings, *DRIFT_SETTINGS_FIELDS),
    )
    for limit in settings["limits"]:
        node(
            "DriftLimit",
            id=f"{settings['id']}.{limit['metric']}",
            **_pick(limit, *DRIFT_LIMIT_FIELDS),
        )


def _detection_to_graph(settings: dict[str, Any], node: Any, edge: Any) -> None:
    """The detection item as nodes: its settings, each recognizer and each value list.

    Recognizers and lists hang off the entity types and tenants they name; the one
    settings node of a PolicySet owns them all (loaders.references allows one item)."""
    node(
        "DetectionSettings",
        id=settings["id"],
        phone_regions=settings["phone_regions"],
        invalid_numbers=settings["invalid_numbers"],
        context_instructions=settings["context_instructions"],
    )
    for r in settings["recognizers"]:
        node(
            "DetectionRecognizer",
            id=r["id"],
            regex=r["pattern"],
            base_score=r["score"],
            checksum=r["validator"],
            # Left out when empty or unset: a Neo4j list property has no type without elements.
            cue_words=r["context"] or None,
            invalid_numbers=r["invalid_numbers"],
        )
        edge("DetectionRecognizer", "DETECTS", "EntityType", r["id"], r["entity_type"])
    for list_kind in ("deny", "allow"):
        for v in settings[f"{list_kind}_lists"]:
            node("ValueList", id=v["id"], list_kind=list_kind, values=v["values"])
            if list_kind == "deny":
                edge("ValueList", "MARKS", "EntityType", v["id"], v["entity_type"])
            if v["tenant"]:
                edge("ValueList", "BELONGS_TO", "Tenant", v["id"], v["tenant"])


def from_graph(content: GraphContent) -> PolicyDocument:
    """Rebuild the policy document the graph holds (inverse of to_graph)."""
    out: dict[str, Any] = defaultdict(list)

    def edges(source: str, type_: str, target: str) -> dict[str, list[Edge]]:
        by_source: dict[str, list[Edge]] = defaultdict(list)
        for e in content.edges.get(relation(source, type_, target).key, []):
            by_source[e.source].append(e)
        return by_source

    def targets(source: str, type_: str, target: str) -> dict[str, list[str]]:
        return {k: sorted(e.target for e in v) for k, v in edges(source, type_, target).items()}

    def rows(kind: str) -> list[dict[str, Any]]:
        return content.nodes.get(kind, [])

    def owner(kind: str) -> dict[str, str]:
        return {k: v[0] for k, v in targets(kind, "BELONGS_TO", "Tenant").items()}

    for t in rows("Tenant"):
        out["tenants"].append({**_pick(t, "id", "name", "description"), **_limits_of(t)})
    for purpose in rows("Purpose"):
        out["purposes"].append(_pick(purpose, "id", "description", "dpv"))
    access = edges("Role", "CAN_ACCESS", "DataSource")
    role_tenant = owner("Role")
    for r in rows("Role"):
        grants = [
            {"source": e.target, "purposes": list(e.props["purposes"])}
            for e in access.get(r["id"], [])
        ]
        out["roles"].append(
            {
                **_pick(r, "id", "name", "description", "permissions", "default_purpose"),
                "tenant": role_tenant.get(r["id"]),
                "can_access": grants,
            }
        )
    member_of = targets("Principal", "MEMBER_OF", "Tenant")
    has_role = targets("Principal", "HAS_ROLE", "Role")
    keys: dict[str, list[str]] = defaultdict(list)
    for principal, digests in _invert(targets("ApiKey", "IDENTIFIES", "Principal")).items():
        keys[principal] = sorted(f"sha256:{d}" for d in digests)
    for p in rows("Principal"):
        out["principals"].append(
            {
                **_pick(p, "id", "name", "default_purpose"),
                **_limits_of(p),
                "tenant": member_of[p["id"]][0],
                "roles": has_role.get(p["id"], []),
                "api_keys": keys.get(p["id"], []),
            }
        )
    for j in rows("Jurisdiction"):
        out["jurisdictions"].append(_pick(j, "id", "name"))
    region_in = targets("Region", "IN", "Jurisdiction")
    for g in rows("Region"):
        out["regions"].append({**_pick(g, "id", "name"), "jurisdiction": region_in[g["id"]][0]})
    for c in rows("Certification"):
        out["certifications"].append(_pick(c, "id", "name", "description"))
    for c in rows("Capability"):
        out["capabilities"].append(_pick(c, "id", "description"))
    parent = targets("SensitivityLabel", "SUBLABEL_OF", "SensitivityLabel")
    for lab in rows("SensitivityLabel"):
        out["labels"].append(
            {
                **_pick(lab, "id", "name", "level", "dpv", "description"),
                "parent": next(iter(parent.get(lab["id"], [])), None),
            }
        )
    indicates = targets("EntityType", "INDICATES", "SensitivityLabel")
    for e in rows("EntityType"):
        recognizer = None
        if e.get("patterns"):
            recognizer = {
                "patterns": [
                    {"regex": rx, "score": sc}
                    for rx, sc in zip(e["patterns"], e["pattern_scores"], strict=True)
                ],
                "context": list(e.get("context") or []),
                "validator": e.get("validator", "none"),
            }
        out["entity_types"].append(
            {
                **_pick(e, "id", "description"),
                "indicates": indicates.get(e["id"], []),
                "recognizer": recognizer,
            }
        )
    resides = targets("DataSource", "RESIDES_IN", "Region")
    part_of = targets("Document", "PART_OF", "DataSource")
    for kind, section in (("DataSource", "data_sources"), ("Document", "documents")):
        labels = targets(kind, "HAS_LABEL", "SensitivityLabel")
        item_tenant = owner(kind)
        lineage: dict[str, list[Edge]] = defaultdict(list)
        for upstream in ("DataSource", "Document"):
            for source, found in edges(kind, "DERIVED_FROM", upstream).items():
                lineage[source].extend(found)
        for d in rows(kind):
            derived = [
                {
                    "source": e.target,
                    "transform": e.props.get("transform", ""),
                    "removes_labels": list(e.props.get("removes") or []),
                }
                for e in lineage.get(d["id"], [])
            ]
            item: dict[str, Any] = {
                "id": d["id"],
                "labels": labels.get(d["id"], []),
                "derived_from": derived,
                "tenant": item_tenant.get(d["id"]),
            }
            if kind == "DataSource":
                item.update(_pick(d, "name", "kind", "description", "shared"))
                item["region"] = next(iter(resides.get(d["id"], [])), None)
            else:
                item.update(_pick(d, "title"))
                item["source"] = part_of[d["id"]][0]
            out[section].append(item)
    requires = targets("Intent", "REQUIRES", "Capability")
    intent_tenant = owner("Intent")
    for i in rows("Intent"):
        if i["id"] == UNKNOWN_INTENT:
            continue
        out["intents"].append(
            {
                **_pick(i, "id", "name", "category", "description", "threshold"),
                "exemplars": list(i["exemplars"]),
                "requires": requires.get(i["id"], []),
                "tenant": intent_tenant.get(i["id"]),
            }
        )
    for c in rows("ThreatCategory"):
        out["threat_categories"].append(
            {
                **_pick(c, "id", "name", "description"),
                "positives": list(c["positives"]),
                "negatives": list(c.get("negatives") or []),
            }
        )
    hosted = targets("Provider", "HOSTED_IN", "Region")
    holds = targets("Provider", "HOLDS", "Certification")
    for p in rows("Provider"):
        api = None
        if p.get("base_url"):
            api = {
                "kind": p.get("api_kind", "openai"),
                "base_url": p["base_url"],
                "key_env": p.get("key_env"),
                "api_version": p.get("api_version"),
                "region": p.get("api_region"),
                "auth": p.get("api_auth"),
            }
        out["providers"].append(
            {
                **_pick(p, "id", "name", "trains_on_data", "retention_days"),
                "regions": hosted.get(p["id"], []),
                "certifications": holds.get(p["id"], []),
                "api": api,
            }
        )
    offered = targets("Model", "OFFERED_BY", "Provider")
    has_cap = targets("Model", "HAS_CAPABILITY", "Capability")
    for m in rows("Model"):
        out["models"].append(
            {
                **_pick(
                    m,
                    "id",
                    "name",
                    "upstream_name",
                    "context_window",
                    "input_cost_per_mtok",
                    "output_cost_per_mtok",
                    "latency_ms",
                ),
                "provider": offered[m["id"]][0],
                "capabilities": has_cap.get(m["id"], []),
            }
        )
    scope = {k: targets("Policy", "APPLIES_TO", k) for k in ("Intent", "Role", "Tenant")}
    governs = targets("Policy", "GOVERNS", "SensitivityLabel")
    certs = targets("Policy", "REQUIRES_CERTIFICATION", "Certification")
    restrict = {k: targets("Policy", "RESTRICTS_TO", k) for k in ("Jurisdiction", "Region")}
    forbids = {k: targets("Policy", "FORBIDS", k) for k in ("Provider", "Model")}
    prefers = {k: edges("Policy", "PREFERS", k) for k in ("Model", "Provider")}
    policy_tenant = owner("Policy")
    for pol in rows("Policy"):
        pid = pol["id"]

        def ranked(kind: str, pid: str = pid) -> list[str]:
            return [
                e.target
                for e in sorted(prefers[kind].get(pid, []), key=lambda e: int(e.props["rank"]))
            ]

        out["policies"].append(
            {
                **_pick(
                    pol,
                    "id",
                    "description",
                    "effect",
                    "priority",
                    "block_output",
                    "review_ttl_minutes",
                ),
                "tenant": policy_tenant.get(pid),
                "applies_to": {
                    "intents": scope["Intent"].get(pid, []),
                    "roles": scope["Role"].get(pid, []),
                    "tenants": scope["Tenant"].get(pid, []),
                    "purposes": list(pol.get("purposes") or []),
                    "threats": [
                        {"category": c.category, "min_score": c.min_score}
                        for c in map(ThreatCondition.decode, pol.get("threats") or [])
                    ],
                },
                "governs": governs.get(pid, []),
                "constraints": {
                    "jurisdictions": restrict["Jurisdiction"].get(pid, []),
                    "regions": restrict["Region"].get(pid, []),
                    "certifications": certs.get(pid, []),
                    "forbid_providers": forbids["Provider"].get(pid, []),
                    "forbid_models": forbids["Model"].get(pid, []),
                    "no_training": pol.get("no_training", False),
                    "max_retention_days": pol.get("max_retention_days"),
                },
                "prefer": {"models": ranked("Model"), "providers": ranked("Provider")},
                **serving_settings(pol),
                **(
                    {
                        "tools": {
                            "allow": list(pol["tools_allow"]),
                            "providers": list(pol.get("tools_providers") or []),
                            "refused": pol.get("tools_refused") or "drop",
                        }
                    }
                    if pol.get("tools_allow")
                    else {}
                ),
            }
        )
    for settings in rows("DetectionSettings"):
        out["detection"].append(_detection_from_graph(settings, content))
    for settings in rows("DriftSettings"):
        limits = [_pick(limit, *DRIFT_LIMIT_FIELDS) for limit in rows("DriftLimit")]
        out["drift"].append({**_pick(settings, *DRIFT_SETTINGS_FIELDS), "limits": limits})
    for governance in rows("GovernanceSettings"):
        out["governance"].append(_pick(governance, "id", "approvals_required"))
    return PolicyDocument.model_validate(dict(out))


def _detection_from_graph(settings: dict[str, Any], content: GraphContent) -> dict[str, Any]:
    def target(source: str, type_: str, kind: str) -> dict[str, str]:
        return {
            e.source: e.target for e in content.edges.get(relation(source, type_, kind).key, [])
        }

    detects = target("DetectionRecognizer", "DETECTS", "EntityType")
    marks = target("ValueList", "MARKS", "EntityType")
    tenant = target("ValueList", "BELONGS_TO", "Tenant")
    lists: dict[str, list[dict[str, Any]]] = {"deny": [], "allow": []}
    for v in content.nodes.get("ValueList", []):
        item: dict[str, Any] = {"id": v["id"], "tenant": tenant.get(v["id"]), "values": v["values"]}
        if v["list_kind"] == "deny":
            item["entity_type"] = marks.get(v["id"])
        lists[v["list_kind"]].append(item)
    return {
        **_pick(settings, "id", "phone_regions", "invalid_numbers", "context_instructions"),
        "recognizers": [
            {
                "id": r["id"],
                "entity_type": detects.get(r["id"]),
                "pattern": r["regex"],
                "score": r["base_score"],
                "validator": r["checksum"],
                "context": list(r.get("cue_words") or []),
                "invalid_numbers": r.get("invalid_numbers"),
            }
            for r in content.nodes.get("DetectionRecognizer", [])
        ],
        "deny_lists": lists["deny"],
        "allow_lists": lists["allow"],
    }


DRIFT_SETTINGS_FIELDS = (
    "id",
    "window_minutes",
    "baseline_minutes",
    "watch_hours",
    "min_decisions",
    "threat_score",
)
DRIFT_LIMIT_FIELDS = ("metric", "max_increase", "max_ratio", "min_decisions", "action")

# Limits are node properties, not a node: Neo4j properties cannot nest.
LIMIT_FIELDS = ("requests_per_minute", "tokens_per_minute")


def _limits(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (item["limits"] or {}).get(k) for k in LIMIT_FIELDS}


def _limits_of(row: dict[str, Any]) -> dict[str, Any]:
    found = _pick(row, *LIMIT_FIELDS)
    return {"limits": found} if found else {}


def _pick(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: row[k] for k in keys if k in row and row[k] is not None}


def _invert(mapping: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for key, values in mapping.items():
        for value in values:
            out[value].append(key)
    return out
