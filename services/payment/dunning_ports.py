"""Ports of dunning: where overdue positions come from, how stored methods are charged, account control.

Every side effect a port performs is idempotent, so that a run that crashes between the side effect
and saving the Dunning record can take the same action again on its next run. Ports raise
kernel.errors.DomainError subclasses (UnavailableError when a dependency is down).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import UUID

from kernel.money import Money
from services.payment.domain.dunning import Overdue


class OverdueSource(Protocol):
    """The customer ledger's past-due positions."""

    async def overdue_on(self, today: date) -> list[Overdue]:
        """Every tenant's accounts with something past due on that day (invoices due before it)."""
        ...

    async def position_of(self, tenant_id: UUID, account_id: UUID, today: date) -> Overdue:
        """One account's past-due position on that day (it may be clear)."""
        ...


class Collections(Protocol):
    """Automatic collection with the account's stored payment method."""

    async def has_stored_method(self, tenant_id: UUID, account_id: UUID) -> bool:
        """True when the account has a payment method that can be charged without the customer."""
        ...

    async def retry_with_stored_method(
        self, tenant_id: UUID, account_id: UUID, payment_id: UUID, amount: Money
    ) -> str:
        """Charge the stored method; payment_id is an idempotency key (a repeat returns the first
        payment's status). Returns the payment's status."""
        ...


class AccountControl(Protocol):
    """The account's service status and one-time charges (the invoice service owns accounts)."""

    async def suspend(self, tenant_id: UUID, account_id: UUID, reason: str) -> None:
        """Suspend the account's service; an account already suspended (or closed) is fine."""
        ...

    async def reactivate(self, tenant_id: UUID, account_id: UUID, reason: str) -> None:
        """Reactivate a suspended account; an account already active (or closed) is fine."""
        ...

    async def add_charge(
        self, tenant_id: UUID, account_id: UUID, charge_id: UUID, description: str, amount: Money
    ) -> None:
        """Put a one-time charge on the account's next invoice; the same charge_id adds it once."""
        ...
