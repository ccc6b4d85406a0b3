"""Invoice-service types on the wire: domain objects to protobuf."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from billing.invoice.v1 import invoice_pb2

from kernel.wire import money_to_proto
from services.invoice.domain.accounts import Account, BillingDetails
from services.invoice.domain.billing import BillRun
from services.invoice.domain.catalog import Plan, UsagePrice
from services.invoice.domain.credit_notes import CreditNote
from services.invoice.domain.cycles import period_containing
from services.invoice.domain.invoices import Invoice
from services.invoice.domain.schedules import Schedule
from services.invoice.domain.subscriptions import Subscription
from services.invoice.domain.taxes import TaxRegion
from services.invoice.verification import Verification


def prices_to_proto(prices: list[UsagePrice]) -> list[invoice_pb2.UsagePrice]:
    """Usage prices on the wire."""
    return [invoice_pb2.UsagePrice(service_type=p.service_type, unit=p.unit,
                                   unit_price=str(p.unit_price)) for p in prices]


def plan_to_proto(plan: Plan) -> invoice_pb2.Plan:
    """A plan on the wire."""
    return invoice_pb2.Plan(
        plan_id=str(plan.id), name=plan.name, currency=plan.currency,
        recurring_fee=money_to_proto(plan.recurring_fee), usage_prices=prices_to_proto(plan.prices()),
        rate_plan_id=str(plan.rate_plan_id or ""),
    )


def details_to_proto(details: BillingDetails) -> invoice_pb2.BillingDetails:
    """Billing details on the wire."""
    return invoice_pb2.BillingDetails(address_lines=list(details.address_lines),
                                      locale=details.locale, tax_region=details.tax_region,
                                      tax_id=details.tax_id,
                                      itemised_invoices=details.itemised_invoices)


def details_from_proto(message: invoice_pb2.BillingDetails) -> BillingDetails:
    """Billing details from a request, validated."""
    return BillingDetails.parse(list(message.address_lines), message.locale, message.tax_region,
                                message.tax_id, message.itemised_invoices)


def current_cycle(account: Account, now: datetime) -> tuple[datetime, datetime]:
    """The account's bill period containing `now` (read in its timezone), as UTC instants."""
    today = now.astimezone(ZoneInfo(account.timezone)).date()
    return period_containing(today, account.bill_cycle_day).instants(account.timezone)


def account_to_proto(account: Account, now: datetime) -> invoice_pb2.Account:
    """An account on the wire, with its current bill period as of `now`."""
    cycle_start, cycle_end = current_cycle(account, now)
    return invoice_pb2.Account(
        account_id=str(account.id), name=account.name, billing_email=account.billing_email,
        currency=account.currency, plan_id=str(account.plan_id), timezone=account.timezone,
        status=account.status, identities=list(account.identities),
        details=details_to_proto(account.details), bill_cycle_day=account.bill_cycle_day,
        parent_account_id=str(account.parent_id or ""),
        closed_on=account.closed_on.isoformat() if account.closed_on else "",
        current_cycle_start=cycle_start.isoformat(), current_cycle_end=cycle_end.isoformat(),
    )


def invoice_to_proto(invoice: Invoice) -> invoice_pb2.Invoice:
    """An invoice on the wire."""
    return invoice_pb2.Invoice(
        invoice_id=str(invoice.id), account_id=str(invoice.account_id), number=invoice.number,
        status=invoice.status, period_start=invoice.period_start.isoformat(),
        period_end=invoice.period_end.isoformat(),
        lines=[
            invoice_pb2.InvoiceLine(
                kind=line.kind, description=line.description, service_type=line.service_type,
                quantity=str(line.quantity), unit=line.unit, amount=money_to_proto(line.amount),
                record_count=line.record_count, digest=line.digest, index=line.index,
                period_kind=line.period_kind, destination_class=line.destination_class,
                account_id=line.account_id or str(invoice.account_id),
                tax_rate_percent=line.tax_rate_percent, tax_included=line.tax_included,
                subscription_id=line.subscription_id, covers_start=line.covers_start,
                covers_end=line.covers_end,
            )
            for line in invoice.invoice_lines()
        ],
        total=money_to_proto(invoice.total), amount_paid=money_to_proto(invoice.amount_paid),
        amount_due=money_to_proto(invoice.amount_due), billing_email=invoice.billing_email,
        account_name=invoice.account_name,
        finalized_at=invoice.finalized_at.isoformat() if invoice.finalized_at else "",
        subtotal=money_to_proto(invoice.subtotal), tax_total=money_to_proto(invoice.tax_total),
        amount_credited=money_to_proto(invoice.amount_credited),
        issue_date=invoice.issue_date.isoformat() if invoice.issue_date else "",
        due_date=invoice.due_date.isoformat() if invoice.due_date else "",
        locale=invoice.locale, bill_run_id=str(invoice.bill_run_id),
        usage=[invoice_pb2.InvoiceUsage(
            account_id=str(u["account_id"]), usage_start=str(u["usage_start"]),
            usage_end=str(u["usage_end"]), previous_watermark=int(u["previous_watermark"]),
            watermark=int(u["watermark"])) for u in invoice.usage],
        document_digest=invoice.document_digest, void_reason=invoice.void_reason,
    )


def subscription_to_proto(subscription: Subscription, today: date) -> invoice_pb2.Subscription:
    """A subscription on the wire, its status as of today."""
    status = subscription.status_on(today)
    return invoice_pb2.Subscription(
        subscription_id=str(subscription.id), account_id=str(subscription.account_id),
        plan_id=str(subscription.plan_id), start_date=subscription.start_date.isoformat(),
        end_date=subscription.end_date.isoformat() if subscription.end_date else "",
        status=status,
        segments=[invoice_pb2.PlanSegment(
            plan_id=str(s.plan_id), plan_name=s.plan_name, recurring_fee=money_to_proto(s.fee),
            start=s.start.isoformat(), end=s.end.isoformat() if s.end else "")
            for s in subscription.timeline()],
        discounts=[invoice_pb2.Discount(
            discount_id=d.discount_id, kind=d.kind, value=str(d.value), cycles=d.cycles,
            description=d.description, first_cycle_start=d.first_cycle_start.isoformat())
            for d in subscription.discounts],
    )


def tax_region_to_proto(region: TaxRegion) -> invoice_pb2.TaxRegion:
    """A tax region and its rates on the wire."""
    return invoice_pb2.TaxRegion(region=region.region, rates=[invoice_pb2.TaxRate(
        name=r.name, rate_percent=f"{r.percent.normalize():f}", mode=r.mode,
        effective_from=r.effective_from.isoformat()) for r in region.rates])


def schedule_to_proto(schedule: Schedule) -> invoice_pb2.BillingSchedule:
    """A bill-run schedule on the wire."""
    return invoice_pb2.BillingSchedule(
        timezone=schedule.timezone, is_default=schedule.is_default,
        runs=[invoice_pb2.ScheduledRun(cycle_day=r.cycle_day, at=r.at.strftime("%H:%M"))
              for r in schedule.runs])


def bill_run_to_proto(bill_run: BillRun) -> invoice_pb2.BillRun:
    """A bill run and its progress on the wire."""
    return invoice_pb2.BillRun(
        bill_run_id=str(bill_run.id), bill_date=bill_run.bill_date.isoformat(),
        status=bill_run.status, accounts_due=bill_run.accounts_due,
        invoices_created=bill_run.invoices_created,
        invoices_already_present=bill_run.invoices_already_present,
        usage_watermark=bill_run.usage_watermark, started_at=bill_run.started_at.isoformat(),
        completed_at=bill_run.completed_at.isoformat() if bill_run.completed_at else "",
    )


def credit_note_to_proto(note: CreditNote) -> invoice_pb2.CreditNote:
    """A credit note on the wire."""
    return invoice_pb2.CreditNote(
        credit_note_id=str(note.id), invoice_id=str(note.invoice_id),
        invoice_number=note.invoice_number, number=note.number, account_id=str(note.account_id),
        reason=note.reason,
        lines=[invoice_pb2.CreditNoteLine(line_index=line.line_index, description=line.description,
                                          amount=money_to_proto(line.amount))
               for line in note.credited()],
        subtotal=money_to_proto(note.subtotal), tax=money_to_proto(note.tax),
        total=money_to_proto(note.total), issued_at=note.issued_at.isoformat(),
    )


def verification_to_proto(result: Verification) -> invoice_pb2.InvoiceVerification:
    """An invoice verification on the wire."""
    return invoice_pb2.InvoiceVerification(
        invoice_id=str(result.invoice_id), events_replayed=result.events_replayed,
        document_digest=result.document_digest, replayed_digest=result.replayed_digest,
        document_matches=result.document_matches, totals_match=result.totals_match,
        verified=result.verified,
        lines=[invoice_pb2.LineCheck(
            index=c.index, invoiced=money_to_proto(c.invoiced),
            resummed=money_to_proto(c.resummed), rederived=money_to_proto(c.rederived),
            digest_matches=c.digest_matches, matches=c.matches) for c in result.lines],
    )
