"""Settings of the rating service."""

from __future__ import annotations

from kernel.settings import ServiceSettings


class Settings(ServiceSettings):
    """Rating service settings: the shared ones, the invoice service, and the usage partitions
    this worker owns ("all", or a list like "0-3" or "0,2,4,6"): each partition has one owner,
    so each account's cycle counters have a single writer."""

    invoice_grpc: str = "127.0.0.1:50053"
    rating_partitions: str = "all"
