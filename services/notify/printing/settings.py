"""Settings of print batches, read from PRINT_* environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PrintSettings(BaseSettings):
    """Where batches are built, how they are stored, how many invoices render at once."""

    model_config = SettingsConfigDict(env_prefix="PRINT_", extra="ignore", frozen=True)

    temp_dir: Path | None = Field(default=None, description="build folder parent; default the system's")
    chunk_bytes: int = Field(default=1 << 20, ge=1 << 10, le=3 << 20,
                             description="size of a stored file chunk and of a streamed message")
    render_concurrency: int = Field(default=4, ge=1, le=32)
    poll_seconds: float = Field(default=5.0, gt=0, le=300)
