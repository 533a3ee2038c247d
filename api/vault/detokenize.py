"""POST /v1/detokenize: pseudonyms back to values, for roles with the 'detokenize' permission.

The scope read is always the caller's own tenant; within it, the configured vault
scope decides what else the request names (`Vault.scope_named`): the principal whose
pseudonyms these are (default: the caller) and, per conversation, the conversation
id. A pseudonym that scope does not hold, because it belongs to another tenant,
principal or conversation, has expired, or never existed, is listed in `unknown`,
all alike. Each value returned is a restore, recorded as provenance (who, when,
which pseudonym and label; never the value). No model is called, so no token budget
is charged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.deps import RuntimeDep, require
from api.schemas import refuse_surrogates
from api.vault.vault import Restore, Vault
from engine.model import Principal
from engine.redact import PLACEHOLDER_PATTERN, restore
from engine.vault import placeholders_in
from loaders.spec import Id

MAX_PSEUDONYMS = 1_000

router = APIRouter(prefix="/v1", tags=["pseudonym vault"])
Detokenizer = Annotated[Principal, Depends(require("detokenize"))]


class DetokenizeRequest(BaseModel):
    """Either `text` (every pseudonym in it is restored) or a list of `pseudonyms`."""

    # strict: no coercion on the wire (api/schemas.py says why).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    text: str | None = Field(default=None, max_length=200_000)
    pseudonyms: list[str] | None = Field(default=None, max_length=MAX_PSEUDONYMS)
    principal_id: Id | None = Field(
        default=None, description="Whose pseudonyms (principal and conversation scopes)."
    )
    conversation_id: Id | None = Field(default=None, description="Conversation scope only.")
    decision_id: str | None = Field(
        default=None,
        pattern=r"^dec_[0-9a-f]{32}$",
        description="Conversation scope, for a request that named no conversation.",
    )

    @field_validator("text")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return None if value is None else refuse_surrogates(value, "text")

    @field_validator("pseudonyms")
    @classmethod
    def _shapes(cls, value: list[str] | None) -> list[str] | None:
        for index, item in enumerate(value or ()):
            if not PLACEHOLDER_PATTERN.fullmatch(item):
                raise ValueError(
                    f"pseudonyms[{index}] is not a pseudonym (like <PERSON_4f2a1b>): {item[:80]!r}"
                )
        return value

    @model_validator(mode="after")
    def _one_input(self) -> DetokenizeRequest:
        if (self.text is None) == (self.pseudonyms is None):
            raise ValueError("send exactly one of 'text' or 'pseudonyms'")
        return self


class RestoredOut(BaseModel):
    pseudonym: str
    value: str
    entity_type: str
    label: str


class DetokenizeOut(BaseModel):
    text: str | None = Field(description="The text with every known pseudonym restored.")
    restored: list[RestoredOut]
    unknown: list[str] = Field(description="Pseudonyms this scope does not hold.")


def detokenize(
    vault: Vault,
    record: Callable[[dict[str, Any]], None],
    principal: Principal,
    body: DetokenizeRequest,
    *,
    now: datetime,
) -> DetokenizeOut:
    """The restores `body` asks for; `record` receives one provenance record each."""
    if body.pseudonyms is not None:
        wanted = sorted(set(body.pseudonyms))
    else:
        wanted = sorted(placeholders_in([body.text or ""]))
    scope = vault.scope_named(
        principal,
        principal_id=body.principal_id,
        conversation=body.conversation_id,
        decision_id=body.decision_id,
    )
    found = vault.find(scope, wanted)  # VaultUnavailable: 503, nothing restored
    for entry in found.values():
        record(Restore("detokenize", principal, scope, entry, now).record())
    mapping = {p: e.value for p, e in found.items()}
    return DetokenizeOut(
        text=None if body.text is None else restore(body.text, mapping),
        restored=[
            RestoredOut(pseudonym=p, value=e.value, entity_type=e.entity_type, label=e.label)
            for p, e in sorted(found.items())
        ],
        unknown=[p for p in wanted if p not in found],
    )


@router.post(
    "/detokenize",
    response_model=DetokenizeOut,
    summary="Turn pseudonyms of the caller's tenant back into values (audited)",
    responses={
        400: {"description": "Malformed request"},
        401: {"description": "Missing or unknown API key"},
        403: {"description": "The key's roles lack the 'detokenize' permission"},
        503: {"description": "The vault's Redis did not answer in time"},
    },
)
def detokenize_route(
    body: DetokenizeRequest,
    principal: Detokenizer,
    runtime: RuntimeDep,
) -> DetokenizeOut:
    return detokenize(
        runtime.vault, runtime.writer.submit_restore, principal, body, now=datetime.now(UTC)
    )
