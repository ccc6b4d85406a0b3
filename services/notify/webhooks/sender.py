"""The sender worker: POSTs due deliveries, a few at a time per endpoint, and settles each attempt."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

import asyncpg
import httpx

from kernel.clock import Clock
from kernel.errors import InvalidInputError
from services.notify.webhooks.domain import AttemptResult, Delivery, Endpoint
from services.notify.webhooks.queue import ClaimedDelivery, PostgresDeliveryQueue, SendingContext
from services.notify.webhooks.schedule import retry_at
from services.notify.webhooks.secret_box import SealError, SecretBox
from services.notify.webhooks.signing import signed_headers
from services.notify.webhooks.ssrf import Address, Resolver
from services.notify.webhooks.targets import Target, TargetRefusedError, checked_address, parse_target

log = logging.getLogger(__name__)

USER_AGENT = "billing-webhooks/1"


@dataclass(frozen=True)
class SenderLimits:
    """How much the sender does at once, how long it waits, how often it looks for due work."""

    timeout_seconds: float = 10.0
    per_endpoint: int = 4
    in_flight: int = 64
    poll_seconds: float = 1.0

    @property
    def lease(self) -> timedelta:
        """How long a claimed delivery stays away from other senders: well past the timeout."""
        return timedelta(seconds=6 * self.timeout_seconds)


class Poster(Protocol):
    """Makes one POST to a checked address."""

    async def post(self, target: Target, address: Address, headers: dict[str, str],
                   body: bytes) -> AttemptResult: ...


def elapsed_ms(started: float) -> int:
    """Milliseconds since a monotonic instant."""
    return int((time.monotonic() - started) * 1000)


class HttpPoster:
    """POSTs with httpx to the checked address, naming the host in Host and TLS SNI.

    Connecting to the address that was checked (not to the name, which could resolve anew)
    closes the DNS-rebinding gap; connections are not kept alive, so one to a name is never
    reused for another name served from the same address. Redirects are not followed.
    """

    def __init__(self, timeout_seconds: float) -> None:
        self.timeout_seconds = timeout_seconds
        self.client = httpx.AsyncClient(
            follow_redirects=False, trust_env=False, timeout=httpx.Timeout(timeout_seconds),
            limits=httpx.Limits(max_connections=None, max_keepalive_connections=0),
        )

    async def post(self, target: Target, address: Address, headers: dict[str, str],
                   body: bytes) -> AttemptResult:
        """One attempt: the status code, or why no response came (timeout, connect_error, ...)."""
        started = time.monotonic()
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        request_headers = {**headers, "Host": target.host_header, "User-Agent": USER_AGENT}
        try:
            async with asyncio.timeout(self.timeout_seconds):
                async with self.client.stream("POST", target.pinned_url(address), content=body,
                                              headers=request_headers, extensions=extensions) as response:
                    code = response.status_code
        except TimeoutError:
            reason = f"timeout: no answer within {self.timeout_seconds:g} s"
            return AttemptResult(0, reason, elapsed_ms(started))
        except httpx.TimeoutException as error:
            return AttemptResult(0, f"timeout: {type(error).__name__}", elapsed_ms(started))
        except httpx.ConnectError as error:
            return AttemptResult(0, f"connect_error: {error}", elapsed_ms(started))
        except httpx.HTTPError as error:
            return AttemptResult(0, f"request_error: {type(error).__name__}: {error}", elapsed_ms(started))
        reason = "ok" if 200 <= code < 300 else f"http_{code}"
        return AttemptResult(code, reason, elapsed_ms(started))

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()


class WebhookSender:
    """Claims due deliveries, POSTs them signed, and records every attempt."""

    def __init__(self, deliveries: PostgresDeliveryQueue, poster: Poster, box: SecretBox, resolver: Resolver,
                 clock: Clock, limits: SenderLimits,
                 next_try: Callable[[int, datetime], datetime | None] = retry_at) -> None:
        self.deliveries = deliveries
        self.poster = poster
        self.box = box
        self.resolver = resolver
        self.clock = clock
        self.limits = limits
        self.next_try = next_try
        self.woken = asyncio.Event()
        self.sending: Counter[UUID] = Counter()
        self.tasks: set[asyncio.Task[None]] = set()

    def wake(self) -> None:
        """Look for due deliveries now rather than at the next poll."""
        self.woken.set()

    async def run(self, stopping: asyncio.Event) -> None:
        """Send due deliveries until stopping; then let the attempts under way finish."""
        while not stopping.is_set():
            try:
                claimed = await self.send_due()
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                log.exception("claiming webhook deliveries failed; trying again")
                claimed = 0
            if not claimed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.woken.wait(), self.limits.poll_seconds)
                self.woken.clear()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def send_due(self) -> int:
        """Start attempts of due deliveries within the limits; how many were started."""
        now = self.clock.now()
        busy = [endpoint for endpoint, count in self.sending.items() if count >= self.limits.per_endpoint]
        room = self.limits.in_flight - sum(self.sending.values())
        started = 0
        for endpoint_id in await self.deliveries.due_endpoints(now, busy, max(room, 0)):
            share = min(self.limits.per_endpoint - self.sending[endpoint_id], room - started)
            if share <= 0:
                break
            for claimed in await self.deliveries.claim(endpoint_id, now, now + self.limits.lease, share):
                self._start(claimed)
                started += 1
        return started

    def _start(self, claimed: ClaimedDelivery) -> None:
        """Run one attempt in the background, counted against its endpoint's share."""
        endpoint_id = claimed.delivery.endpoint_id
        self.sending[endpoint_id] += 1
        task = asyncio.create_task(self.deliver(claimed))
        self.tasks.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self.tasks.discard(done)
            self.sending[endpoint_id] -= 1
            if self.sending[endpoint_id] <= 0:
                del self.sending[endpoint_id]
            if not done.cancelled() and done.exception() is not None:
                log.error("webhook attempt crashed", exc_info=done.exception())
            self.wake()

        task.add_done_callback(finished)

    async def deliver(self, claimed: ClaimedDelivery) -> None:
        """One attempt of a claimed delivery, settled in the log; a delivery never stops the worker."""
        delivery = claimed.delivery
        context = await self.deliveries.sending_context(delivery.tenant_id, delivery.endpoint_id)
        if context is None:
            return
        if not context.endpoint.is_enabled:
            await self.deliveries.schedule(replace(delivery, next_attempt_at=self.clock.now()))
            return
        result = await self.attempt(delivery, claimed.payload, context)
        await self.settle(delivery, result)

    async def attempt(self, delivery: Delivery, payload: bytes, context: SendingContext) -> AttemptResult:
        """Check the target again (DNS may have changed), sign, and POST."""
        try:
            secrets = [self.box.open(sealed) for sealed in context.sealed_secrets]
            target = parse_target(context.endpoint.url, context.allow_private)
            address = await checked_address(target, context.allow_private, self.resolver)
        except SealError as error:
            return AttemptResult(0, f"secret_unreadable: {error}", 0)
        except InvalidInputError as error:
            return AttemptResult(0, f"target_refused: {error.reason}", 0)
        except TargetRefusedError as error:
            return AttemptResult(0, error.reason, 0)
        timestamp = int(self.clock.now().timestamp())
        headers = signed_headers(str(delivery.delivery_id), secrets, timestamp, payload)
        return await self.poster.post(target, address, headers, payload)

    async def settle(self, delivery: Delivery, result: AttemptResult) -> None:
        """Log the attempt, move the delivery on, and track the endpoint's health."""
        at = self.clock.now()
        after = delivery.attempted(result, at, self.next_try)
        def health(endpoint: Endpoint) -> Endpoint:
            if result.delivered:
                return endpoint.after_success(at)
            return endpoint.after_failure(result.reason, at)

        settled = await self.deliveries.settle(after, delivery.log_entry(result, at), health)
        fields = {"delivery_id": str(delivery.delivery_id), "endpoint_id": str(delivery.endpoint_id),
                  "tenant_id": str(delivery.tenant_id), "status": after.status.value,
                  "attempt": after.attempts, "reason": result.reason}
        log.info("webhook attempt", extra={"fields": fields})
        if settled is not None and settled[0].is_enabled and not settled[1].is_enabled:
            log.warning("webhook endpoint disabled", extra={"fields": {
                **fields, "disabled_reason": settled[1].disabled_reason}})
