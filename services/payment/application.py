"""The payment application: payments, ledgers and wallets stored as events (synchronous)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Tracking

from kernel.errors import ConflictError
from kernel.eventstore import BillingApplication, TenantAggregate
from services.payment.domain.dunning import Dunning
from services.payment.domain.dunning_policy import DunningPolicy
from services.payment.domain.errors import InvalidPaymentError, PaymentNotFoundError
from services.payment.domain.ledger import CustomerLedger, ledger_id
from services.payment.domain.methods import Wallet, wallet_id
from services.payment.domain.payments import Payment

AGGREGATE_TYPES: dict[str, type[TenantAggregate]] = {
    "payment": Payment, "ledger": CustomerLedger, "wallet": Wallet, "dunning": Dunning,
    "dunning_policy": DunningPolicy,
}
MAX_ATTEMPTS = 8
T = TypeVar("T")


class ConcurrentChangeError(ConflictError):
    """Others kept changing the same account while this change was retried."""


class PaymentApplication(BillingApplication):
    """Payments, customer ledgers and wallets."""

    def load(self, kind: type[TenantAggregate], tenant_id: UUID, aggregate_id: UUID) -> Any:
        """The tenant's aggregate of that kind, or None (another tenant's is None too)."""
        try:
            found: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(found, kind) or not found.belongs_to(tenant_id):
            return None
        return found

    def find_payment(self, tenant_id: UUID, payment_id: UUID) -> Payment | None:
        """The tenant's payment, or None."""
        found: Payment | None = self.load(Payment, tenant_id, payment_id)
        return found

    def get_payment(self, tenant_id: UUID, payment_id: UUID) -> Payment:
        """The tenant's payment."""
        payment = self.find_payment(tenant_id, payment_id)
        if payment is None:
            raise PaymentNotFoundError(payment_id)
        return payment

    def ledger(self, tenant_id: UUID, account_id: UUID, currency: str) -> CustomerLedger:
        """The account's ledger, new (unsaved) when it has none yet."""
        found: CustomerLedger | None = self.load(CustomerLedger, tenant_id, ledger_id(tenant_id, account_id))
        return found or CustomerLedger(tenant_id=tenant_id, account_id=account_id, currency=currency)

    def find_ledger(self, tenant_id: UUID, account_id: UUID) -> CustomerLedger | None:
        """The account's ledger, or None before anything was invoiced or paid."""
        found: CustomerLedger | None = self.load(CustomerLedger, tenant_id, ledger_id(tenant_id, account_id))
        return found

    def wallet(self, tenant_id: UUID, account_id: UUID) -> Wallet:
        """The account's wallet, new (unsaved) when it has none yet."""
        found: Wallet | None = self.load(Wallet, tenant_id, wallet_id(tenant_id, account_id))
        return found or Wallet(tenant_id=tenant_id, account_id=account_id)

    def retrying(self, change: Callable[[], T]) -> T:
        """Run a load-decide-save change again when a concurrent save won the race."""
        for _ in range(MAX_ATTEMPTS):
            try:
                return change()
            except IntegrityError:
                continue
        raise ConcurrentChangeError("the account kept changing concurrently; try again")

    def save_all(self, *aggregates: Aggregate | None, tracking: Tracking | None = None) -> None:
        """Save in one transaction (an aggregate with nothing new is skipped)."""
        changed = [a for a in aggregates if a is not None and a.pending_events]
        if tracking is not None:
            self.save_tracked(tracking, *changed)
        elif changed:
            self.save(*changed)

    def history(self, tenant_id: UUID, aggregate_type: str, aggregate_id: UUID) -> list[Any]:
        """An aggregate's events, oldest first, for auditors."""
        kind = AGGREGATE_TYPES.get(aggregate_type)
        if kind is None:
            raise InvalidPaymentError("aggregate_type", f"one of {sorted(AGGREGATE_TYPES)}")
        if self.load(kind, tenant_id, aggregate_id) is None:
            raise PaymentNotFoundError(aggregate_id)
        return list(self.events.get(aggregate_id))
