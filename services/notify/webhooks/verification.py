"""Checking a delivery as a receiver does (the snippet in docs/webhooks.md, standard library only)."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

TOLERANCE_SECONDS = 300
"""Receivers reject deliveries signed more than 5 minutes before or after their own clock."""


class SignatureError(ValueError):
    """The delivery is not signed with a known secret, or signed too long ago."""


def parse_signature_header(header: str) -> tuple[int, list[str]]:
    """The timestamp and the v1 signatures of 't=<unix>,v1=<hex>[,v1=<hex>]'."""
    timestamp, signatures = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("malformed signature header")
    return timestamp, signatures


def verify(body: bytes, header: str, secrets: Sequence[str],
           tolerance: int = TOLERANCE_SECONDS, now: float | None = None) -> int:
    """The signed timestamp when one v1 signature matches one secret within the tolerance."""
    timestamp, signatures = parse_signature_header(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    signed = f"{timestamp}.".encode() + body
    for secret in secrets:
        expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected, candidate) for candidate in signatures):
            return timestamp
    raise SignatureError("no signature matches")
