"""The `detection:` section of the policy files: how entities are found (engine.detection_config).

One item per PolicySet (its id names it, e.g. `default`); every field is optional::

    detection:
      - id: default
        phone_regions: [US, GB, DE]          # phonenumbers region codes
        invalid_numbers: redact              # or ignore
        context_instructions: withhold       # or warn, deny
        recognizers:
          - id: member_number
            entity_type: MEMBER_NUMBER       # declared under entity_types, INDICATES labels
            pattern: '\\bHM\\d{9}[\\dX]\\b'
            validator: mod11                 # none, luhn, mod97, mod11, verhoeff
            context: [member, membership]
            score: 0.5
        deny_lists:
          - id: codenames
            entity_type: PROJECT_CODENAME
            tenant: acme                     # leave out: every tenant
            values: [Bluebird, Osprey]
        allow_lists:
          - id: public_contacts
            values: [support@insurer.com]

Patterns are checked here, at load, with engine.detection_config.pattern_problem
(length cap, nested quantifiers, a trial run under a timeout); references (entity
types, tenants) are checked with the rest by loaders.references.
"""

from __future__ import annotations

from typing import Annotated

import phonenumbers
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from engine.checksums import Checksum
from engine.detection_config import (
    DEFAULT_PHONE_REGIONS,
    InstructionAction,
    InvalidNumbers,
    pattern_problem,
)

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")]
EntityTypeId = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9_]{0,63}$")]
ListValue = Annotated[str, StringConstraints(min_length=1, max_length=256)]

MAX_LIST_VALUES = 10_000


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DetectionRecognizer(_Spec):
    """A pattern of the enterprise's own (a member number, an MRN) for a declared entity type."""

    id: Id
    entity_type: EntityTypeId = Field(
        description="An entity type declared under entity_types; its labels are what a match "
        "indicates."
    )
    pattern: str = Field(
        min_length=1,
        description="Regular expression (Python `regex` syntax), case-sensitive; at most 512 "
        "characters, no repetition around another open-ended repetition.",
    )
    score: float = Field(default=0.6, ge=0.0, le=1.0, description="Confidence of a match.")
    validator: Checksum = Field(
        default=Checksum.NONE, description="Check digit a match must pass (engine.checksums)."
    )
    context: list[str] = Field(default=[], description="Words nearby that raise confidence.")
    invalid_numbers: InvalidNumbers | None = Field(
        default=None,
        description="What a match failing its check digit is; unset: the section's setting.",
    )

    @field_validator("pattern")
    @classmethod
    def _safe(cls, value: str) -> str:
        problem = pattern_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("context")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        if any(not w.strip() for w in value):
            raise ValueError("context words must not be blank")
        return value


class _Values(_Spec):
    id: Id
    tenant: Id | None = Field(
        default=None, description="The tenant that owns it (BELONGS_TO); unset: every tenant."
    )
    # Whitespace is stripped first, so a blank value is an empty one and refused as such.
    values: list[ListValue] = Field(min_length=1, max_length=MAX_LIST_VALUES)


class DenyList(_Values):
    """Values always reported as `entity_type` (so its labels' actions apply)."""

    entity_type: EntityTypeId


class AllowList(_Values):
    """Values never reported, whatever recognizer finds them (a public support address)."""


class Detection(_Spec):
    id: Id
    phone_regions: list[str] = Field(
        default=list(DEFAULT_PHONE_REGIONS),
        min_length=1,
        description="Regions whose national phone numbers are recognized (ISO 3166 codes as "
        "the phonenumbers library knows them).",
    )
    invalid_numbers: InvalidNumbers = Field(
        default=InvalidNumbers.REDACT,
        description="Sample and checksum-invalid numbers: redact as a lower-confidence entity, "
        "or ignore.",
    )
    context_instructions: InstructionAction = Field(
        default=InstructionAction.WITHHOLD,
        description="A context item that tries to instruct the model: withhold it, send it "
        "with a warning reason, or deny the request.",
    )
    recognizers: list[DetectionRecognizer] = []
    deny_lists: list[DenyList] = []
    allow_lists: list[AllowList] = []

    @field_validator("phone_regions")
    @classmethod
    def _known_regions(cls, value: list[str]) -> list[str]:
        unknown = [r for r in value if r not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            raise ValueError(
                f"unknown phone region(s) {', '.join(map(repr, unknown))}: use upper-case "
                "region codes such as US, GB, DE"
            )
        return value

    @model_validator(mode="after")
    def _coherent(self) -> Detection:
        for name in ("recognizers", "deny_lists", "allow_lists"):
            ids = [item.id for item in getattr(self, name)]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if twice:
                raise ValueError(f"{name}: duplicate id(s) {', '.join(twice)}")
        for allowed in self.allow_lists:
            values = {v.casefold() for v in allowed.values}
            for denied in self.deny_lists:
                overlap = sorted(v for v in denied.values if v.casefold() in values)
                if overlap and (allowed.tenant is None or denied.tenant in (None, allowed.tenant)):
                    raise ValueError(
                        f"allow list {allowed.id} and deny list {denied.id} both name "
                        f"{', '.join(map(repr, overlap[:3]))}"
                    )
        return self
