"""Recorded Stripe answers served through the stripe library's pluggable HTTP client."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

PAYLOADS = Path(__file__).resolve().parent.parent / "stripe_payloads"
TENANT_ID = "3b1f6a52-8d0e-4c7a-9f65-0d2c1e7b4a90"
PAYMENT_ID = "9f0c2d71-5e3a-4b8c-a6d4-1c7e2f9b3a58"
ACCOUNT_ID = "c4e8a1b3-7d2f-4e6a-8b9c-5f1d3a2e7c64"
INTENT_ID = "pi_3QxR2aLkdIwHu7ix0Wq4sZ1b"
METHOD_ID = "pm_1QxR1zLkdIwHu7ixcT9fK2mV"
CUSTOMER_ID = "cus_RqB7c3Vd2xYk1L"


def payload(name: str) -> dict[str, Any]:
    """A recorded Stripe JSON body."""
    recorded: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return recorded


@dataclass(frozen=True)
class Exchange:
    """One expected request and the recorded answer to it (or the error the transport raises)."""

    method: str
    path: str
    answer: str = ""
    status: int = 200
    params: Mapping[str, str] = field(default_factory=dict)
    idempotency_key: str | None = None
    raises: stripe.StripeError | None = None


class RecordedStripe(stripe.HTTPClient):
    """Checks each request against the next expected exchange and answers its recorded body."""

    name = "recorded"

    def __init__(self, exchanges: Iterable[Exchange]) -> None:
        super().__init__()
        self.expected = deque(exchanges)
        self.sent: list[dict[str, str]] = []
        self.closed = False

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        if not self.expected:
            raise AssertionError(f"unexpected request {method.upper()} {url}")
        exchange = self.expected.popleft()
        parts = urlsplit(url)
        params = dict(parse_qsl(post_data or parts.query, keep_blank_values=True))
        self.sent.append(params)
        assert (method, parts.path) == (exchange.method, exchange.path)
        for key, value in exchange.params.items():
            assert params.get(key) == value, f"{key}: {params.get(key)!r} != {value!r}"
        if exchange.idempotency_key is not None:
            assert headers.get("Idempotency-Key") == exchange.idempotency_key
        if exchange.raises is not None:
            raise exchange.raises
        body = (PAYLOADS / f"{exchange.answer}.json").read_bytes()
        return body, exchange.status, {"Request-Id": "req_recorded"}

    async def sleep_async(self, secs: float) -> None:
        return None

    async def close_async(self) -> None:
        self.closed = True

    def check_all_sent(self) -> None:
        """Every expected request was made."""
        assert not self.expected, f"requests not made: {list(self.expected)}"
