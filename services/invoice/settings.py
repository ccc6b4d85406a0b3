"""Settings of the invoice service."""

from __future__ import annotations

from kernel.settings import ServiceSettings


class Settings(ServiceSettings):
    """Invoice service settings: the shared ones plus where the rating service is."""

    rating_grpc: str = "127.0.0.1:50052"
    bill_run_batch_size: int = 100
