"""Settings of the payment service."""

from __future__ import annotations

from pydantic import Field, field_validator

from kernel.settings import ServiceSettings
from services.payment.gateways.config import GatewaySettings


class Settings(ServiceSettings, GatewaySettings):
    """The payment service's settings: the common ones, the payment gateway, the invoice service."""

    invoice_grpc: str = Field(description="host:port of the invoice service's gRPC server")
    invoice_timeout_seconds: float = Field(
        default=5.0, gt=0, description="deadline for asking the invoice service about an invoice"
    )

    dunning_interval_seconds: float = Field(
        default=60.0, gt=0, description="how often dunning looks for overdue accounts"
    )

    @field_validator("invoice_grpc")
    @classmethod
    def check_address(cls, value: str) -> str:
        """The invoice service's address is host:port."""
        if ":" not in value:
            raise ValueError(f"INVOICE_GRPC must be host:port, got {value!r}")
        return value
