"""Encryption of vault entries at rest: AES-256-GCM under a key per tenant.

Each tenant's key is derived from GOVROUTE_SECRET with HKDF-SHA256 (`info` names
the tenant), so one tenant's entries cannot be opened with another's key even by a
bug that mixes them up, and every replica with the same secret derives the same
keys without storing any. The storage key of an entry is an HMAC of its scope and
pseudonym: Redis shows neither tenant nor principal ids nor pseudonyms.

A sealed entry is ``version byte || 12-byte random nonce || ciphertext+tag``; the
associated data binds it to its scope and pseudonym, so a ciphertext copied under
another key does not open.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from engine.vault import VaultEntry

_VERSION = b"\x01"
_NONCE_BYTES = 12
_SALT = b"govroute-vault-v1"


class VaultCipher:
    """Seals and opens entries; holds only keys derived from the secret."""

    def __init__(self, secret: bytes) -> None:
        self._index_key = _derive(secret, b"index")
        self._secret = secret
        # Each tenant's key is the same every time: derived once (a dict assignment is
        # atomic, so racing threads at worst derive it twice).
        self._tenant_keys: dict[str, AESGCM] = {}

    def storage_key(self, scope: str, pseudonym: str) -> str:
        """Where an entry lives: reveals nothing of the scope or the pseudonym."""
        digest = hmac.new(self._index_key, _aad(scope, pseudonym), hashlib.sha256).hexdigest()
        return f"govroute:vault:v1:{digest[:40]}"

    def seal(self, scope: str, entry: VaultEntry) -> bytes:
        plain = json.dumps(
            {"t": entry.entity_type, "l": entry.label, "v": entry.value}, ensure_ascii=False
        ).encode("utf-8")
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._aead(scope).encrypt(nonce, plain, _aad(scope, entry.pseudonym))
        return _VERSION + nonce + sealed

    def open(self, scope: str, pseudonym: str, blob: bytes) -> VaultEntry | None:
        """The entry, or None when `blob` was not sealed for this scope and pseudonym
        under this secret (another secret, a tampered or truncated value)."""
        if len(blob) <= 1 + _NONCE_BYTES or blob[:1] != _VERSION:
            return None
        nonce, sealed = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        try:
            plain = self._aead(scope).decrypt(nonce, sealed, _aad(scope, pseudonym))
        except InvalidTag:
            return None
        fields = json.loads(plain)
        return VaultEntry(pseudonym, fields["t"], fields["l"], fields["v"])

    def _aead(self, scope: str) -> AESGCM:
        tenant = _tenant_of(scope)
        aead = self._tenant_keys.get(tenant)
        if aead is None:
            aead = AESGCM(_derive(self._secret, b"tenant:" + tenant.encode("utf-8")))
            self._tenant_keys[tenant] = aead
        return aead


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(secret)


def _tenant_of(scope: str) -> str:
    """The tenant id that leads every scope key (engine.vault.scope_key)."""
    head = scope.split("/", 1)[0]
    return head.removeprefix("tenant:")


def _aad(scope: str, pseudonym: str) -> bytes:
    parts = (scope.encode("utf-8"), pseudonym.encode("utf-8"))
    return b"".join(len(p).to_bytes(4, "big") + p for p in parts)
