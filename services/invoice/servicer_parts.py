"""What the invoice servicer is built from (one composition root passes these in)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kernel.clock import Clock
from services.invoice.application import InvoiceApplication
from services.invoice.bill_runs import BillRunner
from services.invoice.crediting import Crediting
from services.invoice.directory import Directory
from services.invoice.explaining import Explainer
from services.invoice.rating_client import RatePlans
from services.invoice.rendering import Party
from services.invoice.subscribing import Subscriptions
from services.invoice.verification import InvoiceVerifier


@dataclass
class ServicerParts:
    """The application, its use-case groups, read models and adapters."""

    app: InvoiceApplication
    directory: Directory
    bill_runner: BillRunner
    subscriptions: Subscriptions
    crediting: Crediting
    verifier: InvoiceVerifier
    explainer: Explainer
    rate_plans: RatePlans
    clock: Clock
    seller: Party
    on_saved: Callable[[], None]
