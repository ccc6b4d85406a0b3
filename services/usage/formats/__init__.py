"""File formats the usage service imports: push parsers that turn byte chunks into records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from services.usage.domain import ReceivedRecord


@dataclass(frozen=True)
class RowRejection:
    """A row of a file that could not become a record: where it was, why, and its raw text."""

    line: int
    record_id: str
    field: str
    reason: str
    raw: str


Parsed = ReceivedRecord | RowRejection
"""What a parser makes of one row: a received record (still to validate) or a rejection."""


class FileParser(Protocol):
    """A push parser: bytes go in chunk by chunk, rows come out; memory stays bounded."""

    def feed(self, chunk: bytes) -> list[Parsed]:
        """Parse the complete rows the chunk finishes; keep the incomplete tail for later."""
        ...

    def finish(self) -> list[Parsed]:
        """End of file: parse what is left (an incomplete last row is rejected as truncated)."""
        ...
