"""Settings of the rating service."""

from __future__ import annotations

from kernel.settings import ServiceSettings


class Settings(ServiceSettings):
    """Rating service settings: the shared ones plus where the invoice service is."""

    invoice_grpc: str = "127.0.0.1:50053"
