"""How explanations word numbers, amounts, durations, volumes and times for a locale (Babel), and the
phrases they are made of, in English and German."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

from kernel.money import MINOR_UNITS
from services.invoice.rendering.locales import negotiate

SECONDS_PER_MINUTE = 60
SECONDS_PER_HOUR = 3600
DECIMAL_BYTES = (("TB", Decimal(10) ** 12), ("GB", Decimal(10) ** 9), ("MB", Decimal(10) ** 6),
                 ("kB", Decimal(10) ** 3))
"""Units a byte count is also shown in: the largest that gives at least 1."""

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "call_to": "call to {destination}, {duration}",
        "call": "call, {duration}",
        "sms_to": "SMS to {destination}, {messages}",
        "sms": "SMS, {messages}",
        "data": "data session of {volume}",
        "custom": "custom usage of {units}",
        "included": "{what}: {part} included in allowance '{allowance}'",
        "beyond": "{what}: {part} beyond the allowance",
        "billed_call": "{head}, billed {increments} as {billed} at {rate}/min {band}",
        "connect": " + {fee} connect fee",
        "no_connect": ", no connect fee",
        "minimum": " = {charge}, raised to the minimum charge {amount}",
        "equals": " = {amount}",
        "per_message": "{head} at {rate}",
        "rounded_up": ", rounded up to the next {step} as {billed}",
        "billed_units": "{head}{rounding}, billed as {billed} at {rate}/{unit}",
        "billed_tiers": "{head}{rounding}, billed as {billed} in {mode} tiers",
        "flat": "{what} = {units} × {price} per {unit} (usage price of plan '{plan}') = {amount}",
        "pre_rated": "{what}: priced upstream at {amount}",
        "adjustment": "re-rated with tariff '{tariff}' v{version}: {amount}",
        "adjustment_plain": "re-rated: {amount}",
        "tariff": "; tariff '{tariff}' v{version}",
        "message": "{count} message", "messages": "{count} messages",
        "unit": "{count} unit", "units": "{count} units",
        "bytes": "{count} bytes",
        "minutes": "{count} min", "seconds": "{count} s", "hours": "{count} h",
        "usage_sum": "Sum of {parts} from {first} to {last}: {unrounded}, rounded once (half up)"
                     " to {amount}.",
        "usage_exact": "Sum of {parts} from {first} to {last}: {amount}.",
        "rated_part": "{count} rated part", "rated_parts": "{count} rated parts",
        "usage_none": "No rated parts.",
        "prior": "Usage of the period {period}, rated after that period was invoiced. ",
        "whole_cycle": "{plan}: {fee} per cycle for the whole cycle {cycle} ({days} days) = {amount}.",
        "prorated": "{plan}: {fee} per cycle x {days} of the {cycle_days} days of the cycle {cycle}"
                    " ({covers}) = {unrounded}, rounded half up to {amount}.",
        "earlier": "{plan}, cycle {cycle}: charged now {now}, charged before {before}"
                   " (invoiced earlier for {covers}); the difference is {amount}.",
        "days_range": "{first} to {last}",
        "one_time": "One-time charge '{description}' of {date}: {amount}.",
        "one_time_undated": "One-time charge '{description}': {amount}.",
        "discount_percent": "{value}% off the advance charge {charge} of the cycle from {cycle_start}"
                            " = {amount}",
        "discount_fixed": "{value} off the advance charge {charge} of the cycle from {cycle_start}"
                          " = {amount}",
        "cycles_left": "; {left} more cycle(s) to come",
        "tax_exclusive": "{rate}% of {base} = {unrounded}, rounded half up to {amount}.",
        "tax_inclusive": "The prices include {rate}% tax: {base} x {rate} / (100 + {rate}) = {unrounded},"
                         " rounded half up to {amount} (shown, not added).",
        "other": "{description}: {amount}.",
        "invoice_total": "The {count} lines add up to the total {total}.",
        "allowance": "Allowance '{name}' ({service}), {month}: {included} included, {used} used",
        "ran_out": ", ran out on {when}.",
        "used_up": ", used up exactly; nothing was charged beyond it.",
        "not_used_up": ", not used up.",
        "voice": "voice", "sms_service": "SMS", "data_service": "data", "custom_service": "custom",
        "section_charges": "Charges, credits and taxes",
        "section_allowances": "Allowances",
    },
    "de": {
        "call_to": "Anruf an {destination}, {duration}",
        "call": "Anruf, {duration}",
        "sms_to": "SMS an {destination}, {messages}",
        "sms": "SMS, {messages}",
        "data": "Datensitzung mit {volume}",
        "custom": "sonstige Nutzung von {units}",
        "included": "{what}: {part} im Inklusivvolumen „{allowance}“ enthalten",
        "beyond": "{what}: {part} über das Inklusivvolumen hinaus",
        "billed_call": "{head}, abgerechnet im Takt {increments} als {billed} zu {rate}/Min. ({band})",
        "connect": " + {fee} Verbindungsentgelt",
        "no_connect": ", ohne Verbindungsentgelt",
        "minimum": " = {charge}, angehoben auf das Mindestentgelt {amount}",
        "equals": " = {amount}",
        "per_message": "{head} zu je {rate}",
        "rounded_up": ", aufgerundet auf volle {step} zu {billed}",
        "billed_units": "{head}{rounding}, abgerechnet als {billed} zu {rate}/{unit}",
        "billed_tiers": "{head}{rounding}, abgerechnet als {billed} in Staffelpreisen ({mode})",
        "flat": "{what} = {units} × {price} je {unit} (Verbrauchspreis des Tarifs „{plan}“) = {amount}",
        "pre_rated": "{what}: vom Partner bewertet mit {amount}",
        "adjustment": "Neubewertung mit Tarif „{tariff}“ Version {version}: {amount}",
        "adjustment_plain": "Neubewertung: {amount}",
        "tariff": "; Tarif „{tariff}“ Version {version}",
        "message": "{count} Nachricht", "messages": "{count} Nachrichten",
        "unit": "{count} Einheit", "units": "{count} Einheiten",
        "bytes": "{count} Byte",
        "minutes": "{count} Min.", "seconds": "{count} Sek.", "hours": "{count} Std.",
        "usage_sum": "Summe von {parts} vom {first} bis {last}: {unrounded}, einmal kaufmännisch"
                     " gerundet auf {amount}.",
        "usage_exact": "Summe von {parts} vom {first} bis {last}: {amount}.",
        "rated_part": "{count} bewerteten Position", "rated_parts": "{count} bewerteten Positionen",
        "usage_none": "Keine bewerteten Positionen.",
        "prior": "Nutzung im Zeitraum {period}, bewertet nachdem dieser Zeitraum abgerechnet war. ",
        "whole_cycle": "{plan}: {fee} je Abrechnungszeitraum für den ganzen Zeitraum {cycle}"
                       " ({days} Tage) = {amount}.",
        "prorated": "{plan}: {fee} je Abrechnungszeitraum x {days} von {cycle_days} Tagen des Zeitraums"
                    " {cycle} ({covers}) = {unrounded}, kaufmännisch gerundet auf {amount}.",
        "earlier": "{plan}, Zeitraum {cycle}: jetzt berechnet {now}, zuvor berechnet {before}"
                   " (früher abgerechnet für {covers}); die Differenz ist {amount}.",
        "days_range": "{first} bis {last}",
        "one_time": "Einmalige Gebühr „{description}“ vom {date}: {amount}.",
        "one_time_undated": "Einmalige Gebühr „{description}“: {amount}.",
        "discount_percent": "{value} % Rabatt auf die Vorauszahlung {charge} des Zeitraums ab"
                            " {cycle_start} = {amount}",
        "discount_fixed": "{value} Rabatt auf die Vorauszahlung {charge} des Zeitraums ab"
                          " {cycle_start} = {amount}",
        "cycles_left": "; noch {left} weitere(r) Zeitraum/Zeiträume",
        "tax_exclusive": "{rate} % von {base} = {unrounded}, kaufmännisch gerundet auf {amount}.",
        "tax_inclusive": "Die Preise enthalten {rate} % Steuer: {base} x {rate} / (100 + {rate})"
                         " = {unrounded}, kaufmännisch gerundet auf {amount} (ausgewiesen, nicht addiert).",
        "other": "{description}: {amount}.",
        "invoice_total": "Die {count} Positionen ergeben den Gesamtbetrag {total}.",
        "allowance": "Inklusivvolumen „{name}“ ({service}), {month}: {included} enthalten, {used} genutzt",
        "ran_out": ", aufgebraucht am {when}.",
        "used_up": ", genau aufgebraucht; darüber hinaus wurde nichts berechnet.",
        "not_used_up": ", nicht aufgebraucht.",
        "voice": "Sprache", "sms_service": "SMS", "data_service": "Daten", "custom_service": "Sonstiges",
        "unit_second": "Sekunde", "unit_minute": "Minute", "unit_message": "Nachricht",
        "unit_byte": "Byte", "unit_unit": "Einheit",
        "section_charges": "Gebühren, Gutschriften und Steuern",
        "section_allowances": "Inklusivvolumen",
    },
}


@dataclass(frozen=True)
class Words:
    """Phrases and formats of one locale; a locale without phrases reads as English."""

    tag: str
    language: str

    @classmethod
    def of(cls, locale: str) -> Words:
        """The words of a locale tag ("de", "en_GB"), negotiated like printed documents."""
        localization = negotiate(locale)
        language = localization.locale.language
        return cls(localization.tag, language if language in PHRASES else "en")

    def say(self, key: str, **values: object) -> str:
        """A phrase with its values filled in."""
        return PHRASES[self.language][key].format(**values)

    def unit_name(self, unit: str) -> str:
        """A unit prices are quoted in, in the locale's words: minute, Minute; megabyte as is."""
        return PHRASES[self.language].get(f"unit_{unit}", unit)

    def number(self, value: Decimal) -> str:
        """A number without trailing zeros, grouped for the locale: 1,500,000 or 1.500.000."""
        return number_text(value, self.tag)

    def money(self, value: Decimal, currency: str) -> str:
        """An amount or price with at least the currency's minor unit: 0.20 GBP, 0,001667 EUR."""
        return f"{money_number(value, currency, self.tag)} {currency}"

    def count(self, value: Decimal, one: str, many: str) -> str:
        """A count with its word, singular for one: 1 message, 3 messages."""
        return self.say(one if value == 1 else many, count=self.number(value))

    def duration(self, seconds: Decimal) -> str:
        """Seconds as hours, minutes and seconds: 3 min 12 s, 1 h 5 min, 0 s."""
        whole, fraction = divmod(seconds, 1)
        hours, rest = divmod(int(whole), SECONDS_PER_HOUR)
        minutes, secs = divmod(rest, SECONDS_PER_MINUTE)
        pieces = [self.say("hours", count=hours)] if hours else []
        pieces += [self.say("minutes", count=minutes)] if minutes else []
        remaining = secs + fraction
        if remaining or not pieces:
            pieces.append(self.say("seconds", count=self.number(remaining)))
        return " ".join(pieces)

    def volume(self, size: Decimal) -> str:
        """Bytes as recorded and in the largest decimal unit: 1,500,000,000 bytes (1.5 GB)."""
        exact = self.count(size, "bytes", "bytes")
        for symbol, scale in DECIMAL_BYTES:
            if size >= scale:
                return f"{exact} ({self.number(size / scale)} {symbol})"
        return exact

    def in_unit(self, size: Decimal, unit_size: Decimal, symbol: str) -> str:
        """Bytes in a data unit: 1.5 GB."""
        return f"{self.number(size / unit_size)} {symbol}"

    def when(self, instant: datetime, timezone: str) -> str:
        """An instant in a timezone: 15 Mar 2026 12:05 (15.03.2026 12:05)."""
        local = instant.astimezone(ZoneInfo(timezone))
        return (f"{format_date(local.date(), 'medium', locale=self.tag)}"
                f" {format_time(local, 'short', locale=self.tag)}")

    def day(self, day: date) -> str:
        """A date: 15 Mar 2026 (15.03.2026)."""
        return format_date(day, "medium", locale=self.tag)

    def month(self, day: date) -> str:
        """A month and year: March 2026 (März 2026)."""
        return format_skeleton("yMMMM", day, locale=self.tag)

    def days(self, first: date, end: date) -> str:
        """Half-open dates [first, end) as their first to last day."""
        last = date.fromordinal(end.toordinal() - 1)
        return self.say("days_range", first=self.day(first), last=self.day(max(first, last)))


@lru_cache(maxsize=4096)
def number_text(value: Decimal, tag: str) -> str:
    """A number without trailing zeros, grouped for the locale."""
    return format_decimal(value.normalize(), "#,##0", locale=tag, decimal_quantization=False)


@lru_cache(maxsize=4096)
def money_number(value: Decimal, currency: str, tag: str) -> str:
    """An amount with at least the currency's minor unit of decimals, and no more than it has."""
    places = MINOR_UNITS.get(currency, 2)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value.normalize(), pattern, locale=tag, decimal_quantization=False)
