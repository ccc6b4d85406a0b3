"""Signing secrets: generated once, shown once, stored sealed under the service's key.

Signing needs the secret itself, so it cannot be stored as a hash. It is sealed with
encrypt-then-MAC built from HMAC-SHA256 only (the standard library has no block cipher and
the platform no crypto dependency): HMAC-SHA256 as a PRF in counter mode gives the keystream,
and an HMAC-SHA256 tag over version, nonce and ciphertext is checked in constant time before
anything is decrypted. Encryption and MAC keys are derived from the configured key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret)
SECRET_BYTES = 32
NONCE_BYTES = 16
TAG_BYTES = 32
VERSION = b"\x01"
HINT_LENGTH = len(SECRET_PREFIX) + 4


class SealError(ValueError):
    """A sealed secret that was not sealed with this key, or was changed."""


def new_signing_secret() -> str:
    """'whsec_' and 32 random bytes, URL-safe base64."""
    return SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)


def secret_hint(secret: str) -> str:
    """The first characters of a secret, to tell secrets apart in listings."""
    return secret[:HINT_LENGTH]


def derive(key: bytes, purpose: bytes) -> bytes:
    """A subkey for one purpose."""
    return hmac.new(key, b"billing-webhook-secrets/" + purpose, hashlib.sha256).digest()


def keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    """HMAC-SHA256(key, nonce || counter) blocks, cut to the length."""
    blocks = (hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
              for counter in range((length + 31) // 32))
    return b"".join(blocks)[:length]


class SecretBox:
    """Seals and opens signing secrets with one configured key."""

    def __init__(self, key: str) -> None:
        material = key.encode()
        self.encryption_key = derive(material, b"encrypt")
        self.mac_key = derive(material, b"mac")

    def _tag(self, nonce: bytes, ciphertext: bytes) -> bytes:
        return hmac.new(self.mac_key, VERSION + nonce + ciphertext, hashlib.sha256).digest()

    def seal(self, secret: str) -> str:
        """The secret encrypted and authenticated, as URL-safe base64 text."""
        plaintext = secret.encode()
        nonce = secrets.token_bytes(NONCE_BYTES)
        stream = keystream(self.encryption_key, nonce, len(plaintext))
        ciphertext = bytes(a ^ b for a, b in zip(plaintext, stream, strict=True))
        sealed = VERSION + nonce + ciphertext + self._tag(nonce, ciphertext)
        return base64.urlsafe_b64encode(sealed).decode()

    def open(self, sealed: str) -> str:
        """The secret, after checking it was sealed with this key and not changed."""
        try:
            raw = base64.urlsafe_b64decode(sealed.encode())
        except ValueError:
            raise SealError("not a sealed secret") from None
        if len(raw) < 1 + NONCE_BYTES + TAG_BYTES or raw[:1] != VERSION:
            raise SealError("not a sealed secret")
        nonce, ciphertext, tag = raw[1:1 + NONCE_BYTES], raw[1 + NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
        if not hmac.compare_digest(tag, self._tag(nonce, ciphertext)):
            raise SealError("sealed with another key, or changed")
        stream = keystream(self.encryption_key, nonce, len(ciphertext))
        return bytes(a ^ b for a, b in zip(ciphertext, stream, strict=True)).decode()
