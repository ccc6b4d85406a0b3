"""The request side: the Idempotency-Key header, and the request body hashed as it streams by."""

from __future__ import annotations

import hashlib
from collections import deque

from starlette.types import Message, Receive, Scope

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEY_RULE = f"must be 1 to {MAX_KEY_LENGTH} printable ASCII characters"
GUARDED_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
GUARDED_PREFIX = "/v1/"


class InvalidKeyError(Exception):
    """An Idempotency-Key header the gateway refuses: 400 naming the header and the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{HEADER} {reason}")
        self.reason = reason


def is_guarded(scope: Scope) -> bool:
    """A mutating call of the public API (the only calls an Idempotency-Key applies to)."""
    return (scope["type"] == "http" and scope["method"] in GUARDED_METHODS
            and str(scope["path"]).startswith(GUARDED_PREFIX))


def key_of(scope: Scope) -> str | None:
    """The request's idempotency key, None without one."""
    values = [value for name, value in scope["headers"] if name == HEADER.lower().encode()]
    if not values:
        return None
    if len(values) > 1:
        raise InvalidKeyError("must be sent once")
    value: bytes = values[0]
    if not 1 <= len(value) <= MAX_KEY_LENGTH or any(not 0x20 <= byte <= 0x7E for byte in value):
        raise InvalidKeyError(KEY_RULE)
    return value.decode("ascii")


def request_line(scope: Scope) -> str:
    """Method, path and query: what a key stands for besides the body."""
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    return f"{scope['method']} {scope['path']}" + (f"?{query}" if query else "")


class HashedBody:
    """The request body on its way to the app, hashed as it passes; only a bounded prefix is held."""

    def __init__(self, receive: Receive) -> None:
        self.upstream = receive
        self.hash = hashlib.sha256()
        self.held: deque[Message] = deque()
        self.complete = False
        self.disconnected = False

    def sha256(self) -> bytes | None:
        """The body's SHA-256, once all of it was read."""
        return self.hash.digest() if self.complete else None

    async def read_prefix(self, limit: int) -> None:
        """Read and hold the body until it ends or more than `limit` bytes were held."""
        size = 0
        while not (self.complete or self.disconnected) and size <= limit:
            message = await self.pull()
            self.held.append(message)
            size += len(message.get("body", b""))

    async def drain(self) -> None:
        """Read the rest of the body to hash it, keeping none of it."""
        self.held.clear()
        while not (self.complete or self.disconnected):
            await self.pull()

    async def receive(self) -> Message:
        """The app's receive: the held messages first, then the rest as it arrives."""
        if self.held:
            return self.held.popleft()
        return await self.pull()

    async def pull(self) -> Message:
        """The next message from the server, hashed if it is body."""
        message = await self.upstream()
        if message["type"] == "http.request" and not self.complete:
            self.hash.update(message.get("body", b""))
            self.complete = not message.get("more_body", False)
        elif message["type"] == "http.disconnect":
            self.disconnected = True
        return message
