"""Locales of emails and Babel formatting of their amounts and dates, like the invoice's.

A locale tag ("de", "de-AT", "en_GB") is read by Babel into its canonical form ("de_AT");
amounts and dates of a bare language are written as its usual region (REGIONS), so an "en"
email says "1 February 2025" like the English invoice does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from kernel.errors import InvalidInputError
from kernel.money import Money
from kernel.wording import day_text, money_text, period_text, quantity_text

FALLBACK_LANGUAGE = "en"
REGIONS = {"en": "en_GB", "de": "de_DE"}


@lru_cache(maxsize=256)
def canonical_locale(tag: str) -> str | None:
    """The Babel form of a locale tag ("de-at" -> "de_AT"), or None when Babel does not know it."""
    name = tag.strip().replace("-", "_")
    if not name:
        return None
    try:
        return str(Locale.parse(name))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def locale_from_wire(tag: str, field_name: str = "locale") -> str:
    """A locale a client names, in canonical form; an unknown one names the field."""
    canonical = canonical_locale(tag)
    if canonical is None:
        raise InvalidInputError(field_name, "unknown_locale")
    return canonical


def customer_locale(tag: str) -> str:
    """An account's locale in canonical form; empty or unknown reads as English."""
    return canonical_locale(tag) or FALLBACK_LANGUAGE


def language_of(tag: str) -> str:
    """The language part of a canonical tag: "de" of "de_AT"."""
    return tag.split("_", 1)[0]


def writing_locale(tag: str) -> str:
    """The locale amounts and dates are written in: a bare language gets its usual region."""
    return REGIONS.get(tag, tag)










@dataclass(frozen=True)
class Formats:
    """Babel formatting in one email's locale."""

    locale: str

    def money(self, money: Money | None) -> str:
        """An amount with its currency sign; empty when there is none."""
        return money_text(money.amount, money.currency, self.locale) if money else ""

    def day(self, day: date | None) -> str:
        """A date in the long form; empty when there is none."""
        return day_text(day, self.locale) if day else ""

    def period(self, start: date, end: date) -> str:
        """A half-open period [start, end) from its first to its last day."""
        return period_text(start, end, self.locale)

    def quantity(self, quantity: Decimal) -> str:
        """A quantity as the locale groups it."""
        return quantity_text(quantity, self.locale)
