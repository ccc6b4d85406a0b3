"""Settings of the usage service."""

from __future__ import annotations

from pydantic import Field

from kernel.settings import ServiceSettings


class Settings(ServiceSettings):
    """Usage service settings: the shared ones plus the invoice service and the time window."""

    invoice_grpc: str = "127.0.0.1:50053"
    max_clock_skew_seconds: int = Field(default=300, ge=0)
    max_record_age_days: int = Field(default=730, ge=1)
