"""Settings of webhooks, read from WEBHOOK_* environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kernel.settings import PLACEHOLDER_SECRETS
from services.notify.webhooks.sender import SenderLimits

DEVELOPMENT_KEY = "development-only-webhook-secrets-key-0000"
MIN_KEY_LENGTH = 32


class WebhookSettings(BaseSettings):
    """How webhook secrets are sealed, how attempts are made, and what tenants may target."""

    model_config = SettingsConfigDict(env_prefix="WEBHOOK_", extra="ignore", frozen=True)

    environment: Literal["development", "test", "production"] = Field(
        default="development", validation_alias="ENVIRONMENT")
    secrets_key: str = Field(default=DEVELOPMENT_KEY, description="key sealing signing secrets at rest")
    timeout_seconds: float = Field(default=10.0, gt=0, le=60, description="per attempt, in all")
    per_endpoint_concurrency: int = Field(default=4, ge=1, le=64)
    max_in_flight: int = Field(default=64, ge=1, le=1024)
    poll_seconds: float = Field(default=1.0, gt=0, le=60)
    private_targets_permitted: bool = Field(
        default=True, description="whether tenant admins may allow http:// and private targets at all")

    @model_validator(mode="after")
    def check_secrets_key(self) -> WebhookSettings:
        """A long enough key; in production a real one."""
        if len(self.secrets_key) < MIN_KEY_LENGTH:
            raise ValueError(f"WEBHOOK_SECRETS_KEY must have at least {MIN_KEY_LENGTH} characters")
        placeholder = self.secrets_key == DEVELOPMENT_KEY or self.secrets_key.lower() in PLACEHOLDER_SECRETS
        if self.environment == "production" and placeholder:
            raise ValueError("WEBHOOK_SECRETS_KEY must be set to a real secret in production")
        return self

    @property
    def limits(self) -> SenderLimits:
        """The sender's limits."""
        return SenderLimits(self.timeout_seconds, self.per_endpoint_concurrency, self.max_in_flight,
                            self.poll_seconds)
