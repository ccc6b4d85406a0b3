"""Bill runs: every account whose bill period ends on a bill date gets one invoice."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from kernel.eventstore import TenantAggregate
from kernel.ids import derived_id
from services.invoice.domain.errors import BillRunInFutureError, InvalidPeriodError


def parse_date(text: str, field: str) -> date:
    """A YYYY-MM-DD date, naming the field when it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidPeriodError(field, "not a YYYY-MM-DD date") from None


def parse_bill_date(text: str, today: date) -> date:
    """A bill date from a request: the day periods end; a day after today has not come yet."""
    bill_date = parse_date(text, "bill_date")
    if bill_date > today:
        raise BillRunInFutureError(
            "bill_date", f"periods ending {bill_date.isoformat()} have not ended yet (today is {today})"
        )
    return bill_date


def bill_run_id_for(tenant_id: UUID, bill_date: date) -> UUID:
    """One bill run per tenant and bill date; running it again resumes it."""
    return derived_id(tenant_id, "bill-run", bill_date)


class BillRun(TenantAggregate):
    """Billing every account of a tenant whose period ends on one bill date."""

    class Started(TenantAggregate.Created):
        """The run began, taking usage up to a rating cut (version 1 named a period instead)."""

        class_version = 2
        bill_date: date
        usage_watermark: int
        started_at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """A version 1 run billed [period_start, period_end): its bill date is the end."""
            state.pop("period_start", None)
            state["bill_date"] = state.pop("period_end")
            state["usage_watermark"] = 0
            state["started_at"] = state["timestamp"]

    @staticmethod
    def create_id(tenant_id: UUID, bill_date: date) -> UUID:
        """One bill run per tenant and bill date."""
        return bill_run_id_for(tenant_id, bill_date)

    @event(Started)
    def __init__(
        self, tenant_id: UUID, bill_date: date, usage_watermark: int, started_at: datetime
    ) -> None:
        self.tenant_id = tenant_id
        self.bill_date = bill_date
        self.usage_watermark = usage_watermark
        self.started_at = started_at
        self.status = "running"
        self.accounts_due = 0
        self.invoices_created = 0
        self.invoices_already_present = 0
        self.completed_at: datetime | None = None

    @event("Resumed")
    def resume(self) -> None:
        """Run again: bills accounts that have no invoice for the period yet."""
        self.status = "running"

    @event("AccountsCounted")
    def count_accounts(self, accounts_due: int) -> None:
        """How many accounts the run bills (for progress)."""
        self.accounts_due = accounts_due

    @event("BatchBilled")
    def batch_billed(self, invoices_created: int, invoices_already_present: int) -> None:
        """A batch of invoices was saved with this progress (in the same atomic save)."""
        self.invoices_created += invoices_created
        self.invoices_already_present += invoices_already_present

    def complete(self, completed_at: datetime, invoices_already_present: int) -> None:
        """Every account due has exactly one invoice for its period."""
        self._completed(invoices_created=self.invoices_created,
                        invoices_already_present=invoices_already_present,
                        completed_at=completed_at)

    @event("Completed")
    def _completed(
        self, invoices_created: int, invoices_already_present: int,
        completed_at: datetime | None = None,
    ) -> None:
        self.status = "completed"
        self.completed_at = completed_at
        self.invoices_already_present = invoices_already_present
