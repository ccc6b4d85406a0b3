"""Uploaded files streamed on to a service: the request body regrouped in chunks as it arrives."""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import Request

UPLOAD_CHUNK = 1 << 20


async def body_chunks(request: Request) -> AsyncIterator[bytes]:
    """The request body in chunks of about UPLOAD_CHUNK bytes, never held whole in memory."""
    pending = bytearray()
    async for piece in request.stream():
        pending += piece
        if len(pending) >= UPLOAD_CHUNK:
            yield bytes(pending)
            pending.clear()
    if pending:
        yield bytes(pending)
