"""The console's browser session: the admin key sealed into a cookie.

A browser signs in once with its API key (the login form); the key is sealed with
AES-256-GCM under a key derived from GOVROUTE_SECRET (HKDF, its own `info`), together
with an expiry, and set as an HttpOnly, SameSite=Strict cookie. Every request opens it
and authenticates the key again exactly as a Bearer key is, so a revoked key or a
changed role takes effect at once, and a cookie made under another secret, tampered
with, or past its expiry opens to nothing. Scripts send `Authorization: Bearer` instead.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

COOKIE = "govroute_console"
SESSION_S = 8 * 3600  # a working day; then the form asks for the key again
_NONCE = 12
_AAD = b"govroute-console-session-v1"


@dataclass(frozen=True, slots=True)
class SessionSeal:
    """Seals and opens session cookies; holds only the key derived from the secret."""

    aead: AESGCM

    @classmethod
    def from_secret(cls, secret: bytes) -> SessionSeal:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=_AAD, info=b"console session"
        ).derive(secret)
        return cls(AESGCM(derived))

    def seal(self, api_key: str, *, now: float) -> str:
        plain = json.dumps({"k": api_key, "exp": int(now + SESSION_S)}).encode()
        nonce = os.urandom(_NONCE)
        blob = nonce + self.aead.encrypt(nonce, plain, _AAD)
        return base64.urlsafe_b64encode(blob).decode().rstrip("=")

    def open(self, cookie: str, *, now: float) -> str | None:
        """The API key in a cookie this installation sealed and that has not expired."""
        try:
            blob = base64.urlsafe_b64decode(cookie + "=" * (-len(cookie) % 4))
            plain = self.aead.decrypt(blob[:_NONCE], blob[_NONCE:], _AAD)
            value = json.loads(plain)
        except (binascii.Error, ValueError, InvalidTag):
            return None
        if not isinstance(value, dict) or not isinstance(value.get("k"), str):
            return None
        expires = value.get("exp")
        if not isinstance(expires, int) or expires <= now:
            return None
        key: str = value["k"]
        return key
