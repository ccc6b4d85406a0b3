"""Signing deliveries and verifying them as a receiver does."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from services.notify.webhooks.signing import signature, signature_header, signed_headers
from services.notify.webhooks.verification import SignatureError, parse_signature_header, verify

BODY = b'{"id":"invoice:42","type":"Invoice.Finalized"}'
SECRET = "whsec_MfKQ9r8GKYqrTN80"
OLD_SECRET = "whsec_previousSecret00"
T = 1_700_000_000
EXPECTED = "5ab6217df963d1592b269c45cb293f3ce4188ad4c4b079f4c1e5765a48ce71e3"
"""printf '1700000000.<body>' | openssl dgst -sha256 -hmac whsec_MfKQ9r8GKYqrTN80"""


def test_signature_matches_a_vector_computed_with_openssl() -> None:
    assert signature(SECRET, T, BODY) == EXPECTED


def test_header_carries_the_timestamp_and_one_signature_per_secret_newest_first() -> None:
    header = signature_header([SECRET, OLD_SECRET], T, BODY)

    assert header == f"t={T},v1={EXPECTED},v1={signature(OLD_SECRET, T, BODY)}"
    assert parse_signature_header(header) == (T, [EXPECTED, signature(OLD_SECRET, T, BODY)])


def test_headers_name_the_delivery_and_the_timestamp() -> None:
    headers = signed_headers("d-1", [SECRET], T, BODY)

    assert headers["Billing-Webhook-Id"] == "d-1"
    assert headers["Billing-Webhook-Timestamp"] == str(T)
    assert headers["Billing-Webhook-Signature"] == f"t={T},v1={EXPECTED}"
    assert headers["Content-Type"] == "application/json"


def test_a_fresh_correctly_signed_delivery_verifies() -> None:
    assert verify(BODY, signature_header([SECRET], T, BODY), [SECRET], now=T + 299) == T


@pytest.mark.parametrize("body", [BODY + b" ", BODY.replace(b"42", b"43"), b""])
def test_a_changed_body_is_rejected(body: bytes) -> None:
    with pytest.raises(SignatureError, match="no signature matches"):
        verify(body, signature_header([SECRET], T, BODY), [SECRET], now=T)


def test_a_changed_timestamp_is_rejected() -> None:
    header = signature_header([SECRET], T, BODY).replace(f"t={T}", f"t={T + 1}")

    with pytest.raises(SignatureError, match="no signature matches"):
        verify(BODY, header, [SECRET], now=T)


@pytest.mark.parametrize("now", [T + 301, T - 301, T + 86_400])
def test_deliveries_signed_more_than_five_minutes_away_are_rejected(now: int) -> None:
    with pytest.raises(SignatureError, match="tolerance"):
        verify(BODY, signature_header([SECRET], T, BODY), [SECRET], now=now)


def test_while_rotating_a_receiver_knowing_either_secret_accepts() -> None:
    header = signature_header([SECRET, OLD_SECRET], T, BODY)

    assert verify(BODY, header, [OLD_SECRET], now=T) == T
    assert verify(BODY, header, [SECRET], now=T) == T


def test_a_receiver_with_both_secrets_accepts_a_delivery_signed_with_the_new_one_only() -> None:
    assert verify(BODY, signature_header([SECRET], T, BODY), [OLD_SECRET, SECRET], now=T) == T


def test_a_retired_secret_no_longer_verifies() -> None:
    with pytest.raises(SignatureError):
        verify(BODY, signature_header([SECRET], T, BODY), [OLD_SECRET], now=T)


@pytest.mark.parametrize("header", ["", "t=abc,v1=00", f"t={T}", "v1=00", "garbage"])
def test_malformed_headers_are_rejected(header: str) -> None:
    with pytest.raises(SignatureError, match="malformed"):
        verify(BODY, header, [SECRET], now=T)


def documented_snippet() -> Callable[..., bool]:
    """The verification snippet of docs/webhooks.md, run as receivers would copy it."""
    text = (Path(__file__).resolve().parents[3] / "docs" / "webhooks.md").read_text()
    code = text.split("## Verifying a delivery", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)  # noqa: S102 (our own documentation)
    snippet: Callable[..., bool] = namespace["verify_webhook"]
    return snippet


def test_the_documented_snippet_agrees_with_the_helper() -> None:
    snippet = documented_snippet()
    now = int(time.time())
    header = signature_header([SECRET, OLD_SECRET], now, BODY)

    assert snippet(BODY, header, [SECRET]) and snippet(BODY, header, [OLD_SECRET])
    assert not snippet(BODY + b"x", header, [SECRET])
    assert not snippet(BODY, header, ["whsec_other"])
    assert not snippet(BODY, signature_header([SECRET], now - 301, BODY), [SECRET])
    assert not snippet(BODY, "garbage", [SECRET])
