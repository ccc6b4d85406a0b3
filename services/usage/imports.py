"""File imports: a usage file streamed through its parser into batches, recorded from start to end."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from kernel.errors import InvalidInputError
from kernel.ids import new_id
from services.usage.application import Origin, UsageCapture
from services.usage.formats import FileParser, Parsed
from services.usage.formats.cdr import CdrParser, load_mapping
from services.usage.formats.radius import RadiusDetailParser

IMPORT_BATCH = 10_000
FORMATS = ("asterisk", "generic", "radius")


@dataclass(frozen=True)
class ImportRequest:
    """What to import: the tenant, the file's format and source, its name and timezone."""

    tenant_id: UUID
    format: str
    source: str
    file_name: str
    timezone: str = ""


def parser_for(request: ImportRequest) -> FileParser:
    """The parser of a known format; anything else is refused."""
    if request.format not in FORMATS:
        raise InvalidInputError("format", f"must_be_one_of:{','.join(FORMATS)}")
    if not request.source.strip():
        raise InvalidInputError("source", "required")
    if not request.file_name.strip():
        raise InvalidInputError("file_name", "required")
    if request.format == "radius":
        return RadiusDetailParser(request.source)
    return CdrParser(load_mapping(request.format), request.source, request.timezone or None)


class FileImporter:
    """Parses a stream of chunks and captures it batch by batch, writing while parsing."""

    def __init__(self, pool: asyncpg.Pool, capture: UsageCapture,
                 on_stored: Callable[[], None]) -> None:
        self.pool = pool
        self.capture = capture
        self.on_stored = on_stored

    async def run(self, request: ImportRequest, chunks: AsyncIterator[bytes]) -> UUID:
        """Import the file; the import row says completed, or failed with the reason."""
        parser = parser_for(request)
        import_id = new_id()
        await self.pool.execute(
            "INSERT INTO usage.imports (import_id, tenant_id, source, file, format, status, bytes,"
            " received, accepted, duplicate, rejected, error, started_at)"
            " VALUES ($1, $2, $3, $4, $5, 'importing', 0, 0, 0, 0, 0, '', now())",
            import_id, request.tenant_id, request.source, request.file_name, request.format,
        )
        origin = Origin("file", request.source, request.file_name, import_id)
        batches: asyncio.Queue[list[Parsed] | None] = asyncio.Queue(maxsize=2)
        writer = asyncio.create_task(self._write(request.tenant_id, origin, batches))
        try:
            size = await self._parse(parser, chunks, batches, import_id, writer)
            await batches.put(None)
            await writer
        except BaseException as error:
            writer.cancel()
            with contextlib.suppress(BaseException):
                await writer
            await self._finish(import_id, "failed", describe(error))
            raise
        await self._finish(import_id, "completed", "", size)
        return import_id

    async def _parse(
        self, parser: FileParser, chunks: AsyncIterator[bytes],
        batches: asyncio.Queue[list[Parsed] | None], import_id: UUID, writer: asyncio.Task[None],
    ) -> int:
        """Feed the parser; hand every full batch to the writer; return the bytes read."""
        pending: list[Parsed] = []
        size = 0
        async for chunk in chunks:
            size += len(chunk)
            pending.extend(parser.feed(chunk))
            while len(pending) >= IMPORT_BATCH:
                await self._hand_over(batches, pending[:IMPORT_BATCH], writer)
                del pending[:IMPORT_BATCH]
                await self.pool.execute(
                    "UPDATE usage.imports SET bytes = $2 WHERE import_id = $1", import_id, size)
        pending.extend(parser.finish())
        for start in range(0, len(pending), IMPORT_BATCH):
            await self._hand_over(batches, pending[start:start + IMPORT_BATCH], writer)
        return size

    @staticmethod
    async def _hand_over(
        batches: asyncio.Queue[list[Parsed] | None], batch: list[Parsed], writer: asyncio.Task[None]
    ) -> None:
        """Queue a batch, surfacing the writer's failure instead of waiting on a dead queue."""
        put = asyncio.ensure_future(batches.put(batch))
        done, _ = await asyncio.wait({put, writer}, return_when=asyncio.FIRST_COMPLETED)
        if writer in done:
            put.cancel()
            writer.result()
            raise RuntimeError("the import writer stopped early")

    async def _write(
        self, tenant_id: UUID, origin: Origin, batches: asyncio.Queue[list[Parsed] | None]
    ) -> None:
        while (batch := await batches.get()) is not None:
            await self.capture.capture(tenant_id, batch, origin, details=False)
            self.on_stored()

    async def _finish(self, import_id: UUID, status: str, error: str, size: int | None = None) -> None:
        await self.pool.execute(
            "UPDATE usage.imports SET status = $2, error = $3, bytes = coalesce($4, bytes),"
            " finished_at = now() WHERE import_id = $1", import_id, status, error, size,
        )


def describe(error: BaseException) -> str:
    """A short reason for a failed import."""
    if isinstance(error, InvalidInputError):
        return f"{error.field}: {error.reason}"
    if isinstance(error, asyncio.CancelledError):
        return "interrupted: the upload stopped before the end of the file"
    return f"{type(error).__name__}: {error}"[:500]
