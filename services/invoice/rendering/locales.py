"""Wording and formats of printed documents per language; an unsupported locale reads as English.

Negotiation: the document's locale tag ("de", "de-AT", "en_GB") is parsed by Babel; a bare
language prints as its default region (REGIONS); a tag Babel does not know, or a language
without labels here, falls back to DEFAULT_LOCALE entirely, so labels and number formats
never mix two languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

DEFAULT_LOCALE = "en_GB"
REGIONS = {"en": "en_GB", "de": "de_DE"}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "invoice": "Invoice",
        "credit_note": "Credit note",
        "invoice_number": "Invoice number",
        "credit_note_number": "Credit note number",
        "issue_date": "Issue date",
        "due_date": "Due date",
        "period": "Period",
        "status": "Status",
        "reference": "Credited invoice",
        "customer": "Customer",
        "tax_id": "VAT ID",
        "email": "Email",
        "description": "Description",
        "line_period": "Period",
        "quantity": "Quantity",
        "unit": "Unit",
        "amount": "Amount",
        "no_lines": "No charges in this period.",
        "subtotal": "Subtotal",
        "tax_added": "{name} {rate} on {taxable}",
        "tax_included": "{name} {rate} incl.",
        "total": "Total",
        "total_credit": "Total credited",
        "amount_paid": "Amount paid",
        "amount_due": "Amount due",
        "payment_terms": "Please pay {amount} by {date}.",
        "paid_in_full": "Paid in full. Thank you.",
        "credit_terms": "This credit note reduces invoice {reference}.",
        "page_of": "Page {page} of {pages}",
        "status_draft": "Draft",
        "status_issued": "Issued",
        "status_finalized": "Issued",
        "status_open": "Open",
        "status_paid": "Paid",
        "status_void": "Void",
        "kind_recurring": "Subscription",
        "kind_proration": "Proration",
        "kind_usage": "Usage",
        "kind_prior_period": "Earlier usage",
        "kind_one_time": "One-time charge",
        "kind_discount": "Discount",
        "kind_adjustment": "Adjustment",
        "kind_credit": "Credit",
        "itemisation": "Itemisation of invoice",
        "item_time": "Time",
        "item_details": "Details",
        "status_partially_paid": "Partly paid",
        "status_overdue": "Overdue",
        "records": "{count} records",
        "service_voice": "Calls",
        "service_sms": "SMS",
        "service_data": "Data",
        "unit_day": "days",
        "unit_minute": "min",
        "unit_message": "messages",
        "unit_second": "s",
    },
    "de": {
        "invoice": "Rechnung",
        "credit_note": "Gutschrift",
        "invoice_number": "Rechnungsnummer",
        "credit_note_number": "Gutschriftsnummer",
        "issue_date": "Ausstellungsdatum",
        "due_date": "Fällig am",
        "period": "Leistungszeitraum",
        "status": "Status",
        "reference": "Zur Rechnung",
        "customer": "Kunde",
        "tax_id": "USt-IdNr.",
        "email": "E-Mail",
        "description": "Beschreibung",
        "line_period": "Zeitraum",
        "quantity": "Menge",
        "unit": "Einheit",
        "amount": "Betrag",
        "no_lines": "Keine Positionen in diesem Zeitraum.",
        "subtotal": "Zwischensumme",
        "tax_added": "{name} {rate} auf {taxable}",
        "tax_included": "inkl. {name} {rate}",
        "total": "Gesamtbetrag",
        "total_credit": "Gutschriftsbetrag",
        "amount_paid": "Bereits bezahlt",
        "amount_due": "Zu zahlender Betrag",
        "payment_terms": "Bitte überweisen Sie {amount} bis zum {date}.",
        "paid_in_full": "Vollständig bezahlt. Vielen Dank.",
        "credit_terms": "Diese Gutschrift mindert die Rechnung {reference}.",
        "page_of": "Seite {page} von {pages}",
        "status_draft": "Entwurf",
        "status_issued": "Ausgestellt",
        "status_finalized": "Ausgestellt",
        "status_open": "Offen",
        "status_paid": "Bezahlt",
        "status_void": "Storniert",
        "kind_recurring": "Grundgebühr",
        "kind_proration": "Anteilige Berechnung",
        "kind_usage": "Verbrauch",
        "kind_prior_period": "Nachberechnung",
        "kind_one_time": "Einmalige Gebühr",
        "kind_discount": "Rabatt",
        "kind_adjustment": "Korrektur",
        "kind_credit": "Gutschrift",
        "itemisation": "Einzelnachweis zur Rechnung",
        "item_time": "Zeitpunkt",
        "item_details": "Einzelheiten",
        "status_partially_paid": "Teilweise bezahlt",
        "status_overdue": "Überfällig",
        "records": "{count} Datensätze",
        "service_voice": "Anrufe",
        "service_sms": "SMS",
        "service_data": "Daten",
        "unit_day": "Tage",
        "unit_minute": "Min.",
        "unit_message": "SMS",
        "unit_second": "Sek.",
    },
}


@dataclass(frozen=True)
class Localization:
    """The Babel locale that formats a document and the labels that word it."""

    locale: Locale
    labels: dict[str, str]

    @property
    def tag(self) -> str:
        """The negotiated locale, e.g. "de_DE"; its language is the HTML lang."""
        return str(self.locale)

    def label(self, key: str) -> str:
        """The wording of one label; a key without wording prints as itself."""
        return self.labels.get(key, key)


@lru_cache(maxsize=64)
def negotiate(tag: str) -> Localization:
    """The localization a document's locale tag gets, English (en_GB) when unsupported."""
    name = tag.strip().replace("-", "_")
    try:
        locale = Locale.parse(REGIONS.get(name, name) or DEFAULT_LOCALE)
    except (ValueError, TypeError, UnknownLocaleError):
        locale = Locale.parse(DEFAULT_LOCALE)
    if locale.language not in LABELS:
        locale = Locale.parse(DEFAULT_LOCALE)
    return Localization(locale, LABELS[locale.language])
