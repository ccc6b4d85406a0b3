"""Typed settings shared by every service; each service extends ServiceSettings."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "dev-secret", ""}


class ServiceSettings(BaseSettings):
    """Settings every service needs: where PostgreSQL and NATS are, where to listen."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(description="postgresql:// URL of the shared PostgreSQL")
    nats_url: str = Field(description="nats:// URL of the JetStream-enabled NATS server")
    grpc_listen: str = Field(default="127.0.0.1:0", description="host:port for the gRPC server")
    ready_file: Path | None = Field(
        default=None, description="where to write the bound addresses once serving"
    )
    log_level: str = "INFO"
    otel_console: bool = Field(default=False, description="print finished spans as JSON logs")
    shutdown_grace_seconds: float = 5.0
    usage_partitions: int = Field(default=8, ge=1, le=1024)

    def check_secret(self, name: str, value: str) -> None:
        """Refuse placeholder secrets outside development and tests."""
        if self.environment == "production" and value.lower() in PLACEHOLDER_SECRETS:
            raise ValueError(f"{name} must be set to a real secret in production")


class ServiceAddresses(BaseSettings):
    """Where the other services' gRPC servers are (host:port)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", frozen=True)

    usage_grpc: str = "127.0.0.1:50051"
    rating_grpc: str = "127.0.0.1:50052"
    invoice_grpc: str = "127.0.0.1:50053"
    payment_grpc: str = "127.0.0.1:50054"
    notify_grpc: str = "127.0.0.1:50055"
    support_grpc: str = "127.0.0.1:50056"

    @model_validator(mode="after")
    def check_addresses(self) -> ServiceAddresses:
        """Every address is host:port."""
        for name, value in self.model_dump().items():
            if name.endswith("_grpc") and ":" not in value:
                raise ValueError(f"{name} must be host:port, got {value!r}")
        return self
