"""Settings of the gateway."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from kernel.settings import ServiceAddresses


class Settings(ServiceAddresses, BaseSettings):
    """Gateway settings: where to listen, the database for API keys, the services' addresses."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    environment: str = "development"
    database_url: str
    http_listen: str = "127.0.0.1:8000"
    ready_file: str | None = None
    log_level: str = "INFO"
    grpc_timeout_seconds: float = 30.0
    bill_run_timeout_seconds: float = 600.0
