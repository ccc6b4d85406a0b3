"""The invoice application: use cases over plans, accounts and invoices (synchronous)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Tracking

from kernel.eventstore import BillingApplication, TenantAggregate
from kernel.money import Money
from services.invoice.domain.accounts import (
    Account,
    BillingDetails,
    OneTimeCharge,
    check_account_fields,
)
from services.invoice.domain.billing import BillRun
from services.invoice.domain.catalog import (
    Plan,
    UsagePrice,
    check_one_price_per_service,
    parse_plan_fields,
)
from services.invoice.domain.credit_notes import CreditNote
from services.invoice.domain.errors import (
    AccountNotFoundError,
    BillRunNotFoundError,
    IdentityChangedConcurrentlyError,
    IdentityNotAssignedError,
    IdentityTakenError,
    InvalidAccountError,
    InvalidIdentityError,
    InvoiceNotFoundError,
    PlanNotFoundError,
)
from services.invoice.domain.identities import (
    SubscriberIdentity,
    parse_identities,
    parse_identity,
)
from services.invoice.domain.invoices import Invoice, InvoiceNumbering
from services.invoice.domain.schedules import BillingSchedule, Schedule, parse_runs, parse_timezone
from services.invoice.domain.subscriptions import Subscription
from services.invoice.domain.taxes import TaxRate, TaxRegion, parse_region

T = TypeVar("T", bound=TenantAggregate)

AGGREGATE_TYPES: dict[str, type[TenantAggregate]] = {
    "plan": Plan, "account": Account, "invoice": Invoice, "bill_run": BillRun,
    "subscriber_identity": SubscriberIdentity, "subscription": Subscription,
    "credit_note": CreditNote, "tax_region": TaxRegion, "billing_schedule": BillingSchedule,
}
SAVE_ATTEMPTS = 3
"""Tries of an identity change whose save met a concurrent change of the same aggregates."""
MAX_IDENTITIES_PER_ACCOUNT_OPENING = 100
"""Identities given when opening an account (one atomic save); more are assigned one by one."""


@dataclass(frozen=True)
class AccountOpening:
    """What opening an account takes."""

    name: str
    billing_email: str
    plan_id: UUID
    timezone: str
    start_date: date
    currency: str = ""
    identities: Sequence[str] = ()
    details: BillingDetails = field(default_factory=BillingDetails)
    bill_cycle_day: int = 0
    parent_id: UUID | None = None


class InvoiceApplication(BillingApplication):
    """Plans, accounts, invoices and bill runs, stored as events."""

    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {InvoiceNumbering: 100, BillRun: 100}
    """The aggregates that gain an event per saved batch: loading them reads a snapshot, not every event."""

    def load(self, kind: type[T], tenant_id: UUID, aggregate_id: UUID) -> T | None:
        """The tenant's aggregate of that kind, or None (another tenant's is None too)."""
        try:
            aggregate: Any = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        if not isinstance(aggregate, kind) or not aggregate.belongs_to(tenant_id):
            return None
        return aggregate

    def load_many(self, kind: type[T], tenant_id: UUID, aggregate_ids: Sequence[UUID]) -> dict[UUID, T]:
        """The tenant's aggregates of that kind among the ids, read together (missing ones and
        other tenants' are left out)."""
        return {aggregate_id: aggregate for aggregate_id, aggregate in self.get_many(aggregate_ids).items()
                if isinstance(aggregate, kind) and aggregate.belongs_to(tenant_id)}

    def create_plan(
        self, tenant_id: UUID, name: str, currency: str, recurring_fee: str,
        usage_prices: Sequence[tuple[str, str, str]], rate_plan_id: UUID | None = None,
    ) -> Plan:
        """Create a plan after validating every field; usage is priced by rate_plan_id when given."""
        name, currency, fee = parse_plan_fields(name, currency, recurring_fee)
        prices = [UsagePrice.parse(i, *price) for i, price in enumerate(usage_prices)]
        check_one_price_per_service(prices)
        plan = Plan(tenant_id=tenant_id, name=name, currency=currency, recurring_fee=fee,
                    usage_prices=[price.as_dict() for price in prices])
        if rate_plan_id is not None:
            plan.link_rate_plan(rate_plan_id)
        self.save(plan)
        return plan

    def get_plan(self, tenant_id: UUID, plan_id: UUID) -> Plan:
        """The tenant's plan."""
        plan = self.load(Plan, tenant_id, plan_id)
        if plan is None:
            raise PlanNotFoundError(plan_id)
        return plan

    def open_account(self, tenant_id: UUID, opening: AccountOpening) -> Account:
        """Open an account on a plan, billed in the plan's currency, with its subscriber identities.

        The account, its plan subscription and its identities are saved together: when one
        identity is taken, nothing is.
        """
        zone = check_account_fields(opening.name, opening.billing_email, opening.timezone)
        plan = self.load(Plan, tenant_id, opening.plan_id)
        if plan is None:
            raise InvalidAccountError("plan_id", "no such plan")
        if opening.currency and opening.currency != plan.currency:
            raise InvalidAccountError("currency", f"the plan bills in {plan.currency}")
        if len(opening.identities) > MAX_IDENTITIES_PER_ACCOUNT_OPENING:
            raise InvalidIdentityError(
                "identities", f"at most {MAX_IDENTITIES_PER_ACCOUNT_OPENING} when opening an account"
            )
        parsed = parse_identities(list(opening.identities))
        cycle_day = self.schedule_of(tenant_id).check_cycle_day(opening.bill_cycle_day)
        self.check_tax_region(tenant_id, opening.details.tax_region)
        parent = self._checked_parent(tenant_id, opening.parent_id, plan.currency, cycle_day)

        def opened() -> tuple[Account, list[Aggregate]]:
            account = Account(tenant_id=tenant_id, name=opening.name.strip(),
                              billing_email=opening.billing_email, currency=plan.currency,
                              plan_id=plan.id, timezone=zone)
            account.set_up_billing(bill_cycle_day=cycle_day,
                                   parent_id=parent.id if parent else None)
            account.change_billing_details(account.name, account.billing_email, opening.details)
            subscription = Subscription(
                tenant_id=tenant_id, account_id=account.id, plan_id=plan.id, plan_name=plan.name,
                recurring_fee=plan.recurring_fee, start_date=opening.start_date)
            account.add_subscription(subscription.id)
            claimed = [self._claim(account, identity) for identity in parsed]
            return account, [account, subscription,
                             *(record for record in claimed if record is not None)]

        return self._save_identity_change(opened)

    def _checked_parent(
        self, tenant_id: UUID, parent_id: UUID | None, currency: str, cycle_day: int
    ) -> Account | None:
        """A parent account carries its children's charges: same currency and cycle day, no parent."""
        if parent_id is None:
            return None
        parent = self.load(Account, tenant_id, parent_id)
        if parent is None:
            raise InvalidAccountError("parent_account_id", "no such account")
        if parent.parent_id is not None:
            raise InvalidAccountError("parent_account_id", "the parent has a parent itself")
        if parent.currency != currency:
            raise InvalidAccountError("parent_account_id", f"the parent bills in {parent.currency}")
        if parent.bill_cycle_day != cycle_day:
            raise InvalidAccountError(
                "bill_cycle_day", f"must be the parent's cycle day {parent.bill_cycle_day}")
        parent.check_is_not_closed()
        return parent

    def update_billing_details(
        self, tenant_id: UUID, account_id: UUID, name: str, billing_email: str,
        details: BillingDetails,
    ) -> Account:
        """Replace the account's name, email and billing details."""
        check_account_fields(name, billing_email, "UTC")
        self.check_tax_region(tenant_id, details.tax_region)
        account = self.get_account(tenant_id, account_id)
        account.change_billing_details(name.strip(), billing_email, details)
        self.save(account)
        return account

    def change_status(
        self, tenant_id: UUID, account_id: UUID, action: str, effective: date, reason: str,
        not_before: date | None,
    ) -> Account:
        """Suspend, reactivate or close an account; closing ends its subscriptions that day."""
        account = self.get_account(tenant_id, account_id)
        if action == "suspend":
            account.suspend(reason)
            self.save(account)
        elif action == "reactivate":
            account.reactivate()
            self.save(account)
        elif action == "close":
            account.close(effective, reason)
            subscriptions = [self.load(Subscription, tenant_id, i) for i in account.subscription_ids]
            ending = [s for s in subscriptions if s is not None
                      and (s.end_date is None or s.end_date > effective)]
            for subscription in ending:
                subscription.cancel(max(effective, subscription.segments[-1].start), not_before)
            self.save(account, *ending)
        else:
            raise InvalidAccountError("action", "one of suspend, reactivate, close")
        return account

    def add_charge(self, tenant_id: UUID, account_id: UUID, charge: OneTimeCharge) -> Account:
        """Put a one-time charge on the account's next invoice (idempotent by charge id)."""
        account = self.get_account(tenant_id, account_id)
        if account.add_charge(charge):
            self.save(account)
        return account

    def schedule_of(self, tenant_id: UUID) -> Schedule:
        """The tenant's bill-run schedule (the default until configured)."""
        return Schedule.of(self.load(BillingSchedule, tenant_id,
                                     BillingSchedule.create_id(tenant_id)))

    def configure_schedule(
        self, tenant_id: UUID, timezone: str, runs: list[tuple[int, str]]
    ) -> Schedule:
        """Set which cycle days exist and when their runs start; accounts keep their day."""
        zone = parse_timezone(timezone)
        parsed = [run.as_dict() for run in parse_runs(runs)]
        schedule = self.load(BillingSchedule, tenant_id, BillingSchedule.create_id(tenant_id))
        if schedule is None:
            schedule = BillingSchedule(tenant_id=tenant_id, timezone=zone, runs=parsed)
        else:
            schedule.reconfigure(timezone=zone, runs=parsed)
        self.save(schedule)
        return Schedule.of(schedule)

    def set_tax_rate(self, tenant_id: UUID, region: str, rate: TaxRate) -> TaxRegion:
        """Apply a tax rate in a region from its date on."""
        code = parse_region(region)
        record = self.load(TaxRegion, tenant_id, TaxRegion.create_id(tenant_id, code))
        if record is None:
            record = TaxRegion(tenant_id=tenant_id, region=code)
        record.set_rate(rate)
        self.save(record)
        return record

    def tax_region(self, tenant_id: UUID, region: str) -> TaxRegion | None:
        """The tenant's tax region with that code, if defined."""
        return self.load(TaxRegion, tenant_id, TaxRegion.create_id(tenant_id, region))

    def check_tax_region(self, tenant_id: UUID, region: str) -> None:
        """An account names a defined tax region, or none."""
        if region and self.tax_region(tenant_id, region) is None:
            raise InvalidAccountError("details.tax_region", f"no tax region {region!r}")

    def tax_rate(self, tenant_id: UUID, region: str, day: date) -> TaxRate | None:
        """The region's rate in effect that day."""
        record = self.tax_region(tenant_id, region)
        return None if record is None else record.rate_on(day)

    def get_account(self, tenant_id: UUID, account_id: UUID) -> Account:
        """The tenant's account."""
        account = self.load(Account, tenant_id, account_id)
        if account is None:
            raise AccountNotFoundError(account_id)
        return account

    def assign_identity(self, tenant_id: UUID, account_id: UUID, identity: str) -> Account:
        """Name the account by a subscriber identity (again: nothing changes)."""
        identity = parse_identity(identity)

        def assigning() -> tuple[Account, list[Aggregate]]:
            account = self.get_account(tenant_id, account_id)
            account.check_is_active()
            record = self._claim(account, identity)
            return account, [] if record is None else [account, record]

        return self._save_identity_change(assigning)

    def release_identity(self, tenant_id: UUID, account_id: UUID, identity: str) -> Account:
        """The identity no longer names the account (e.g. the number was ported out)."""
        identity = parse_identity(identity)

        def releasing() -> tuple[Account, list[Aggregate]]:
            account = self.get_account(tenant_id, account_id)
            record = self.load(
                SubscriberIdentity, tenant_id, SubscriberIdentity.create_id(tenant_id, identity)
            )
            if record is None or not record.is_assigned_to(account.id):
                raise IdentityNotAssignedError(identity, account.id)
            record.release()
            account.remove_identity(identity)
            return account, [account, record]

        return self._save_identity_change(releasing)

    def resolve_identities(self, tenant_id: UUID, identities: Sequence[str]) -> dict[str, UUID]:
        """The account each assigned identity names, keyed by the text as given.

        Unknown, released and malformed identities are left out.
        """
        resolved: dict[str, UUID] = {}
        for text in dict.fromkeys(identities):
            try:
                identity = parse_identity(text)
            except InvalidIdentityError:
                continue
            record = self.load(
                SubscriberIdentity, tenant_id, SubscriberIdentity.create_id(tenant_id, identity)
            )
            if record is not None and record.assigned:
                resolved[text] = record.account_id
        return resolved

    def _claim(self, account: Account, identity: str) -> SubscriberIdentity | None:
        """Assign the identity to the account in memory; None when it already is.

        Raises IdentityTakenError when another account of the tenant has it.
        """
        tenant_id = account.tenant_id
        record = self.load(
            SubscriberIdentity, tenant_id, SubscriberIdentity.create_id(tenant_id, identity)
        )
        if record is None:
            record = SubscriberIdentity(tenant_id=tenant_id, identity=identity, account_id=account.id)
        elif record.is_assigned_to(account.id):
            if identity in account.identities:
                return None
        elif record.assigned:
            raise IdentityTakenError(identity)
        else:
            record.reassign(account.id)
        account.add_identity(identity)
        return record

    def _save_identity_change(
        self, change: Callable[[], tuple[Account, list[Aggregate]]]
    ) -> Account:
        """Make the change and save what it touched in one save, from fresh state on a collision.

        Identity ids are derived from the text, so a concurrent claim of the same identity (or a
        concurrent change of the same account) makes the save fail as a whole; the change is then
        made again, and reports the identity as taken when it now is.
        """
        for _ in range(SAVE_ATTEMPTS):
            account, changed = change()
            if not changed:
                return account
            try:
                self.save(*changed)
            except IntegrityError:
                continue
            return account
        raise IdentityChangedConcurrentlyError(
            "the account's identities changed concurrently; try again"
        )

    def get_invoice(self, tenant_id: UUID, invoice_id: UUID) -> Invoice:
        """The tenant's invoice."""
        invoice = self.load(Invoice, tenant_id, invoice_id)
        if invoice is None:
            raise InvoiceNotFoundError(invoice_id)
        return invoice

    def get_bill_run(self, tenant_id: UUID, bill_run_id: UUID) -> BillRun:
        """The tenant's bill run."""
        bill_run = self.load(BillRun, tenant_id, bill_run_id)
        if bill_run is None:
            raise BillRunNotFoundError(bill_run_id)
        return bill_run

    def numbering(self, tenant_id: UUID) -> InvoiceNumbering:
        """The tenant's invoice number sequence (started on first use)."""
        numbering = self.load(
            InvoiceNumbering, tenant_id, InvoiceNumbering.create_id(tenant_id)
        )
        return numbering or InvoiceNumbering(tenant_id=tenant_id)

    def has_invoice(self, invoice_id: UUID) -> bool:
        """True when an invoice with this id exists (for any tenant: ids are derived)."""
        try:
            self.repository.get(invoice_id)
        except AggregateNotFoundError:
            return False
        return True

    def apply_allocations(
        self, tenant_id: UUID, allocations: list[tuple[UUID, UUID, Money]], tracking: Tracking,
    ) -> None:
        """Apply what the customer ledger allocated, recording the consumer position in the same save."""
        invoices: dict[UUID, Invoice] = {}
        for allocation_id, invoice_id, amount in allocations:
            invoice = invoices.get(invoice_id) or self.get_invoice(tenant_id, invoice_id)
            invoice.apply_allocation(allocation_id, amount)
            invoices[invoice_id] = invoice
        self.save_tracked(tracking, *invoices.values())

    def history(self, tenant_id: UUID, aggregate_type: str, aggregate_id: UUID) -> list[Any]:
        """An aggregate's events, oldest first, for auditors."""
        kind = AGGREGATE_TYPES.get(aggregate_type)
        if kind is None:
            raise InvalidAccountError("aggregate_type", f"one of {sorted(AGGREGATE_TYPES)}")
        if self.load(kind, tenant_id, aggregate_id) is None:
            raise InvoiceNotFoundError(aggregate_id)
        return list(self.events.get(aggregate_id))
