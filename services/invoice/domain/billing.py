"""Bill runs and bill periods: which invoice each account gets for a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from kernel.money import Money
from services.invoice.domain.errors import InvalidPeriodError
from services.invoice.domain.invoices import InvoiceLine


@dataclass(frozen=True)
class BillPeriod:
    """Half-open [start, end) calendar dates, read in each account's timezone."""

    start: date
    end: date

    @classmethod
    def parse(cls, start: str, end: str, today: date) -> BillPeriod:
        """Validate a period from a request; a period that has not ended yet is refused."""
        period_start = parse_date(start, "period_start")
        period_end = parse_date(end, "period_end")
        if period_end <= period_start:
            raise InvalidPeriodError("period_end", "must be after period_start")
        if period_end > today:
            raise InvalidPeriodError("period_end", "the period has not ended yet")
        return cls(period_start, period_end)

    def instants(self, timezone: str) -> tuple[datetime, datetime]:
        """The period as UTC instants for an account in a timezone."""
        zone = ZoneInfo(timezone)
        return (
            datetime.combine(self.start, time(0), zone).astimezone(UTC),
            datetime.combine(self.end, time(0), zone).astimezone(UTC),
        )


def parse_date(text: str, field: str) -> date:
    """A YYYY-MM-DD date, naming the field when it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidPeriodError(field, "not a YYYY-MM-DD date") from None


def bill_run_id_for(tenant_id: UUID, period: BillPeriod) -> UUID:
    """One bill run per tenant and period; running it again resumes it."""
    return derived_id(tenant_id, "bill-run", period.start, period.end)


@dataclass(frozen=True)
class RatedUsage:
    """Rated usage of one service type over a period, as the rating service summed it."""

    service_type: str
    unit: str
    quantity: Decimal
    amount: Money
    record_count: int
    digest: str


def recurring_line(plan_name: str, fee: Money, period: BillPeriod) -> InvoiceLine:
    """The plan's recurring fee for the period."""
    return InvoiceLine(
        kind="recurring",
        description=f"{plan_name}, {period.start.isoformat()} to {period.end.isoformat()}",
        amount=fee.rounded(),
    )


def usage_line(usage: RatedUsage) -> InvoiceLine:
    """One line per service type: the unrounded rated sum, rounded once here."""
    return InvoiceLine(
        kind="usage",
        description=f"{usage.service_type} usage ({usage.record_count} records)",
        amount=usage.amount.rounded(),
        quantity=usage.quantity,
        unit=usage.unit,
        service_type=usage.service_type,
        record_count=usage.record_count,
        digest=usage.digest,
    )


class BillRun(TenantAggregate):
    """Billing every active account of a tenant for one period."""

    @staticmethod
    def create_id(tenant_id: UUID, period_start: date, period_end: date) -> UUID:
        """One bill run per tenant and period."""
        return bill_run_id_for(tenant_id, BillPeriod(period_start, period_end))

    @event("Started")
    def __init__(self, tenant_id: UUID, period_start: date, period_end: date) -> None:
        self.tenant_id = tenant_id
        self.period_start = period_start
        self.period_end = period_end
        self.status = "running"
        self.invoices_created = 0
        self.invoices_already_present = 0

    @event("Resumed")
    def resume(self) -> None:
        """Run again: bills accounts that have no invoice for the period yet."""
        self.status = "running"

    @event("Completed")
    def complete(self, invoices_created: int, invoices_already_present: int) -> None:
        """Every account due has exactly one invoice for the period."""
        self.status = "completed"
        self.invoices_created += invoices_created
        self.invoices_already_present = invoices_already_present
