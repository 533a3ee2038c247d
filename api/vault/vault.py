"""The pseudonym vault: keep a decision's pseudonyms, find them again, audit restores.

`Vault.keep` runs after every decision (POST /v1/decide and the gateway alike) and
stores the decision's PSEUDONYMIZE mappings under its scope, sealed, for the TTL;
a value seen again refreshes its TTL. If the store is away the entries are not
kept (logged, at most once a minute): the request itself is unaffected, and a
later turn gets the pseudonym back instead of the value (fail closed).

`Vault.find` answers which of some pseudonyms the scope knows. A pseudonym of
another scope, an expired one and a made-up one are the same to it: not found.
It raises VaultUnavailable when the store does not answer in time; the gateway
then leaves the pseudonyms as they are, detokenize answers 503.

Every restore, of an answer or by detokenize, becomes a `restore` provenance
record through the runtime's provenance writer: who, when, which pseudonym and
label, in which scope and decision; never the value.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.settings import VaultSettings
from api.vault.cipher import VaultCipher
from api.vault.stores import MemoryVaultStore, RedisVaultStore, VaultStore
from engine.errors import InvalidRequest, VaultUnavailable
from engine.model import Principal
from engine.vault import VaultEntry, VaultScope, scope_key

log = logging.getLogger("govroute.vault")

_ERROR_LOG_INTERVAL_S = 60.0


@dataclass(frozen=True, slots=True)
class Restore:
    """One restore for the audit trail. `kind`: "answer" or "detokenize"."""

    kind: str
    principal: Principal
    scope: str
    entry: VaultEntry
    at: datetime
    decision_id: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "id": f"rst_{uuid.uuid4().hex}",
            "at": self.at.isoformat(),
            "kind": self.kind,
            "tenant_id": self.principal.tenant,
            "principal_id": self.principal.id,
            "scope": self.scope,
            "pseudonym": self.entry.pseudonym,
            "entity_type": self.entry.entity_type,
            "label": self.entry.label,
            "decision_id": self.decision_id,
        }


class Vault:
    def __init__(self, store: VaultStore, cipher: VaultCipher, settings: VaultSettings) -> None:
        self.store = store
        self.settings = settings
        self._cipher = cipher
        self._last_error_log = 0.0

    @classmethod
    def from_settings(cls, settings: VaultSettings, secret: bytes) -> Vault:
        store: VaultStore
        if settings.redis_url is None:
            store = MemoryVaultStore(settings.max_entries)
        else:
            store = RedisVaultStore(
                settings.redis_url.get_secret_value(), settings.timeout_s, settings.backoff_s
            )
        return cls(store, VaultCipher(secret), settings)

    @property
    def shared(self) -> bool:
        return not isinstance(self.store, MemoryVaultStore)

    def scope_for(self, principal: Principal, conversation: str | None, decision_id: str) -> str:
        return scope_key(
            self.settings.scope,
            tenant=principal.tenant,
            principal=principal.id,
            conversation=conversation,
            decision_id=decision_id,
        )

    def scope_named(
        self,
        principal: Principal,
        *,
        principal_id: str | None,
        conversation: str | None,
        decision_id: str | None,
    ) -> str:
        """The scope detokenize reads: always the caller's tenant; then, as the configured
        scope says, a principal (the caller unless named) and a conversation (or, for
        requests that named none, their decision)."""
        if self.settings.scope is VaultScope.CONVERSATION and not conversation and not decision_id:
            raise InvalidRequest(
                "pseudonyms are kept per conversation: name the conversation_id (or, for a "
                "request that named none, its decision_id)",
                field="conversation_id",
            )
        return scope_key(
            self.settings.scope,
            tenant=principal.tenant,
            principal=principal_id or principal.id,
            conversation=conversation,
            decision_id=decision_id or "",
        )

    def keep(self, scope: str, entries: Sequence[VaultEntry]) -> bool:
        """Store `entries` under `scope`; False (logged) when the store is away."""
        if not entries:
            return True
        items = [
            (self._cipher.storage_key(scope, e.pseudonym), self._cipher.seal(scope, e))
            for e in entries
        ]
        try:
            self.store.put_many(items, self.settings.ttl_s)
        except VaultUnavailable as exc:
            self._log_error("not kept", exc)
            return False
        return True

    def find(self, scope: str, pseudonyms: Iterable[str]) -> dict[str, VaultEntry]:
        """The entries `scope` holds for `pseudonyms`; raises VaultUnavailable."""
        wanted = sorted(set(pseudonyms))
        if not wanted:
            return {}
        blobs = self.store.get_many([self._cipher.storage_key(scope, p) for p in wanted])
        found: dict[str, VaultEntry] = {}
        for pseudonym, blob in zip(wanted, blobs, strict=True):
            entry = None if blob is None else self._cipher.open(scope, pseudonym, blob)
            if entry is not None:
                found[pseudonym] = entry
        return found

    def find_or_none(self, scope: str, pseudonyms: Iterable[str]) -> dict[str, VaultEntry]:
        """`find`, but an unavailable store finds nothing (logged): pseudonyms stay."""
        try:
            return self.find(scope, pseudonyms)
        except VaultUnavailable as exc:
            self._log_error("not read; pseudonyms stay unrestored", exc)
            return {}

    def close(self) -> None:
        self.store.close()

    def _log_error(self, what: str, exc: VaultUnavailable) -> None:
        now = time.monotonic()
        if now - self._last_error_log >= _ERROR_LOG_INTERVAL_S:
            self._last_error_log = now
            log.warning("pseudonym vault %s: %s", what, exc)
