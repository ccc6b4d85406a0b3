"""Explaining a stored invoice in memory, rating faked: usage entries paged and summing exactly to the
line before its one rounding, every other line's arithmetic, allowances, and the itemised PDF."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from pypdf import PdfReader

from kernel.errors import InvalidInputError
from kernel.money import Money
from services.invoice.application import AccountOpening, InvoiceApplication
from services.invoice.documents import invoice_document, is_itemised
from services.invoice.domain.accounts import BillingDetails
from services.invoice.domain.drafting import UsageGroup
from services.invoice.domain.errors import InvoiceNotFoundError
from services.invoice.domain.invoices import Invoice, InvoiceLine
from services.invoice.explaining import Explainer
from services.invoice.explaining.model import AllowanceView, LineNotFoundError, PartPricing, RatedPartView
from services.invoice.rating_client import Selection
from services.invoice.rendering import Party, render_html, render_pdf

D = Decimal
TENANT = uuid4()
START = datetime(2026, 3, 1, tzinfo=UTC)
NOON = datetime(2026, 3, 15, 12, tzinfo=UTC)
SELLER = Party("Nordlicht Telekom", ("Friedrichstraße 200", "10117 Berlin"))
CALLS = 7


def gbp(amount: str) -> Money:
    return Money.of(amount, "GBP")


def call(n: int) -> RatedPartView:
    """The n-th call of the line: 61 s billed 60/60 as 120 s at 0.0179/min, flat-priced."""
    return RatedPartView(
        source="switch", record_id=f"call-{n}", part=0, service_type="voice", quantity=D(61 + n),
        unit="second", started_at=NOON + timedelta(minutes=n), amount=gbp(f"0.0{n}1237"),
        record_quantity=D(61 + n), pricing=PartPricing("flat", D(61 + n)), plan_id="",
        rating_text=f"{61 + n} second at 0.0179 GBP per minute (plan usage price)")


class FakeRating:
    """Rating's parts and allowances for one usage line, paged by position."""

    def __init__(self, plan_id: UUID) -> None:
        self.stored = [RatedPartView(**{**call(n).__dict__, "plan_id": str(plan_id)}) for n in range(CALLS)]

    async def parts(self, tenant_id: UUID, selection: Selection, line: InvoiceLine, page_size: int,
                    page_token: str) -> tuple[list[RatedPartView], str]:
        start = int(page_token or 0)
        end = start + page_size
        return self.stored[start:end], str(end) if end < len(self.stored) else ""

    async def groups(self, tenant_id: UUID, selection: Selection) -> list[UsageGroup]:
        total = sum((p.amount.amount for p in self.stored), D(0))
        return [UsageGroup(selection.account_id, "current", "voice", "", "second", D(0), gbp(str(total)),
                           len(self.stored), "digest", self.stored[0].started_at, self.stored[-1].started_at)]

    async def allowances(self, tenant_id: UUID, selection: Selection, timezone: str) -> list[AllowanceView]:
        return [AllowanceView(str(selection.account_id), date(2026, 3, 1), "national", "voice", D(300),
                              D(300), NOON + timedelta(minutes=4), "UK Home", 3)]


class NoEarlierCharges:
    """The read models: nothing billed before."""

    async def fetch(self, sql: str, *args: Any) -> Sequence[Mapping[str, Any]]:
        return []


@pytest.fixture
def app() -> InvoiceApplication:
    return InvoiceApplication()


def stored_invoice(app: InvoiceApplication, locale: str = "en") -> tuple[Invoice, UUID]:
    """An itemised invoice of March 2026: a usage line, a prorated fee, a charge and VAT."""
    plan = app.create_plan(TENANT, "Home Fibre", "GBP", "31.00", [("voice", "minute", "0.0179")])
    account = app.open_account(TENANT, AccountOpening(
        name="Ada", billing_email="ada@example.org", plan_id=plan.id, timezone="Europe/London",
        start_date=date(2026, 3, 11), details=BillingDetails(locale=locale, itemised_invoices=True)))
    rating = FakeRating(plan.id)
    usage_total = gbp(str(sum((p.amount.amount for p in rating.stored), D(0)))).rounded()
    lines = [
        InvoiceLine(kind="proration", description="Home Fibre, 2026-03-11 to 2026-03-31", amount=gbp("21.00"),
                    quantity=D(21), unit="day", account_id=str(account.id), subscription_id=str(uuid4()),
                    plan_id=str(plan.id), plan_name="Home Fibre", covers_start="2026-03-11",
                    covers_end="2026-04-01", cycle_start="2026-03-01"),
        InvoiceLine(kind="usage", description="Voice", amount=usage_total, quantity=D(448),
                    unit="second", service_type="voice", record_count=CALLS, period_kind="current",
                    account_id=str(account.id)),
        InvoiceLine(kind="tax", description="VAT 20%", amount=gbp("4.24"),
                    quantity=D("21.00") + usage_total.amount, unit="GBP", tax_rate_percent="20"),
    ]
    selection = Selection(account.id, START, datetime(2026, 4, 1, tzinfo=UTC), 0, 99)
    invoice = Invoice(tenant_id=TENANT, account_id=account.id, bill_run_id=uuid4(),
                      period_start=date(2026, 3, 1), period_end=date(2026, 4, 1), currency="GBP",
                      account_name="Ada", billing_email="ada@example.org",
                      lines=[{**line.as_dict(), "index": i} for i, line in enumerate(lines)],
                      details=account.details.as_dict(), usage=[selection.as_dict()])
    app.save(invoice)
    return invoice, plan.id


def explainer(app: InvoiceApplication, plan_id: UUID) -> Explainer:
    return Explainer(app, NoEarlierCharges(), FakeRating(plan_id))


async def test_usage_entries_come_in_pages_and_sum_exactly_to_the_line_before_rounding(
    app: InvoiceApplication,
) -> None:
    invoice, plan_id = stored_invoice(app)
    explaining = explainer(app, plan_id)
    pages, token = [], ""
    while True:
        page = await explaining.line(TENANT, invoice.id, 1, 3, token)
        pages.append(page)
        token = page.next_page_token
        if not token:
            break
    assert [len(p.entries) for p in pages] == [3, 3, 1]
    entries = [entry for page in pages for entry in page.entries]
    summed = sum((e.part.amount.amount for e in entries), D(0))
    first = pages[0]
    assert (first.entry_count, first.unrounded_total) == (CALLS, summed)
    assert Money(summed, "GBP").rounded() == first.line.amount
    assert first.text == (f"Sum of 7 rated parts from 15 Mar 2026 12:00 to 15 Mar 2026 12:06: {summed} GBP,"
                          f" rounded once (half up) to {first.line.amount.amount} GBP.")
    assert entries[1].text == ("call, 1 min 2 s = 1.033333 × 0.0179 GBP per minute"
                               " (usage price of plan 'Home Fibre') = 0.011237 GBP")
    assert entries[1].started_local == "15 Mar 2026 12:01"


async def test_every_other_line_is_explained_and_bad_requests_are_refused(app: InvoiceApplication) -> None:
    invoice, plan_id = stored_invoice(app)
    explaining = explainer(app, plan_id)
    proration = await explaining.line(TENANT, invoice.id, 0, 0, "")
    assert proration.text == (
        "Home Fibre: 31.00 GBP per cycle x 21 of the 31 days of the cycle 1 Mar 2026 to 31 Mar 2026"
        " (11 Mar 2026 to 31 Mar 2026) = 21.00 GBP, rounded half up to 21.00 GBP.")
    tax = await explaining.line(TENANT, invoice.id, 2, 0, "", "de")
    assert tax.text == "20 % von 21,22 GBP = 4,244 GBP, kaufmännisch gerundet auf 4,24 GBP."
    with pytest.raises(LineNotFoundError):
        await explaining.line(TENANT, invoice.id, 3, 0, "")
    with pytest.raises(LineNotFoundError):
        await explaining.line(TENANT, invoice.id, -1, 0, "")
    with pytest.raises(InvalidInputError) as refused:
        await explaining.line(TENANT, invoice.id, 1, 1001, "")
    assert refused.value.field == "page_size"
    with pytest.raises(InvoiceNotFoundError):
        await explaining.line(uuid4(), invoice.id, 1, 10, "")


async def test_the_invoice_summary_lists_every_line_and_the_allowances(app: InvoiceApplication) -> None:
    invoice, plan_id = stored_invoice(app)
    summary = await explainer(app, plan_id).invoice(TENANT, invoice.id, "de")
    assert [line.line.kind for line in summary.lines] == ["proration", "usage", "tax"]
    assert all(not line.entries for line in summary.lines)
    assert summary.total == gbp("25.46")
    assert summary.text == "Die 3 Positionen ergeben den Gesamtbetrag 25,46 GBP."
    [story] = summary.allowances
    assert story.text == ("Inklusivvolumen „national“ (Sprache), März 2026: 5 Min. enthalten, 5 Min. genutzt,"
                          " aufgebraucht am 15.03.2026 12:04.")


async def test_an_itemised_pdf_gains_pages_with_every_entry(app: InvoiceApplication) -> None:
    invoice, plan_id = stored_invoice(app)
    assert is_itemised(invoice)
    sections = await explainer(app, plan_id).itemisation(invoice)
    assert [section.title for section in sections] == ["Voice", "Charges, credits and taxes", "Allowances"]
    assert len(sections[0].rows) == CALLS
    plain = render_pdf(invoice_document(invoice, SELLER))
    itemised = render_pdf(invoice_document(invoice, SELLER, sections))
    plain_pages = PdfReader(io.BytesIO(plain)).pages
    pages = PdfReader(io.BytesIO(itemised)).pages
    assert len(pages) == len(plain_pages) + 1
    last = " ".join(pages[-1].extract_text().split())
    assert "Itemisation of invoice" in last
    assert "usage price of plan 'Home Fibre') = 0.011237 GBP" in last
    assert "ran out on 15 Mar 2026 12:04" in last
    assert "Itemisation" not in " ".join(page.extract_text() for page in plain_pages)
    html = render_html(invoice_document(invoice, SELLER, sections))
    assert '<div class="page-break"></div>' in html
    assert "usage price of plan &#39;Home Fibre&#39;) = 0.011237 GBP" in html
    assert "page-break" not in render_html(invoice_document(invoice, SELLER)).split("</style>")[1]


async def test_itemisation_pages_are_worded_in_the_invoices_locale(app: InvoiceApplication) -> None:
    invoice, plan_id = stored_invoice(app, locale="de")
    sections = await explainer(app, plan_id).itemisation(invoice)
    pages = PdfReader(io.BytesIO(render_pdf(invoice_document(invoice, SELLER, sections)))).pages
    last = " ".join(pages[-1].extract_text().split())
    assert "Einzelnachweis zur Rechnung" in last
    assert ("Anruf, 1 Min. 2 Sek. = 1,033333 × 0,0179 GBP je Minute"
            " (Verbrauchspreis des Tarifs „Home Fibre“)") in last
    assert "Summe von 7 bewerteten Positionen" in last
