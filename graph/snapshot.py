"""Building the engine's immutable Snapshot from the graph's policy content."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from engine.checksums import Checksum
from engine.detection_config import (
    DetectionConfig,
    InstructionAction,
    InvalidNumbers,
    RecognizerConfig,
    ValueList,
)
from engine.model import (
    Effect,
    EntityTypeSpec,
    IntentCategory,
    IntentSpec,
    Label,
    Level,
    ModelSpec,
    PatternSpec,
    PolicySpec,
    ProviderSpec,
    PurposeSpec,
    RecognizerSpec,
    RouteConstraints,
    Snapshot,
    ThreatCategorySpec,
    ThreatCondition,
    ToolRefusal,
    ToolRule,
    UpstreamSpec,
)
from engine.serving import rules_from_properties
from graph import store
from graph.connection import GraphClient
from graph.content import Edge, GraphContent, relation

# What decisions need; documents, data sources and identities are read per request.
SNAPSHOT_KINDS = frozenset(
    {
        "SensitivityLabel",
        "EntityType",
        "Intent",
        "ThreatCategory",
        "Provider",
        "Model",
        "Policy",
        "Region",
        "Purpose",
        "DetectionSettings",
        "DetectionRecognizer",
        "ValueList",
    }
)


def load_snapshot(client: GraphClient) -> Snapshot:
    """The active PolicySet's content as a Snapshot, read in one transaction."""
    info, content = store.read_policy_content(client, SNAPSHOT_KINDS)
    version = info.id if info else "none"
    content_hash = info.content_hash if info else ""
    return build_snapshot(content, version=version, content_hash=content_hash)


def build_snapshot(content: GraphContent, *, version: str, content_hash: str) -> Snapshot:
    def targets(source: str, type_: str, target: str) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for e in content.edges.get(relation(source, type_, target).key, []):
            found[e.source].add(e.target)
        return {k: frozenset(v) for k, v in found.items()}

    def ranked(source: str, type_: str, target: str) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[Edge]] = defaultdict(list)
        for e in content.edges.get(relation(source, type_, target).key, []):
            found[e.source].append(e)
        return {
            k: tuple(e.target for e in sorted(v, key=lambda e: int(e.props.get("rank", 0))))
            for k, v in found.items()
        }

    none: frozenset[str] = frozenset()
    parent = targets("SensitivityLabel", "SUBLABEL_OF", "SensitivityLabel")
    labels = {
        row["id"]: Label(
            id=row["id"],
            name=str(row.get("name") or row["id"]),
            level=Level(row.get("level", "internal")),
            parent=next(iter(parent.get(row["id"], none)), None),
            dpv=row.get("dpv"),
        )
        for row in content.nodes.get("SensitivityLabel", [])
    }
    indicates = targets("EntityType", "INDICATES", "SensitivityLabel")
    entity_types = {}
    for row in content.nodes.get("EntityType", []):
        recognizer = None
        if row.get("patterns"):
            recognizer = RecognizerSpec(
                patterns=tuple(
                    PatternSpec(rx, float(score))
                    for rx, score in zip(row["patterns"], row["pattern_scores"], strict=True)
                ),
                context=tuple(row.get("context") or ()),
                validator=row.get("validator") or "none",
            )
        entity_types[row["id"]] = EntityTypeSpec(
            id=row["id"],
            indicates=tuple(sorted(indicates.get(row["id"], none))),
            recognizer=recognizer,
        )

    def owner(kind: str) -> dict[str, str]:
        return {k: next(iter(v)) for k, v in targets(kind, "BELONGS_TO", "Tenant").items()}

    requires = targets("Intent", "REQUIRES", "Capability")
    intent_tenant = owner("Intent")
    intents = {
        row["id"]: IntentSpec(
            id=row["id"],
            name=str(row.get("name") or row["id"]),
            category=IntentCategory(row["category"]),
            threshold=float(row["threshold"]),
            exemplars=tuple(row.get("exemplars") or ()),
            requires=requires.get(row["id"], none),
            tenant=intent_tenant.get(row["id"]),
        )
        for row in content.nodes.get("Intent", [])
    }
    threat_categories = {
        row["id"]: ThreatCategorySpec(
            id=row["id"],
            name=str(row.get("name") or row["id"]),
            description=str(row.get("description") or ""),
            positives=tuple(sorted(row.get("positives") or ())),
            negatives=tuple(sorted(row.get("negatives") or ())),
        )
        for row in content.nodes.get("ThreatCategory", [])
    }
    region_in = targets("Region", "IN", "Jurisdiction")
    region_jurisdiction = {r: next(iter(j)) for r, j in region_in.items() if j}
    hosted = targets("Provider", "HOSTED_IN", "Region")
    holds = targets("Provider", "HOLDS", "Certification")
    providers = {}
    for row in content.nodes.get("Provider", []):
        regions = hosted.get(row["id"], none)
        api = None
        if row.get("base_url"):
            api = UpstreamSpec(
                kind=row.get("api_kind", "openai"),
                base_url=row["base_url"],
                key_env=row.get("key_env"),
                api_version=row.get("api_version"),
                region=row.get("api_region"),
                auth=row.get("api_auth"),
            )
        providers[row["id"]] = ProviderSpec(
            id=row["id"],
            name=str(row.get("name") or row["id"]),
            regions=regions,
            jurisdictions=frozenset(
                region_jurisdiction[r] for r in regions if r in region_jurisdiction
            ),
            certifications=holds.get(row["id"], none),
            trains_on_data=bool(row.get("trains_on_data", False)),
            retention_days=int(row.get("retention_days", 0)),
            api=api,
        )
    offered = targets("Model", "OFFERED_BY", "Provider")
    capabilities = targets("Model", "HAS_CAPABILITY", "Capability")
    models = {
        row["id"]: ModelSpec(
            id=row["id"],
            name=str(row.get("name") or row["id"]),
            provider=next(iter(offered[row["id"]])),
            upstream_name=row["upstream_name"],
            capabilities=capabilities.get(row["id"], none),
            context_window=int(row["context_window"]),
            input_cost_per_mtok=float(row["input_cost_per_mtok"]),
            output_cost_per_mtok=float(row["output_cost_per_mtok"]),
            latency_ms=int(row.get("latency_ms", 0)),
        )
        for row in content.nodes.get("Model", [])
        if row["id"] in offered
    }
    scope = {k: targets("Policy", "APPLIES_TO", k) for k in ("Intent", "Role", "Tenant")}
    governs = targets("Policy", "GOVERNS", "SensitivityLabel")
    certs = targets("Policy", "REQUIRES_CERTIFICATION", "Certification")
    restrict_j = targets("Policy", "RESTRICTS_TO", "Jurisdiction")
    restrict_r = targets("Policy", "RESTRICTS_TO", "Region")
    forbid_p = targets("Policy", "FORBIDS", "Provider")
    forbid_m = targets("Policy", "FORBIDS", "Model")
    prefer_m = ranked("Policy", "PREFERS", "Model")
    prefer_p = ranked("Policy", "PREFERS", "Provider")
    policy_tenant = owner("Policy")
    policies = []
    for row in content.nodes.get("Policy", []):
        pid = row["id"]
        max_retention = row.get("max_retention_days")
        cache, balance = rules_from_properties(row)
        policies.append(
            PolicySpec(
                id=pid,
                description=row["description"],
                effect=Effect(row["effect"]),
                priority=int(row.get("priority", 0)),
                intents=scope["Intent"].get(pid, none),
                roles=scope["Role"].get(pid, none),
                tenants=scope["Tenant"].get(pid, none),
                purposes=frozenset(row.get("purposes") or ()),
                threats=tuple(map(ThreatCondition.decode, row.get("threats") or ())),
                governs=governs.get(pid, none),
                constraints=RouteConstraints(
                    jurisdictions=restrict_j.get(pid, none),
                    regions=restrict_r.get(pid, none),
                    certifications=certs.get(pid, none),
                    forbid_providers=forbid_p.get(pid, none),
                    forbid_models=forbid_m.get(pid, none),
                    no_training=bool(row.get("no_training", False)),
                    max_retention_days=int(max_retention) if max_retention is not None else None,
                ),
                prefer_models=prefer_m.get(pid, ()),
                prefer_providers=prefer_p.get(pid, ()),
                block_output=bool(row.get("block_output", False)),
                tenant=policy_tenant.get(pid),
                review_ttl_s=int(row["review_ttl_minutes"]) * 60
                if row.get("review_ttl_minutes") is not None
                else None,
                cache=cache,
                balance=balance,
                tools=_tool_rule(row),
            )
        )
    policies.sort(key=lambda p: (-p.priority, p.id))
    return Snapshot(
        version=version,
        content_hash=content_hash,
        labels=labels,
        entity_types=entity_types,
        intents=intents,
        providers=providers,
        models=models,
        policies=tuple(policies),
        capabilities=frozenset(
            cap for caps in (*capabilities.values(), *requires.values()) for cap in caps
        ),
        threat_categories=threat_categories,
        purposes={
            row["id"]: PurposeSpec(
                id=row["id"], description=str(row.get("description") or ""), dpv=row.get("dpv")
            )
            for row in content.nodes.get("Purpose", [])
        },
        detection=_detection(content),
    )


def _detection(content: GraphContent) -> DetectionConfig:
    """The PolicySet's detection settings; the defaults when it declares none."""
    settings = content.nodes.get("DetectionSettings", [])
    if not settings:
        return DetectionConfig()
    row = settings[0]  # loaders.references lets a PolicySet declare one

    def target(source: str, type_: str, kind: str) -> dict[str, str]:
        return {
            e.source: e.target for e in content.edges.get(relation(source, type_, kind).key, [])
        }

    detects = target("DetectionRecognizer", "DETECTS", "EntityType")
    marks = target("ValueList", "MARKS", "EntityType")
    tenant = target("ValueList", "BELONGS_TO", "Tenant")
    recognizers = tuple(
        RecognizerConfig(
            id=r["id"],
            entity_type=detects[r["id"]],
            pattern=r["regex"],
            score=float(r["base_score"]),
            validator=Checksum(r["checksum"]),
            context=tuple(sorted(r.get("cue_words") or ())),
            invalid_numbers=InvalidNumbers(r["invalid_numbers"])
            if r.get("invalid_numbers")
            else None,
        )
        for r in sorted(content.nodes.get("DetectionRecognizer", []), key=lambda r: r["id"])
        if r["id"] in detects
    )
    lists = sorted(content.nodes.get("ValueList", []), key=lambda v: v["id"])

    def value_lists(kind: str) -> tuple[ValueList, ...]:
        return tuple(
            ValueList(v["id"], tuple(sorted(v["values"])), tenant.get(v["id"]), marks.get(v["id"]))
            for v in lists
            if v["list_kind"] == kind
        )

    return DetectionConfig(
        phone_regions=tuple(sorted(row["phone_regions"])),
        invalid_numbers=InvalidNumbers(row["invalid_numbers"]),
        context_instructions=InstructionAction(row["context_instructions"]),
        recognizers=recognizers,
        deny_lists=value_lists("deny"),
        allow_lists=value_lists("allow"),
    )


def _tool_rule(row: dict[str, Any]) -> ToolRule | None:
    """A Policy node's tool rule (loaders/graph_mapping.py stores it as three properties)."""
    allow = row.get("tools_allow")
    if not allow:
        return None
    return ToolRule(
        allow=tuple(allow),
        providers=frozenset(row.get("tools_providers") or ()),
        refused=ToolRefusal(row.get("tools_refused") or ToolRefusal.DROP.value),
    )
