"""The policy-as-code format: pydantic models for the YAML documents.

A policy directory holds any number of ``*.yaml`` files; each file is a mapping
of section name -> list of items. Sections may repeat across files; ids are
unique per kind across the whole directory. `govroute schema` prints the JSON
Schema of `PolicyDocument` for editors.

References between items are plain ids; `loaders.references` checks that each
one resolves before anything is written.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from engine.model import LABEL_ACTIONS, UNKNOWN_INTENT, Effect, IntentCategory, Level
from engine.threats.categories import POLICY_HEADS
from engine.threats.custom import MIN_POSITIVES
from loaders.detection_spec import Detection
from loaders.drift_spec import Drift
from loaders.governance_spec import Governance
from loaders.serving_spec import BalanceWeight, PolicyCache

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$"),
    Field(description="Identifier: letters, digits, '_', '.', ':', '-'; at most 128 characters."),
]
EntityTypeId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{0,63}$"),
    Field(description="Detector entity name in upper snake case, e.g. EMAIL_ADDRESS."),
]
PurposeId = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_\-]{0,63}$"),
    Field(description="A purpose declared under `purposes`, e.g. 'support'."),
]
Purpose = Annotated[
    str,
    StringConstraints(pattern=r"^(\*|[a-z][a-z0-9_\-]{0,63})$"),
    Field(description="A purpose declared under `purposes`, or '*' for any."),
]
TenantScope = Annotated[
    Id | None,
    Field(
        description="The tenant this item belongs to; unset: shared by every tenant "
        "(docs/tenancy.md says which kinds may be shared)."
    ),
]
DPV_PREFIX = "https://w3id.org/dpv#"
ApiKeyHash = Annotated[
    str,
    StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$"),
    Field(description="SHA-256 of an API key, as 'sha256:<hex>'. Keys are never stored in clear."),
]
EnvVarName = Annotated[str, StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]{0,127}$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Limits(_Spec):
    """Request rate and token budget per minute; what is unset falls back to the defaults."""

    requests_per_minute: int | None = Field(
        default=None, gt=0, description="Requests admitted per minute (decide and chat)."
    )
    tokens_per_minute: int | None = Field(
        default=None,
        gt=0,
        description="Tokens per minute: prompt, context and max output, estimated up front.",
    )

    @model_validator(mode="after")
    def _something(self) -> Limits:
        if self.requests_per_minute is None and self.tokens_per_minute is None:
            raise ValueError("limits needs requests_per_minute or tokens_per_minute (or omit it)")
        return self


class Tenant(_Spec):
    id: Id
    name: str = Field(min_length=1)
    description: str = ""
    limits: Limits | None = Field(
        default=None, description="Shared by all of the tenant's principals together."
    )
    record_prompts: bool = Field(
        default=False,
        description="Keep the normalized prompt and context texts in each decision's replay "
        "input (docs/policy-lifecycle.md, Replay); off: only lengths, detections and scores.",
    )


class PurposeDefinition(_Spec):
    """A purpose of processing that grants, policies, default purposes and requests name.

    Declared once, so that a misspelt purpose anywhere is a load error (or a 400 in a
    request) instead of a grant that silently never matches.
    """

    id: PurposeId
    description: str = Field(min_length=1, description="What the purpose covers, in a sentence.")
    dpv: str | None = Field(
        default=None,
        description="W3C DPV purpose: 'dpv:ServiceProvision' or an absolute IRI.",
    )

    @field_validator("dpv")
    @classmethod
    def _iri(cls, value: str | None) -> str | None:
        # The short dpv: form is what people write; the full IRI is what is stored.
        if value is not None and re.match(r"^dpv:[A-Za-z][A-Za-z0-9]*$", value):
            return DPV_PREFIX + value.removeprefix("dpv:")
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("must be 'dpv:<Concept>' or an absolute http(s) IRI")
        return value


class AccessGrant(_Spec):
    source: Id = Field(description="DataSource id the role may read.")
    purposes: list[Purpose] = Field(
        min_length=1, description="Purposes the access is granted for; '*' means any."
    )


class Permission(StrEnum):
    """What a role's API key may do at govroute's own API (not what data it may read)."""

    DECIDE = "decide"  # POST /v1/decide
    CHAT = "chat"  # POST /v1/chat/completions through the gateway
    AUDIT = "audit"  # read any decision of its tenant
    DETOKENIZE = "detokenize"  # POST /v1/detokenize: pseudonyms of its tenant back to values
    # The policy lifecycle: stage, approve, activate, roll out and roll back versions, read
    # shadow and replay reports and export decisions (the CLI with --key, /v1/admin/*).
    POLICY_ADMIN = "policy_admin"
    # Human review: list its tenant's held requests, approve or reject them (never its
    # principal's own): /v1/admin/reviews, `govroute review` (docs/review.md).
    REVIEW = "review"


class Role(_Spec):
    id: Id
    name: str = Field(min_length=1)
    description: str = ""
    tenant: TenantScope = None
    default_purpose: PurposeId | None = Field(
        default=None, description="Purpose of its principals' requests that name none."
    )
    can_access: list[AccessGrant] = []
    permissions: list[Permission] = Field(
        default=[Permission.DECIDE, Permission.CHAT],
        description="API operations the role's principals may call.",
    )


class Principal(_Spec):
    id: Id
    name: str = Field(min_length=1)
    tenant: Id
    roles: list[Id] = Field(min_length=1)
    default_purpose: PurposeId | None = Field(
        default=None,
        description="Purpose of this principal's requests that name none; overrides its roles'.",
    )
    api_keys: list[ApiKeyHash] = []
    limits: Limits | None = Field(default=None, description="This principal's own limits.")


class Jurisdiction(_Spec):
    id: Id
    name: str = Field(min_length=1)


class Region(_Spec):
    id: Id
    name: str = Field(min_length=1)
    jurisdiction: Id


class Certification(_Spec):
    id: Id
    name: str = Field(min_length=1)
    description: str = ""


class Capability(_Spec):
    id: Id
    description: str = ""


class SensitivityLabel(_Spec):
    id: Id
    name: str = Field(min_length=1)
    level: Level
    parent: Id | None = Field(default=None, description="Broader label (SUBLABEL_OF).")
    dpv: str | None = Field(default=None, description="W3C DPV concept IRI this label maps to.")
    description: str = ""

    @field_validator("dpv")
    @classmethod
    def _iri(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError("must be an absolute http(s) IRI")
        return value


class Pattern(_Spec):
    regex: str = Field(min_length=1)
    score: float = Field(default=0.6, ge=0.0, le=1.0)

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"is not a valid regular expression: {exc}") from exc
        return value


class Recognizer(_Spec):
    """A custom pattern recognizer declared in the graph (e.g. an account number)."""

    patterns: list[Pattern] = Field(min_length=1)
    context: list[str] = Field(default=[], description="Words that raise confidence nearby.")
    validator: Literal["none", "luhn", "iban", "mod97"] = "none"


class EntityType(_Spec):
    id: EntityTypeId
    description: str = ""
    indicates: list[Id] = Field(min_length=1, description="Labels this entity's presence implies.")
    recognizer: Recognizer | None = Field(
        default=None, description="Custom recognizer; built-in entity types leave this empty."
    )


class LineageEdge(_Spec):
    source: Id = Field(description="The upstream DataSource or Document this one derives from.")
    transform: str = ""
    removes_labels: list[Id] = Field(
        default=[], description="Labels the transform removes (e.g. aggregation removes PII)."
    )


class DataSource(_Spec):
    id: Id
    name: str = Field(min_length=1)
    kind: str = "dataset"
    description: str = ""
    tenant: TenantScope = None
    shared: bool = Field(
        default=False,
        description="Readable by every tenant's grants; a bundle with tenants must say "
        "`tenant` or `shared: true` for each data source.",
    )
    region: Id | None = None
    labels: list[Id] = []
    derived_from: list[LineageEdge] = []

    @model_validator(mode="after")
    def _one_scope(self) -> DataSource:
        if self.shared and self.tenant is not None:
            raise ValueError("a data source is either of one tenant or shared, not both")
        return self


class Document(_Spec):
    id: Id
    title: str = ""
    source: Id = Field(description="The DataSource the document is PART_OF.")
    tenant: Id | None = Field(
        default=None,
        description="Unset: the data source's tenant (or shared with a shared source).",
    )
    labels: list[Id] = []
    derived_from: list[LineageEdge] = []


class Intent(_Spec):
    id: Id
    name: str = Field(min_length=1)
    category: IntentCategory
    description: str = ""
    tenant: TenantScope = None
    exemplars: list[str] = Field(min_length=1)
    threshold: float = Field(default=0.55, gt=0.0, lt=1.0)
    requires: list[Id] = Field(default=[], description="Capabilities a model needs to serve it.")

    @field_validator("category")
    @classmethod
    def _declared_category(cls, value: IntentCategory) -> IntentCategory:
        if value is IntentCategory.UNKNOWN:
            raise ValueError("declared intents are 'business' or 'threat'; 'unknown' is built in")
        return value

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value == UNKNOWN_INTENT:
            raise ValueError(f"'{UNKNOWN_INTENT}' is reserved for prompts that match no intent")
        return value

    @field_validator("exemplars")
    @classmethod
    def _non_blank(cls, value: list[str]) -> list[str]:
        if any(not e.strip() for e in value):
            raise ValueError("exemplars must not be blank")
        return value


API_KINDS = ("openai", "anthropic", "azure", "bedrock", "vertex", "local")


class UpstreamApi(_Spec):
    kind: Literal["openai", "anthropic", "azure", "bedrock", "vertex", "local"] = Field(
        default="openai",
        description="Wire protocol: 'openai' any OpenAI-compatible server, 'anthropic' "
        "Anthropic's Messages API, 'azure' Azure OpenAI deployments, 'bedrock' AWS Bedrock "
        "Converse, 'vertex' Google Gemini generateContent, 'local' vLLM/Ollama without a key.",
    )
    base_url: str = Field(pattern=r"^https?://\S+$")
    key_env: EnvVarName | None = Field(
        default=None, description="Environment variable holding the API key (never the key)."
    )
    api_version: str | None = Field(
        default=None,
        pattern=r"^[0-9A-Za-z][0-9A-Za-z.-]{0,63}$",
        description="kind azure (required): the api-version query parameter, e.g. 2024-10-21.",
    )
    region: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2}(-[a-z]+)+-[0-9]$",
        description="kind bedrock (required): the AWS region requests are signed for.",
    )
    auth: Literal["api_key", "bearer"] | None = Field(
        default=None,
        description="kind vertex: key_env holds an API key (x-goog-api-key, the default) or "
        "an OAuth access token (Authorization: Bearer).",
    )

    @field_validator("api_version", mode="before")
    @classmethod
    def _version_as_written(cls, value: object) -> object:
        # YAML reads an unquoted 2024-10-21 as a date: it is the version string as written
        return value.isoformat() if isinstance(value, date) else value

    @model_validator(mode="after")
    def _fields_of_the_kind(self) -> UpstreamApi:
        if self.kind == "azure" and self.api_version is None:
            raise ValueError("kind azure needs api_version (e.g. 2024-10-21)")
        if self.kind == "azure" and self.key_env is None:
            raise ValueError("kind azure needs key_env (the variable holding the api-key)")
        if self.kind == "bedrock" and self.region is None:
            raise ValueError("kind bedrock needs region (e.g. eu-central-1)")
        if self.kind == "bedrock" and self.key_env is not None:
            raise ValueError(
                "kind bedrock signs with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY "
                "(and AWS_SESSION_TOKEN); leave key_env out"
            )
        if self.kind == "vertex" and self.key_env is None:
            raise ValueError("kind vertex needs key_env (an API key or an access token)")
        misplaced = [
            name
            for name, kind in (("api_version", "azure"), ("region", "bedrock"), ("auth", "vertex"))
            if getattr(self, name) is not None and self.kind != kind
        ]
        if misplaced:
            raise ValueError(
                f"{', '.join(misplaced)} does not apply to kind {self.kind}"
                " (api_version: azure; region: bedrock; auth: vertex)"
            )
        return self


class Provider(_Spec):
    id: Id
    name: str = Field(min_length=1)
    regions: list[Id] = Field(min_length=1, description="Regions the provider processes data in.")
    certifications: list[Id] = []
    trains_on_data: bool = False
    retention_days: int = Field(default=0, ge=0)
    api: UpstreamApi | None = None


class Model(_Spec):
    id: Id
    name: str = Field(min_length=1)
    provider: Id
    upstream_name: str = Field(min_length=1, description="Model name the provider's API expects.")
    capabilities: list[Id] = []
    context_window: int = Field(gt=0, description="Tokens.")
    input_cost_per_mtok: float = Field(ge=0, description="USD per million input tokens.")
    output_cost_per_mtok: float = Field(ge=0, description="USD per million output tokens.")
    latency_ms: int = Field(default=500, ge=0, description="Typical time to first token.")


class ThreatCategory(_Spec):
    """A threat category of the enterprise's own, learned from examples at load time.

    `govroute load` fits a head on sentence embeddings (positives against negatives
    plus a shipped benign sample), prints its cross-validated recall and false-positive
    rate, and refuses the category if it recalls less than half of its held-out
    positives. Policies then name its id under `applies_to.threats`.
    """

    id: Id
    name: str = Field(min_length=1)
    description: str = ""
    positives: list[str] = Field(
        min_length=MIN_POSITIVES,
        description=f"Texts the category must catch; at least {MIN_POSITIVES}, the more varied "
        "the better.",
    )
    negatives: list[str] = Field(
        default=[], description="Look-alikes that must not fire (near misses, not random text)."
    )

    @field_validator("id")
    @classmethod
    def _not_a_detector_head(cls, value: str) -> str:
        if value in POLICY_HEADS:
            raise ValueError(f"'{value}' is a head of a shipped threat model; pick another id")
        return value

    @field_validator("positives", "negatives")
    @classmethod
    def _non_blank(cls, value: list[str]) -> list[str]:
        if any(not e.strip() for e in value):
            raise ValueError("exemplars must not be blank")
        return value

    @field_validator("positives")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        if len({" ".join(e.split()).casefold() for e in value}) < MIN_POSITIVES:
            raise ValueError(f"needs at least {MIN_POSITIVES} distinct positives")
        return value


class ThreatThreshold(_Spec):
    """The threat detector's head for `category` scored at least `min_score` (0-1]."""

    category: Id = Field(
        description=f"One of the detector's heads ({', '.join(POLICY_HEADS)}) or the id of "
        "a threat category declared under `threat_categories`."
    )
    min_score: float = Field(
        gt=0,
        le=1,
        description="Calibrated probability; 1% benign at the "
        "shipped operating point is in engine/data/threat_model/meta.json.",
    )


class PolicyScope(_Spec):
    """Where a policy applies; an empty list means 'any'. All listed dimensions must match."""

    intents: list[Id] = []
    roles: list[Id] = []
    tenants: list[Id] = []
    purposes: list[Purpose] = []
    threats: list[ThreatThreshold] = Field(
        default=[], description="Threat detector conditions; any one that holds is enough."
    )


class RouteConstraints(_Spec):
    jurisdictions: list[Id] = []
    regions: list[Id] = []
    certifications: list[Id] = []
    forbid_providers: list[Id] = []
    forbid_models: list[Id] = []
    no_training: bool = False
    max_retention_days: int | None = Field(default=None, ge=0)


class RoutePreference(_Spec):
    models: list[Id] = []
    providers: list[Id] = []


ToolPattern = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_\-.*?\[\]!]{1,64}$"),
    Field(description="A tool name, or a glob over tool names such as 'lookup_*'."),
]


class ToolRule(_Spec):
    """Which tools a request this policy applies to may offer a model (engine.tools)."""

    allow: list[ToolPattern] = Field(
        min_length=1, description="Tool names or globs; a tool none of them matches is refused."
    )
    providers: list[Id] = Field(
        default=[], description="When set, the allowed tools may be offered only to these."
    )
    refused: Literal["drop", "deny"] = Field(
        default="drop",
        description="A refused tool is dropped from the request (with a withholding that "
        "says why), or the request is denied.",
    )


MAX_REVIEW_TTL_MINUTES = 7 * 24 * 60
"""A held request waits a week at most: a caller cannot be left hanging for longer."""


class Policy(_Spec):
    id: Id
    description: str = Field(min_length=1, description="One plain sentence: what and why.")
    effect: Effect
    priority: int = 0
    tenant: TenantScope = None
    applies_to: PolicyScope = PolicyScope()
    governs: list[Id] = Field(
        default=[], description="Labels the policy is about; it applies only when one is present."
    )
    constraints: RouteConstraints = RouteConstraints()
    prefer: RoutePreference = RoutePreference()
    block_output: bool = Field(
        default=False, description="Block a model answer that contains a governed label."
    )
    review_ttl_minutes: int | None = Field(
        default=None,
        ge=1,
        le=MAX_REVIEW_TTL_MINUTES,
        description="Effect review only: how long a held request waits for a reviewer before "
        "it is refused (default 60).",
    )
    cache: PolicyCache | None = Field(
        default=None, description="Answers may be served again (loaders.serving_spec)."
    )
    balance: list[BalanceWeight] | None = Field(
        default=None,
        description="Order the route's candidates by measured health, with these weights.",
    )
    tools: ToolRule | None = Field(
        default=None, description="Which tools the requests it applies to may offer a model."
    )

    @model_validator(mode="after")
    def _coherent(self) -> Policy:
        if self.effect in LABEL_ACTIONS and not self.governs:
            raise ValueError(f"effect '{self.effect}' acts on labels: list them under 'governs'")
        if self.review_ttl_minutes is not None and self.effect is not Effect.REVIEW:
            raise ValueError(
                f"review_ttl_minutes is for effect 'review'; this policy's effect is "
                f"'{self.effect}'"
            )
        if self.balance is not None:
            models = [w.model for w in self.balance]
            twice = sorted({m for m in models if models.count(m) > 1})
            if twice:
                raise ValueError(f"balance lists {', '.join(twice)} more than once")
        if self.effect is Effect.DENY and (self.cache or self.balance is not None):
            raise ValueError("a deny policy serves nothing: cache and balance are for others")
        if self.block_output and not self.governs:
            raise ValueError("block_output needs the labels to block under 'governs'")
        if self.tools is not None and self.effect not in (Effect.ALLOW, Effect.CONSTRAIN):
            raise ValueError(
                f"tools restricts what an allowed request may offer: use effect 'allow' or "
                f"'constrain', not '{self.effect}'"
            )
        return self


class PolicyDocument(_Spec):
    """One YAML file. Every section is optional."""

    tenants: list[Tenant] = []
    purposes: list[PurposeDefinition] = []
    roles: list[Role] = []
    principals: list[Principal] = []
    jurisdictions: list[Jurisdiction] = []
    regions: list[Region] = []
    certifications: list[Certification] = []
    capabilities: list[Capability] = []
    labels: list[SensitivityLabel] = []
    entity_types: list[EntityType] = []
    data_sources: list[DataSource] = []
    documents: list[Document] = []
    intents: list[Intent] = []
    threat_categories: list[ThreatCategory] = []
    providers: list[Provider] = []
    models: list[Model] = []
    policies: list[Policy] = []
    detection: list[Detection] = Field(
        default=[], description="How entities are found; at most one item (loaders.detection_spec)."
    )
    drift: list[Drift] = Field(
        default=[],
        description="When served traffic has drifted too far; at most one item "
        "(loaders.drift_spec).",
    )
    governance: list[Governance] = Field(
        default=[],
        description="What a change to this content needs; at most one item "
        "(loaders.governance_spec).",
    )


SECTIONS: tuple[str, ...] = tuple(PolicyDocument.model_fields)
