"""The ASGI layer running a mutating request once per Idempotency-Key and replaying its response."""

from __future__ import annotations

import logging

import asyncpg
from fastapi import Request
from fastapi.responses import JSONResponse
from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.gateway.deps import caller_of
from services.gateway.idempotency.request import (
    HEADER,
    HashedBody,
    InvalidKeyError,
    is_guarded,
    key_of,
    request_line,
)
from services.gateway.idempotency.store import (
    Claim,
    Existing,
    Fingerprint,
    IdempotencyStore,
    Owner,
    StoredResponse,
)
from services.gateway.keys import Principal, Role
from services.gateway.problems import problem

log = logging.getLogger(__name__)

HELD_BODY_LIMIT = 1 << 20
"""Bodies up to this size are read before the key is claimed; larger ones are hashed as they stream."""
KEPT_HEADERS = frozenset({"content-type", "content-length", "location"})
SECRET_RESPONSES = frozenset({("POST", "/v1/api-keys")})
"""Calls whose success shows a secret once: it is never stored, so a replay is refused instead.
Any response marked `Cache-Control: no-store` (webhook secrets, for one) is treated the same way."""
REPLAYED_HEADER = (b"idempotent-replayed", b"true")
OUTCOME_ATTRIBUTE = "billing.idempotency.outcome"


def owner_of(caller: Principal) -> Owner:
    """Keys are the caller's own: per tenant and role, and per account for customer keys."""
    if caller.role is Role.CUSTOMER:
        return Owner(caller.tenant_id, f"{caller.role.value}:{caller.account_id}")
    return Owner(caller.tenant_id, caller.role.value)


def refusal(status: int, reason: str, detail: str) -> JSONResponse:
    """A problem+json answer naming the Idempotency-Key header and the reason."""
    return problem(status, detail, [{"field": HEADER, "reason": reason}])


def conflict(reason: str, detail: str) -> JSONResponse:
    """A 409 about the key's earlier use."""
    trace.get_current_span().set_attribute(OUTCOME_ATTRIBUTE, reason)
    answer = refusal(409, reason, detail)
    if reason == "request_in_progress":
        answer.headers["Retry-After"] = "1"
    return answer


KEY_REUSED = ("idempotency_key_reused",
              f"this {HEADER} was already used for a different request (method, path, query or body)")
IN_PROGRESS = ("request_in_progress",
               f"a request with this {HEADER} is still running; retry later to get its response")
NOT_KEPT = ("response_not_kept",
            f"the request with this {HEADER} succeeded; its response held a secret shown only once")


class ResponseRecorder:
    """Passes the app's response on to the client, keeping a copy of what a replay needs.

    The last body message is held back until the response is kept, so a client that retries the
    moment it has its answer finds the key completed (a replay), never still in progress."""

    def __init__(self, send: Send) -> None:
        self.downstream = send
        self.status = 0
        self.headers: list[tuple[str, str]] = []
        self.body = bytearray()
        self.complete = False
        self.no_store = False
        self.held: Message | None = None

    async def send(self, message: Message) -> None:
        """The app's send."""
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.no_store = any(name.lower() == b"cache-control" and b"no-store" in value.lower()
                                for name, value in message.get("headers", []))
            self.headers = [(name.decode("latin-1"), value.decode("latin-1"))
                            for name, value in message.get("headers", [])
                            if name.decode("latin-1").lower() in KEPT_HEADERS]
        elif message["type"] == "http.response.body" and self.status < 500:
            self.body += message.get("body", b"")
            self.complete = not message.get("more_body", False)
            if self.complete:
                self.held = message
                return
        await self.downstream(message)

    async def release(self) -> None:
        """Send the held last part of the response, if any."""
        if self.held is not None:
            message, self.held = self.held, None
            await self.downstream(message)

    def kept(self, secret: bool) -> StoredResponse | None:
        """The response to keep: only a complete one that is not a server error."""
        if not self.complete:
            return None
        shown_once = (secret or self.no_store) and 200 <= self.status < 300
        return StoredResponse(self.status, self.headers, None if shown_once else bytes(self.body))


async def replay(response: StoredResponse, send: Send) -> None:
    """Send a kept response again, byte for byte, marked as a replay."""
    trace.get_current_span().set_attribute(OUTCOME_ATTRIBUTE, "replayed")
    trace.get_current_span().add_event("idempotency.replayed", {"http.status_code": response.status})
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.headers]
    await send({"type": "http.response.start", "status": response.status,
                "headers": [*headers, REPLAYED_HEADER]})
    await send({"type": "http.response.body", "body": response.body or b""})


class IdempotencyMiddleware:
    """Runs a mutating /v1 call once per Idempotency-Key and caller; retries get the same answer."""

    def __init__(self, app: ASGIApp, store: IdempotencyStore) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not is_guarded(scope):
            await self.app(scope, receive, send)
            return
        try:
            key = key_of(scope)
        except InvalidKeyError as error:
            await refusal(400, error.reason, str(error))(scope, receive, send)
            return
        caller = await caller_of(Request(scope)) if key is not None else None
        if key is None or caller is None:
            await self.app(scope, receive, send)
            return
        await self.once(scope, HashedBody(receive), send, owner_of(caller), key)

    async def once(self, scope: Scope, body: HashedBody, send: Send, owner: Owner, key: str) -> None:
        """Claim the key and run the request, or answer from the key's earlier use."""
        await body.read_prefix(HELD_BODY_LIMIT)
        if body.disconnected:
            return
        fingerprint = Fingerprint(request_line(scope), body.sha256())
        found = await self.store.claim(owner, key, fingerprint)
        if isinstance(found, Claim):
            await self.run(scope, body, send, found)
        else:
            await self.answer_again(scope, body, send, found)

    async def answer_again(self, scope: Scope, body: HashedBody, send: Send, found: Existing) -> None:
        """A key used before: 409 while it runs or for another request, else its response."""
        if found.response is None:
            await conflict(*IN_PROGRESS)(scope, body.receive, send)
            return
        if found.fingerprint.request != request_line(scope):
            await conflict(*KEY_REUSED)(scope, body.receive, send)
            return
        await body.drain()
        if body.disconnected:
            return
        if found.fingerprint.body_sha256 != body.sha256():
            await conflict(*KEY_REUSED)(scope, body.receive, send)
        elif found.response.body is None:
            await conflict(*NOT_KEPT)(scope, body.receive, send)
        else:
            await replay(found.response, send)

    async def run(self, scope: Scope, body: HashedBody, send: Send, claim: Claim) -> None:
        """Run the request under its claim; keep the response, or free the key if it failed."""
        trace.get_current_span().set_attribute(OUTCOME_ATTRIBUTE, "executed")
        recorder = ResponseRecorder(send)
        try:
            async with self.store.held(claim):
                await self.app(scope, body.receive, recorder.send)
        except BaseException:
            await self.store.release(claim)
            await recorder.release()
            raise
        secret = (scope["method"], scope["path"]) in SECRET_RESPONSES
        await self.settle(claim, body.sha256(), recorder.kept(secret))
        await recorder.release()

    async def settle(self, claim: Claim, body_sha256: bytes | None, response: StoredResponse | None) -> None:
        """Keep the response of a request whose whole body was read; otherwise free the key.

        The client's answer is complete but for its last part, so a database failure here is logged,
        not raised: the claim then goes stale and the key is free again after STALE_CLAIM_SECONDS.
        """
        try:
            if body_sha256 is None or response is None:
                await self.store.release(claim)
            elif not await self.store.complete(claim, body_sha256, response):
                log.warning("idempotency key %r was taken over before its response was kept", claim.key)
        except (asyncpg.PostgresError, OSError):
            log.exception("could not keep the response of idempotency key %r", claim.key)
