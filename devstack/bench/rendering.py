"""Invoice rendering figures: varied typical invoices rendered to PDF and HTML on one core."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from devstack.bench.report import Figure
from kernel.money import Money
from services.invoice.rendering import (
    DocumentLine,
    InvoiceDocument,
    Party,
    TaxRow,
    render_html,
    render_pdf,
)

CUSTOMERS = ("Ada Lovelace", "Łukasz Żółć", "Jürgen Müller-Lüdenscheidt", "Zoë Ångström",
             "Þórunn Guðmundsdóttir", "Dvořák & Søn ApS", "François Lefèvre", "Ørjan Næss")
STREETS = ("Hauptstraße 12", "ul. Marszałkowska 104/122", "12 Baker Street", "Rue de l'Église 3")
CITIES = ("10115 Berlin", "00-017 Warszawa", "London NW1 6XE", "75004 Paris")
PLANS = ("Fibre 500", "Fibre 1000 Business", "Mobile Unlimited", "VoIP Trunk 30 channels",
         "Static IPv4 /29", "TV Premium")
USAGE = (("Calls to mobile networks", "min"), ("Calls to fixed networks", "min"),
         ("International calls, zone 2", "min"), ("SMS", "message"), ("Roaming data, EU", "GB"),
         ("Premium-rate numbers", "min"))
SELLER = Party("Nordlicht Telekom GmbH", ("Friedrichstraße 200", "10117 Berlin", "Germany"),
               "billing@nordlicht.example", "DE123456789")
LOCALES = ("en", "de")


def sample_invoice(index: int, line_count: int = 12, locale: str = "en",
                   currency: str = "EUR") -> InvoiceDocument:
    """A typical invoice: recurring, usage, a proration and a discount, VAT added (2 rates)."""
    pick = random.Random(index)
    start = date(2026, 10, 1)
    end = date(2026, 11, 1)
    period = f"{start:%d.%m.}–{end - timedelta(days=1):%d.%m.%Y}"
    lines = []
    for number in range(line_count):
        if number < 2:
            lines.append(DocumentLine("recurring", pick.choice(PLANS), Decimal(1), "month",
                                      Money.of(f"{pick.randint(15, 90)}.{pick.randint(0, 99):02d}", currency),
                                      period))
        elif number == line_count - 1:
            lines.append(DocumentLine("discount", "Loyalty discount 10 %", Decimal(1), "",
                                      Money.of(f"-{pick.randint(2, 9)}.50", currency), period))
        elif number == 2:
            lines.append(DocumentLine("proration", "Upgrade to Fibre 1000, 12 days", Decimal(12), "day",
                                      Money.of("7.74", currency), "20.10.–31.10.2026"))
        else:
            description, unit = pick.choice(USAGE)
            quantity = Decimal(pick.randint(1, 4000))
            records = pick.randint(1, 2500)
            lines.append(DocumentLine("usage", description, quantity, unit,
                                      Money.of(f"{quantity * Decimal('0.019'):.2f}", currency),
                                      period, f"{records:,} records"))
    subtotal = Money(sum((line.amount.amount for line in lines), Decimal(0)), currency)
    full = Money(subtotal.amount * Decimal("0.8"), currency).rounded()
    reduced = subtotal - full
    taxes = (TaxRow("VAT", Decimal(19), full, (full * Decimal("0.19")).rounded(), False),
             TaxRow("VAT", Decimal(7), reduced, (reduced * Decimal("0.07")).rounded(), False))
    total = subtotal + taxes[0].amount + taxes[1].amount
    name = CUSTOMERS[index % len(CUSTOMERS)]
    customer = Party(name, (STREETS[index % len(STREETS)], CITIES[index % len(CITIES)]),
                     f"customer{index}@example.org")
    return InvoiceDocument(
        kind="invoice", number=f"INV-2026-{index:06d}", status="issued",
        issue_date=end, due_date=end + timedelta(days=14), period_start=start, period_end=end,
        seller=SELLER, customer=customer, currency=currency, locale=locale, lines=tuple(lines),
        subtotal=subtotal, taxes=taxes, total=total, amount_paid=Money.zero(currency),
        amount_due=total)


def varied_invoices(count: int) -> list[InvoiceDocument]:
    """Invoices of 8 to 15 lines in English and German."""
    return [sample_invoice(index, 8 + index % 8, LOCALES[index % 2]) for index in range(count)]


def throughput(render: Callable[[InvoiceDocument], object], documents: list[InvoiceDocument]) -> float:
    """Documents rendered per second, one after another in this process."""
    render(documents[0])
    started = time.perf_counter()
    for document in documents:
        render(document)
    return len(documents) / (time.perf_counter() - started)


def rendering_figures(count: int = 500) -> list[Figure]:
    """PDF and HTML rendering throughput of count varied invoices on one core."""
    documents = varied_invoices(count)
    return [
        Figure("PDF rendering (invoices/s, one core)", throughput(render_pdf, documents),
               "invoices/s", 100),
        Figure("HTML rendering (invoices/s, one core)", throughput(render_html, documents),
               "invoices/s", 500),
    ]
