"""Signing a delivery: HMAC-SHA256 over "<timestamp>.<body>" with every active secret."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

ID_HEADER = "Billing-Webhook-Id"
TIMESTAMP_HEADER = "Billing-Webhook-Timestamp"
SIGNATURE_HEADER = "Billing-Webhook-Signature"
SCHEME = "v1"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Hex HMAC-SHA256 of b"<timestamp>." + body, keyed with the secret's UTF-8 bytes."""
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """'t=<unix seconds>,v1=<hex>[,v1=<hex>]', one v1 per active secret, newest first."""
    signatures = [f"{SCHEME}={signature(secret, timestamp, body)}" for secret in secrets]
    return ",".join([f"t={timestamp}", *signatures])


def signed_headers(delivery_id: str, secrets: Sequence[str], timestamp: int, body: bytes) -> dict[str, str]:
    """The headers of one attempt: delivery id, timestamp and signatures."""
    return {
        "Content-Type": "application/json",
        ID_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature_header(secrets, timestamp, body),
    }
