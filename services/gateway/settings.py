"""Settings of the gateway."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kernel.settings import ServiceAddresses


class ClientSettings(ServiceAddresses, BaseSettings):
    """The services' addresses and how long to wait for them (the gateway and its billing CLI)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    grpc_timeout_seconds: float = 30.0
    bill_run_timeout_seconds: float = 600.0


class Settings(ClientSettings):
    """Gateway settings: where to listen, the database for API keys, the services' addresses."""

    environment: str = "development"
    database_url: str
    http_listen: str = "127.0.0.1:8000"
    ready_file: str | None = None
    log_level: str = "INFO"
    idempotency_ttl_hours: int = Field(default=24, ge=24, description="how long Idempotency-Keys are kept")
