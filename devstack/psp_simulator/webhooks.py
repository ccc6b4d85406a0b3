"""Signed webhook deliveries from the simulated PSP, retried with backoff."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import httpx

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Simulator-Signature"
ATTEMPTS = 5
FIRST_BACKOFF_SECONDS = 0.25
TIMEOUT_SECONDS = 5.0


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """`t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as the simulator signs every delivery."""
    at = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


class WebhookSender:
    """Posts events to one URL, signed with one secret; each in the background, with retries."""

    def __init__(self, url: str, secret: str) -> None:
        self.url = url
        self.secret = secret
        self.client = httpx.AsyncClient(timeout=TIMEOUT_SECONDS)
        self.tasks: set[asyncio.Task[None]] = set()

    def send(self, event: dict[str, Any]) -> None:
        """Deliver an event in the background."""
        self.send_after(0.0, lambda: event)

    def send_after(self, delay_seconds: float, make_event: Callable[[], dict[str, Any]]) -> None:
        """After a delay, make an event (e.g. settle a charge) and deliver it."""
        task = asyncio.create_task(self._deliver(delay_seconds, make_event))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _deliver(self, delay_seconds: float, make_event: Callable[[], dict[str, Any]]) -> None:
        await asyncio.sleep(delay_seconds)
        event = make_event()
        if not self.url:
            log.warning("no webhook URL; event %s %s not delivered", event["type"], event["id"])
            return
        body = json.dumps(event).encode()
        for attempt in range(1, ATTEMPTS + 1):
            if await self._post(body, event, attempt):
                return
            if attempt < ATTEMPTS:
                await asyncio.sleep(FIRST_BACKOFF_SECONDS * 2 ** (attempt - 1))
        log.error("webhook %s %s given up after %d attempts", event["type"], event["id"], ATTEMPTS)

    async def _post(self, body: bytes, event: dict[str, Any], attempt: int) -> bool:
        headers = {"Content-Type": "application/json",
                   SIGNATURE_HEADER: signature_header(self.secret, body)}
        try:
            response = await self.client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            log.warning("webhook %s attempt %d: %s", event["id"], attempt, type(error).__name__)
            return False
        if response.is_success:
            log.info("webhook %s %s delivered", event["type"], event["id"])
            return True
        log.warning("webhook %s attempt %d: HTTP %d", event["id"], attempt, response.status_code)
        return False

    async def close(self) -> None:
        """Stop pending deliveries and close connections."""
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.client.aclose()
