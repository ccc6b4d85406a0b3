"""Settings of the invoice service."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from kernel.settings import ServiceSettings
from services.invoice.bill_runs import MAX_SAVE_BATCH, SAVE_BATCH


class Settings(ServiceSettings):
    """Invoice service settings: the shared ones plus where the rating service is."""

    rating_grpc: str = "127.0.0.1:50052"
    bill_run_batch_size: int = Field(
        default=SAVE_BATCH, ge=1, le=MAX_SAVE_BATCH, description="invoices per atomic bill-run save")
    payment_terms_days: int = 14
    seller_name: str = "Demo Telecom Ltd"
    seller_address: str = "1 Exchange Street|London EC1A 1AA|United Kingdom"
    seller_tax_id: str = "GB123456789"
    scheduler_interval_seconds: float = 60.0
    outbox_relay: Literal["in_process", "own_process"] = Field(
        default="in_process",
        description="who publishes the stored events: this process, or services.invoice.relay_main")
