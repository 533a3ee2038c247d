"""The domain as the decision core sees it: frozen values, no I/O.

`Snapshot` is the policy part of the graph for one PolicySet version (labels,
entity types, intents, providers, models, policies). `ItemFacts` is what the
graph says about one context item of one request (its effective labels with the
paths that justify them, and who may read it). The graph package builds both;
the core only reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum

from engine.detection_config import DetectionConfig
from engine.serving import BalanceRule, CacheRule

UNKNOWN_INTENT = "unknown"
"""Reserved intent id: what a prompt matches when no intent clears its threshold."""

ANY_PURPOSE = "*"

NOWHERE = "∅"
"""Marks a region/jurisdiction constraint whose allowed set intersected to nothing."""


class Level(StrEnum):
    """Sensitivity levels, in increasing order."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"

    @property
    def rank(self) -> int:
        return _LEVEL_RANK[self]


_LEVEL_RANK = {Level.PUBLIC: 0, Level.INTERNAL: 1, Level.CONFIDENTIAL: 2, Level.RESTRICTED: 3}


class Effect(StrEnum):
    """What a policy does when it applies.

    allow / deny decide the request; review holds a request that would be allowed
    until a person approves it (engine.policy.verdict: deny beats review beats allow);
    redact, mask, hash, pseudonymize and drop are per-label actions on the labels the
    policy governs; constrain only adds route constraints and preferences.
    """

    ALLOW = "allow"
    DENY = "deny"
    REDACT = "redact"
    MASK = "mask"
    HASH = "hash"
    PSEUDONYMIZE = "pseudonymize"
    DROP = "drop"
    CONSTRAIN = "constrain"
    REVIEW = "review"


LABEL_ACTIONS = frozenset(
    {Effect.REDACT, Effect.MASK, Effect.HASH, Effect.PSEUDONYMIZE, Effect.DROP}
)


class Restrictiveness(IntEnum):
    """Order of label actions; the most restrictive applicable action wins.

    drop removes the whole context item; redact leaves only the entity type; hash
    keeps linkability but no content; mask keeps a few trailing characters;
    pseudonymize is reversible for the same caller.
    """

    ALLOW = 0
    PSEUDONYMIZE = 1
    MASK = 2
    HASH = 3
    REDACT = 4
    DROP = 5

    @classmethod
    def of(cls, effect: Effect) -> Restrictiveness:
        return cls[effect.name] if effect.name in cls.__members__ else cls.ALLOW


class IntentCategory(StrEnum):
    BUSINESS = "business"
    THREAT = "threat"
    UNKNOWN = "unknown"


# --------------------------------------------------------------------------- snapshot


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    name: str
    level: Level
    parent: str | None = None
    dpv: str | None = None


@dataclass(frozen=True, slots=True)
class PatternSpec:
    regex: str
    score: float


@dataclass(frozen=True, slots=True)
class RecognizerSpec:
    patterns: tuple[PatternSpec, ...]
    context: tuple[str, ...] = ()
    validator: str = "none"


@dataclass(frozen=True, slots=True)
class EntityTypeSpec:
    id: str
    indicates: tuple[str, ...]
    recognizer: RecognizerSpec | None = None


@dataclass(frozen=True, slots=True)
class IntentSpec:
    id: str
    name: str
    category: IntentCategory
    threshold: float
    exemplars: tuple[str, ...]
    requires: frozenset[str] = frozenset()
    tenant: str | None = None  # None: shared; otherwise only that tenant's prompts match it


@dataclass(frozen=True, slots=True)
class PurposeSpec:
    """A declared purpose of processing; requests may name only these."""

    id: str
    description: str = ""
    dpv: str | None = None  # W3C DPV purpose IRI


@dataclass(frozen=True, slots=True)
class ThreatCategorySpec:
    """A threat category an enterprise declares in its policy files, learned from examples.

    engine.threats.custom fits a head for it on sentence embeddings: `positives` against
    `negatives` (look-alikes that must not fire) plus a shipped sample of benign prompts.
    """

    id: str
    name: str
    description: str
    positives: tuple[str, ...]
    negatives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UpstreamSpec:
    kind: str
    base_url: str
    key_env: str | None
    api_version: str | None = None  # kind azure
    region: str | None = None  # kind bedrock (the AWS region it signs for)
    auth: str | None = None  # kind vertex: "api_key" or "bearer"


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    id: str
    name: str
    regions: frozenset[str]
    jurisdictions: frozenset[str]
    certifications: frozenset[str]
    trains_on_data: bool
    retention_days: int
    api: UpstreamSpec | None = None


@dataclass(frozen=True, slots=True)
class ModelSpec:
    id: str
    name: str
    provider: str
    upstream_name: str
    capabilities: frozenset[str]
    context_window: int
    input_cost_per_mtok: float
    output_cost_per_mtok: float
    latency_ms: int


@dataclass(frozen=True, slots=True)
class RouteConstraints:
    """Constraints one policy puts on the route. Empty sets mean 'no constraint'."""

    jurisdictions: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    forbid_providers: frozenset[str] = frozenset()
    forbid_models: frozenset[str] = frozenset()
    no_training: bool = False
    max_retention_days: int | None = None


Preference = tuple[tuple[str, ...], tuple[str, ...]]
"""One policy's route preference: (models, providers), most preferred first."""


@dataclass(frozen=True, slots=True)
class ThreatCondition:
    """Part of a policy's scope: the threat detector's `category` head scored >= `min_score`.

    Categories are the detector's heads (engine.threats: prompt_injection, jailbreak,
    system_prompt_extraction, data_exfiltration, secrets_harvesting, and `attack` for any)
    or the ids of the snapshot's own `threat_categories`.
    """

    category: str
    min_score: float

    def encode(self) -> str:
        """The form the graph and RDF store: one self-contained string per condition."""
        return f"{self.category}>={self.min_score:.6f}".rstrip("0").rstrip(".")

    @classmethod
    def decode(cls, value: str) -> ThreatCondition:
        category, sep, score = value.partition(">=")
        if not sep or not category:
            raise ValueError(f"threat condition {value!r} is not 'category>=score'")
        return cls(category, float(score))


class ToolRefusal(StrEnum):
    """What a tool rule does with a tool it does not allow: drop the tool from the
    request (with a withholding that says why), or deny the request."""

    DROP = "drop"
    DENY = "deny"


@dataclass(frozen=True, slots=True)
class ToolRule:
    """Which tools a policy lets a request offer a model (engine.tools).

    `allow`: tool names or globs (``lookup_*``); `providers`: when set, an allowed tool
    may only be offered to these providers (the route is constrained accordingly);
    `refused`: what happens to a tool no pattern allows."""

    allow: tuple[str, ...]
    providers: frozenset[str] = frozenset()
    refused: ToolRefusal = ToolRefusal.DROP


@dataclass(frozen=True, slots=True)
class PolicySpec:
    id: str
    description: str
    effect: Effect
    priority: int = 0
    intents: frozenset[str] = frozenset()
    roles: frozenset[str] = frozenset()
    tenants: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    # Any one condition met is enough; the other scope dimensions must match as well.
    threats: tuple[ThreatCondition, ...] = ()
    governs: frozenset[str] = frozenset()
    constraints: RouteConstraints = RouteConstraints()
    prefer_models: tuple[str, ...] = ()
    prefer_providers: tuple[str, ...] = ()
    block_output: bool = False
    tenant: str | None = None  # None: shared; otherwise it applies to that tenant's requests only
    # effect review: how long a held request waits for a reviewer before it is refused
    # (None: engine.review.DEFAULT_TTL_S).
    review_ttl_s: int | None = None
    # How the gateway may reuse answers and spread load (engine.serving); None: it does not.
    cache: CacheRule | None = None
    balance: BalanceRule | None = None
    tools: ToolRule | None = None  # None: the policy says nothing about tools


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The policy part of the graph at one PolicySet version. Immutable, cacheable."""

    version: str
    content_hash: str
    labels: Mapping[str, Label]
    entity_types: Mapping[str, EntityTypeSpec]
    intents: Mapping[str, IntentSpec]
    providers: Mapping[str, ProviderSpec]
    models: Mapping[str, ModelSpec]
    policies: tuple[PolicySpec, ...]
    capabilities: frozenset[str] = frozenset()
    threat_categories: Mapping[str, ThreatCategorySpec] = field(default_factory=dict)
    purposes: Mapping[str, PurposeSpec] = field(default_factory=dict)
    # The `detection:` settings: engine.detect builds its state from them, once per snapshot.
    detection: DetectionConfig = field(default_factory=DetectionConfig)
    # Derived once per snapshot (every detection of every request reads them):
    entity_evidence: Mapping[str, tuple[LabelEvidence, ...]] = field(
        init=False, repr=False, compare=False
    )
    """Entity type -> each label it INDICATES, then that label's ancestors, with the
    path that justifies each (a label shared by two indicated ones appears twice)."""
    entity_labels: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    """Entity type -> the labels of `entity_evidence`, each once, in the same order."""
    threat_denies: tuple[PolicySpec, ...] = field(init=False, repr=False, compare=False)
    """Deny policies scoped to threat detector scores, in policy order: what every context
    item of every request is checked against."""
    _by_intent: Mapping[str, tuple[PolicySpec, ...]] = field(init=False, repr=False, compare=False)
    _intent_free: tuple[PolicySpec, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        evidence = {spec.id: self._indicated(spec) for spec in self.entity_types.values()}
        object.__setattr__(self, "entity_evidence", evidence)
        labels = {t: tuple(dict.fromkeys(e.label for e in found)) for t, found in evidence.items()}
        object.__setattr__(self, "entity_labels", labels)
        denies = tuple(p for p in self.policies if p.effect is Effect.DENY and p.threats)
        object.__setattr__(self, "threat_denies", denies)
        named = {i for p in self.policies for i in p.intents}
        by_intent = {
            i: tuple(p for p in self.policies if not p.intents or i in p.intents) for i in named
        }
        object.__setattr__(self, "_by_intent", by_intent)
        object.__setattr__(self, "_intent_free", tuple(p for p in self.policies if not p.intents))

    def policies_for_intent(self, intent: str) -> tuple[PolicySpec, ...]:
        """The policies a request matched to `intent` can meet, in policy order: those
        scoped to no intent and those naming it. Every decision evaluates its policies
        twice or more, and half of a typical version's are scoped to other intents."""
        return self._by_intent.get(intent, self._intent_free)

    def label_ancestry(self, label_id: str) -> tuple[str, ...]:
        """The label and its ancestors, nearest first (SUBLABEL_OF chain)."""
        chain: list[str] = []
        current: str | None = label_id
        while current is not None and current not in chain:
            chain.append(current)
            label = self.labels.get(current)
            current = label.parent if label else None
        return tuple(chain)

    def _indicated(self, spec: EntityTypeSpec) -> tuple[LabelEvidence, ...]:
        out: list[LabelEvidence] = []
        for label in spec.indicates:
            path: tuple[str, ...] = (
                f"EntityType:{spec.id}",
                "INDICATES",
                f"SensitivityLabel:{label}",
            )
            family = self.label_ancestry(label)
            out.append(LabelEvidence(label, path))
            for ancestor in family[1:]:
                path = (*path, "SUBLABEL_OF", f"SensitivityLabel:{ancestor}")
                out.append(LabelEvidence(ancestor, path))
        return tuple(out)


# --------------------------------------------------------------------------- request


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-minute rate limits the graph sets; None means the configured default applies."""

    requests_per_minute: int | None = None
    tokens_per_minute: int | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    id: str
    tenant: str
    roles: frozenset[str]
    name: str = ""
    permissions: frozenset[str] = frozenset()
    principal_limits: Limits | None = None
    tenant_limits: Limits | None = None  # shared by every principal of the tenant
    # Used when a request names no purpose: the principal's own, else its roles' one.
    default_purpose: str | None = None
    # The tenant opted in to keeping prompt texts in decision records (replay input).
    record_prompts: bool = False


class ItemKind(StrEnum):
    """Where a context item comes from. Each is analysed the same way (entities,
    injection, threats); they differ in what governs access (engine.decide)."""

    RETRIEVED = "retrieved"  # a graph id: the Document or DataSource itself
    TOOL_RESULT = "tool_result"  # the conversation's own data, governed by `document` if named
    TOOL_DEFINITION = "tool_definition"  # a tool offered to the model; `tool` is its name


@dataclass(frozen=True, slots=True)
class ContextItem:
    """A document or data source the caller's retriever wants to show the model, or a
    tool's definition or result (api/gateway/tools.py makes those)."""

    id: str
    text: str
    kind: ItemKind = ItemKind.RETRIEVED
    # A tool result that names a document: that document's labels and access rules apply.
    document: str | None = None
    tool: str | None = None  # the tool's name, for definitions and results

    @property
    def graph_id(self) -> str | None:
        """The graph id whose facts govern this item; None: nothing in the graph does."""
        return self.id if self.kind is ItemKind.RETRIEVED else self.document


@dataclass(frozen=True, slots=True)
class ChatMessage:
    role: str
    content: str


class Task(StrEnum):
    """What the texts are sent to a model for; each task names the capability every
    candidate must have. Embedding is data leaving the company as much as a prompt is,
    so it is decided the same way; only the route differs (no answer, no intent needs)."""

    CHAT = "chat"
    EMBEDDINGS = "embeddings"


@dataclass(frozen=True, slots=True)
class DecisionRequest:
    principal: Principal
    messages: tuple[ChatMessage, ...]
    context: tuple[ContextItem, ...] = ()
    purpose: str | None = None
    required_capabilities: frozenset[str] = frozenset()
    preferred_model: str | None = None
    user_region: str | None = None
    max_output_tokens: int = 1024
    # Whose pseudonyms these are (engine.vault.scope_key); empty: the principal's own.
    pseudonym_scope: str = ""
    task: Task = Task.CHAT

    @property
    def pseudonym_key(self) -> str:
        return self.pseudonym_scope or self.principal.id


@dataclass(frozen=True, slots=True)
class LabelEvidence:
    """Why an item carries a label: the graph path, as alternating nodes and edges.

    Nodes are written "Kind:id", edges by their type, e.g.
    ("Document:d1", "PART_OF", "DataSource:crm", "HAS_LABEL", "SensitivityLabel:pii").
    """

    label: str
    path: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AccessGrant:
    role: str
    purposes: frozenset[str]


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What the graph knows about one referenced id. found=False: unknown id."""

    id: str
    found: bool
    kind: str = ""  # "Document" | "DataSource"
    source: str = ""  # the DataSource that governs access (itself for a DataSource)
    labels: tuple[LabelEvidence, ...] = ()
    grants: tuple[AccessGrant, ...] = ()
    unavailable: str = ""  # why the graph could not be asked (the item is withheld)
    # The tenant the item belongs to (its own, else its data source's); "" when shared.
    # An item of another tenant is, to the caller, an unknown id (engine.decide).
    tenant: str = ""


@dataclass(frozen=True, slots=True)
class Detection:
    """A sensitive entity found in a normalized text; offsets index that text."""

    entity_type: str
    start: int
    end: int
    score: float
    text: str
