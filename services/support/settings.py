"""Settings of the support service."""

from __future__ import annotations

from pydantic import Field, field_validator

from kernel.settings import ServiceSettings


class Settings(ServiceSettings):
    """The support service's settings: the common ones and the invoice service it asks and settles with."""

    invoice_grpc: str = Field(description="host:port of the invoice service's gRPC server")
    invoice_timeout_seconds: float = Field(
        default=10.0, gt=0, description="deadline for a call to the invoice service"
    )

    @field_validator("invoice_grpc")
    @classmethod
    def check_address(cls, value: str) -> str:
        """The invoice service's address is host:port."""
        if ":" not in value:
            raise ValueError(f"INVOICE_GRPC must be host:port, got {value!r}")
        return value
