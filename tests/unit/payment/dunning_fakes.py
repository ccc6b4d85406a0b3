"""In-memory stand-ins for dunning's ports: a ledger of overdue invoices, collections, account control."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid4

from kernel.errors import UnavailableError
from kernel.money import Money
from services.payment.domain.dunning import Dunning, Overdue, OverdueInvoice

CURRENCY = "EUR"


class DependencyDownError(UnavailableError):
    """A stand-in was told to fail."""


@dataclass
class Account:
    """An account's invoices as the fake ledger keeps them."""

    tenant_id: UUID
    account_id: UUID
    invoices: dict[UUID, OverdueInvoice]


class FakeLedger:
    """The customer ledger as a dictionary of accounts and their unpaid invoices."""

    def __init__(self) -> None:
        self.accounts: dict[tuple[UUID, UUID], Account] = {}
        self.failing = False

    def invoice(
        self, tenant_id: UUID, account_id: UUID, due_date: date, amount: str = "100.00",
        disputed: str = "0", number: str = "",
    ) -> UUID:
        """Give the account an unpaid invoice; returns its id."""
        account = self.accounts.setdefault((tenant_id, account_id), Account(tenant_id, account_id, {}))
        invoice_id = uuid4()
        account.invoices[invoice_id] = OverdueInvoice(
            invoice_id, number or f"INV-{len(account.invoices) + 1:04d}", due_date,
            Money.of(amount, CURRENCY), Money.of(disputed, CURRENCY))
        return invoice_id

    def pay(self, tenant_id: UUID, account_id: UUID, amount: Money) -> None:
        """Allocate a payment to the oldest invoices first."""
        account = self.accounts[(tenant_id, account_id)]
        left = amount
        for invoice in sorted(account.invoices.values(), key=lambda i: i.due_date):
            applied = min(left.amount, invoice.amount_due.amount)
            account.invoices[invoice.invoice_id] = replace(
                invoice, amount_due=invoice.amount_due - Money(applied, CURRENCY))
            left = left - Money(applied, CURRENCY)

    def settle_all(self, tenant_id: UUID, account_id: UUID) -> None:
        """Everything the account owes is paid."""
        account = self.accounts[(tenant_id, account_id)]
        for invoice in list(account.invoices.values()):
            account.invoices[invoice.invoice_id] = replace(invoice, amount_due=Money.zero(CURRENCY))

    def dispute(self, tenant_id: UUID, account_id: UUID, invoice_id: UUID, amount: str) -> None:
        """Hold part of an invoice out of dunning while a query is open."""
        account = self.accounts[(tenant_id, account_id)]
        invoice = account.invoices[invoice_id]
        account.invoices[invoice_id] = replace(invoice, disputed=Money.of(amount, CURRENCY))

    def _position(self, account: Account, today: date) -> Overdue:
        invoices = tuple(i for i in account.invoices.values()
                         if i.due_date < today and i.amount_due.is_positive)
        return Overdue(account.tenant_id, account.account_id, CURRENCY, invoices)

    async def overdue_on(self, today: date) -> list[Overdue]:
        """Every account with something past due."""
        if self.failing:
            raise DependencyDownError("ledger down")
        positions = [self._position(account, today) for account in self.accounts.values()]
        return [position for position in positions if position.invoices]

    async def position_of(self, tenant_id: UUID, account_id: UUID, today: date) -> Overdue:
        """One account's position (clear when it owes nothing past due)."""
        if self.failing:
            raise DependencyDownError("ledger down")
        account = self.accounts.get((tenant_id, account_id))
        if account is None:
            return Overdue(tenant_id, account_id, CURRENCY, ())
        return self._position(account, today)


class FakeCollections:
    """Stored methods per account; a retry pays the ledger (when told to) once per payment id."""

    def __init__(self, ledger: FakeLedger, retries_succeed: bool = False) -> None:
        self.ledger = ledger
        self.methods: set[tuple[UUID, UUID]] = set()
        self.retries_succeed = retries_succeed
        self.payments: dict[UUID, Money] = {}
        self.calls = 0
        self.failing = False

    async def has_stored_method(self, tenant_id: UUID, account_id: UUID) -> bool:
        """True when the account has a method on file."""
        return (tenant_id, account_id) in self.methods

    async def retry_with_stored_method(
        self, tenant_id: UUID, account_id: UUID, payment_id: UUID, amount: Money
    ) -> str:
        """Charge once per payment id."""
        self.calls += 1
        if self.failing:
            raise DependencyDownError("payment gateway down")
        if payment_id in self.payments:
            return "succeeded" if self.retries_succeed else "failed"
        self.payments[payment_id] = amount
        if not self.retries_succeed:
            return "failed"
        self.ledger.pay(tenant_id, account_id, amount)
        return "succeeded"


class FakeAccountControl:
    """Account statuses and one-time charges, as the invoice service keeps them."""

    def __init__(self) -> None:
        self.statuses: dict[tuple[UUID, UUID], str] = {}
        self.charges: dict[UUID, tuple[UUID, str, Money]] = {}
        self.calls: list[str] = []
        self.failing: set[str] = set()

    def status(self, tenant_id: UUID, account_id: UUID) -> str:
        """The account's status (active unless changed)."""
        return self.statuses.get((tenant_id, account_id), "active")

    def _call(self, name: str) -> None:
        self.calls.append(name)
        if name in self.failing:
            raise DependencyDownError(f"{name} failed")

    async def suspend(self, tenant_id: UUID, account_id: UUID, reason: str) -> None:
        """Suspend (idempotent)."""
        self._call("suspend")
        self.statuses[(tenant_id, account_id)] = "suspended"

    async def reactivate(self, tenant_id: UUID, account_id: UUID, reason: str) -> None:
        """Reactivate (idempotent)."""
        self._call("reactivate")
        self.statuses[(tenant_id, account_id)] = "active"

    async def add_charge(
        self, tenant_id: UUID, account_id: UUID, charge_id: UUID, description: str, amount: Money
    ) -> None:
        """Add a charge once per charge id."""
        self._call("add_charge")
        self.charges.setdefault(charge_id, (account_id, description, amount))


class FakeCases:
    """The dunning_cases table as a dictionary."""

    def __init__(self) -> None:
        self.rows: dict[tuple[UUID, UUID], tuple[int, str]] = {}

    async def record(self, dunning: Dunning) -> None:
        """Note the aggregate's state."""
        self.rows[(dunning.tenant_id, dunning.account_id)] = (
            dunning.episode, "open" if dunning.is_open else "closed")

    async def record_opening(self, dunning: Dunning) -> None:
        """Note the next episode open."""
        self.rows[(dunning.tenant_id, dunning.account_id)] = (dunning.episode + 1, "open")

    async def open_accounts(self, tenant_id: UUID | None = None) -> list[tuple[UUID, UUID]]:
        """Open cases."""
        return [key for key, (_, state) in self.rows.items()
                if state == "open" and (tenant_id is None or key[0] == tenant_id)]
