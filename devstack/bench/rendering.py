"""Invoice rendering figures: varied typical invoices rendered to PDF and HTML on one core."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from babel.dates import format_interval
from babel.numbers import format_decimal

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
PLANS = ("Fibre 500", "Fibre 1000 Business", "Mobile Unlimited", "VoIP Trunk 30", "Static IPv4 /29")
SELLER = Party("Nordlicht Telekom GmbH", ("Friedrichstraße 200", "10117 Berlin", "Germany"),
               "billing@nordlicht.example", "DE123456789")
LOCALES = ("en", "de")
WORDS = {
    "en": {"month": "month", "day": "day", "min": "min", "message": "SMS", "GB": "GB",
           "records": "records", "tax": "VAT", "discount": "Loyalty discount 10 %",
           "upgrade": "Upgrade to Fibre 1000"},
    "de": {"month": "Monat", "day": "Tag", "min": "Min.", "message": "SMS", "GB": "GB",
           "records": "Datensätze", "tax": "USt.", "discount": "Treuerabatt 10 %",
           "upgrade": "Wechsel auf Fibre 1000"},
}
USAGE = {
    "en": ("Calls to mobile networks", "Calls to landlines", "International calls, zone 2",
           "Text messages", "Roaming data, EU", "Premium-rate numbers"),
    "de": ("Anrufe in Mobilfunknetze", "Anrufe ins Festnetz", "Auslandsgespräche, Zone 2", "SMS",
           "Roaming-Daten, EU", "Sonderrufnummern"),
}
USAGE_UNITS = ("min", "min", "min", "message", "GB", "min")


def sample_invoice(index: int, line_count: int = 12, locale: str = "en",
                   currency: str = "EUR") -> InvoiceDocument:
    """A typical invoice: two subscriptions, a proration, usage, a discount; VAT at two rates."""
    pick = random.Random(index)
    words = WORDS.get(locale, WORDS["en"])
    start, end = date(2026, 10, 1), date(2026, 11, 1)
    period = format_interval(start, end - timedelta(days=1), "MMMd", locale=locale)
    lines = [DocumentLine("recurring", pick.choice(PLANS), Decimal(1), words["month"],
                          Money.of(f"{pick.randint(15, 90)}.{pick.randint(0, 99):02d}", currency), period)
             for _ in range(2)]
    lines.append(DocumentLine("proration", words["upgrade"], Decimal(12), words["day"],
                              Money.of("7.74", currency),
                              format_interval(date(2026, 10, 20), end - timedelta(days=1), "MMMd",
                                              locale=locale)))
    for _ in range(line_count - 4):
        kind = pick.randrange(len(USAGE_UNITS))
        quantity = Decimal(pick.randint(1, 4000))
        records = format_decimal(pick.randint(1, 2500), locale=locale)
        lines.append(DocumentLine("usage", USAGE.get(locale, USAGE["en"])[kind], quantity,
                                  words[USAGE_UNITS[kind]],
                                  Money.of(f"{quantity * Decimal('0.019'):.2f}", currency), period,
                                  f"{records} {words['records']}"))
    lines.append(DocumentLine("discount", words["discount"], Decimal(1), "",
                              Money.of(f"-{pick.randint(2, 9)}.50", currency), period))
    subtotal = Money(sum((line.amount.amount for line in lines), Decimal(0)), currency)
    full = Money(subtotal.amount * Decimal("0.8"), currency).rounded()
    reduced = subtotal - full
    taxes = (TaxRow(words["tax"], Decimal(19), full, (full * Decimal("0.19")).rounded(), False),
             TaxRow(words["tax"], Decimal(7), reduced, (reduced * Decimal("0.07")).rounded(), False))
    total = subtotal + taxes[0].amount + taxes[1].amount
    customer = Party(CUSTOMERS[index % len(CUSTOMERS)],
                     (STREETS[index % len(STREETS)], CITIES[index % len(CITIES)]),
                     f"customer{index}@example.org")
    return InvoiceDocument(
        kind="invoice", number=f"INV-2026-{index:06d}", status="issued",
        issue_date=end, due_date=end + timedelta(days=14), period_start=start, period_end=end,
        seller=SELLER, customer=customer, currency=currency, locale=locale, lines=tuple(lines),
        subtotal=subtotal, taxes=taxes, total=total, amount_paid=Money.zero(currency),
        amount_due=total)


def varied_invoices(count: int, first: int = 0) -> list[InvoiceDocument]:
    """Invoices of 8 to 15 lines in English and German, numbered from first."""
    return [sample_invoice(index, 8 + index % 8, LOCALES[index % 2])
            for index in range(first, first + count)]


def throughput(render: Callable[[InvoiceDocument], object], documents: list[InvoiceDocument],
               rounds: int = 5) -> float:
    """Documents rendered per second of this thread's CPU time: the median of rounds.

    CPU time rather than wall time, and the median round, because the figure is per core
    and other work on a shared machine would otherwise be counted against it.
    """
    render(documents[0])
    size = max(1, len(documents) // rounds)
    rates = []
    for start in range(0, len(documents), size):
        batch = documents[start:start + size]
        started = time.thread_time()
        for document in batch:
            render(document)
        rates.append(len(batch) / max(time.thread_time() - started, 1e-9))
    return statistics.median(rates)


def rendering_figures(count: int = 500) -> list[Figure]:
    """PDF and HTML rendering throughput of count varied invoices on one core."""
    return [
        Figure("PDF rendering (invoices/s, one core)",
               throughput(render_pdf, varied_invoices(count)), "invoices/s", 100),
        Figure("HTML rendering (invoices/s, one core)",
               throughput(render_html, varied_invoices(count, first=count)), "invoices/s", 500),
    ]
