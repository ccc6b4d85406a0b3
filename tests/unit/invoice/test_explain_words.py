"""Explanation wording: durations, amounts, volumes and times for English and German readers, and
each kind of rated part in words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kernel.money import Money
from services.invoice.explaining.model import FlatPrice, PartPricing, RatedPartView
from services.invoice.explaining.usage import entry_of
from services.invoice.explaining.words import Words

D = Decimal
EN, DE = Words.of("en"), Words.of("de")
NOON = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("seconds", "english", "german"), [
    (192, "3 min 12 s", "3 Min. 12 Sek."),
    (240, "4 min", "4 Min."),
    (45, "45 s", "45 Sek."),
    (0, "0 s", "0 Sek."),
    (3725, "1 h 2 min 5 s", "1 Std. 2 Min. 5 Sek."),
    (D("12.5"), "12.5 s", "12,5 Sek."),
])
def test_a_duration_reads_as_hours_minutes_and_seconds(
    seconds: int | Decimal, english: str, german: str
) -> None:
    assert EN.duration(D(seconds)) == english
    assert DE.duration(D(seconds)) == german


def test_amounts_keep_the_minor_unit_and_rated_precision_without_trailing_zeros() -> None:
    assert EN.money(D("0.200000"), "GBP") == "0.20 GBP"
    assert EN.money(D("0.037292"), "GBP") == "0.037292 GBP"
    assert EN.money(D("1234.5"), "EUR") == "1,234.50 EUR"
    assert DE.money(D("1234.5"), "EUR") == "1.234,50 EUR"
    assert EN.money(D("120"), "JPY") == "120 JPY"


def test_a_volume_is_shown_as_recorded_and_in_its_largest_unit() -> None:
    assert EN.volume(D(1_500_000_000)) == "1,500,000,000 bytes (1.5 GB)"
    assert DE.volume(D(1_500_000_000)) == "1.500.000.000 Byte (1,5 GB)"
    assert EN.volume(D(512)) == "512 bytes"


def test_times_and_periods_are_local_to_the_account() -> None:
    assert EN.when(NOON, "Europe/Berlin") == "15 Mar 2026 13:00"
    assert DE.when(NOON, "Europe/Berlin") == "15.03.2026 13:00"
    assert EN.days(NOON.date(), NOON.date().replace(day=25)) == "15 Mar 2026 to 24 Mar 2026"
    assert DE.month(NOON.date()) == "März 2026"


def test_an_unknown_locale_reads_as_english() -> None:
    assert Words.of("xx").language == "en"
    assert Words.of("de_AT").language == "de"


def part(**changes: object) -> RatedPartView:
    """The charged London call of the issue's example: 192 s billed 60/60 as 240 s at 0.05/min."""
    base = RatedPartView(
        source="switch", record_id="call-1", part=0, service_type="voice", quantity=D(192), unit="second",
        started_at=NOON, amount=Money(D("0.200000"), "GBP"), record_quantity=D(192),
        pricing=PartPricing("charged", D(240), D("0.05"), "minute", 60, 60, D(0), D(0), whole_call=True),
        destination="+442079460000", destination_display="+44 20 7946 0000",
        destination_name="United Kingdom London", band="peak", rate_plan_name="UK Home", tariff_version=3)
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_charged_call_reads_like_the_issue_example() -> None:
    entry = entry_of(part(), EN, "Europe/London")
    assert entry.text == ("call to +44 20 7946 0000 (United Kingdom London), 3 min 12 s, billed 60/60 as"
                          " 4 min at 0.05 GBP/min peak = 0.20 GBP; tariff 'UK Home' v3")
    assert (entry.rate, entry.rate_unit, entry.tariff_name, entry.tariff_version) == (
        D("0.05"), "minute", "UK Home", 3)
    assert entry.started_local == "15 Mar 2026 12:00"


def test_a_charged_call_in_german() -> None:
    assert entry_of(part(), DE, "Europe/London").text == (
        "Anruf an +44 20 7946 0000 (United Kingdom London), 3 Min. 12 Sek., abgerechnet im Takt 60/60"
        " als 4 Min. zu 0,05 GBP/Min. (peak) = 0,20 GBP; Tarif „UK Home“ Version 3")


def test_a_call_split_by_an_allowance_says_what_was_included_and_what_was_charged() -> None:
    included = part(quantity=D(120), amount=Money(D(0), "GBP"), allowance="national",
                    pricing=PartPricing("included", D(120)))
    remainder = part(part=1, quantity=D(72), amount=Money(D("0.100000"), "GBP"),
                     pricing=PartPricing("charged", D(120), D("0.05"), "minute", 60, 60, D("0.01"),
                                         D(0), whole_call=False))
    assert entry_of(included, EN, "UTC").text == (
        "call to +44 20 7946 0000 (United Kingdom London), 3 min 12 s: 2 min included in allowance"
        " 'national'; tariff 'UK Home' v3")
    assert entry_of(remainder, EN, "UTC").text == (
        "call to +44 20 7946 0000 (United Kingdom London), 3 min 12 s: 1 min 12 s beyond the allowance,"
        " billed 60/60 as 2 min at 0.05 GBP/min peak, no connect fee = 0.10 GBP; tariff 'UK Home' v3")


def test_a_connect_fee_and_a_minimum_charge_are_shown() -> None:
    short = part(quantity=D(5), record_quantity=D(5), amount=Money(D("0.100000"), "GBP"),
                 destination_display="+33 2123 4567 8", destination_name="France",
                 pricing=PartPricing("charged", D(5), D("0.12"), "minute", 1, 1, D("0.05"), D("0.10"),
                                     whole_call=True, minimum_applied=True))
    assert entry_of(short, EN, "UTC").text == (
        "call to +33 2123 4567 8 (France), 5 s, billed 1/1 as 5 s at 0.12 GBP/min peak + 0.05 GBP connect"
        " fee = 0.06 GBP, raised to the minimum charge 0.10 GBP; tariff 'UK Home' v3")


def test_a_data_session_shows_its_bytes_rounding_and_price() -> None:
    session = part(service_type="data", quantity=D(1_234_567), record_quantity=D(1_234_567), unit="byte",
                   destination="", destination_display="", destination_name="", band="",
                   amount=Money(D("0.010000"), "GBP"),
                   pricing=PartPricing("charged", D(2_000_000), D(5), "GB", session_rounding_bytes=1_000_000,
                                       unit_size=D(1_000_000_000)))
    assert entry_of(session, EN, "UTC").text == (
        "data session of 1,234,567 bytes (1.234567 MB), rounded up to the next 1,000,000 bytes (1 MB) as"
        " 2,000,000 bytes (2 MB), billed as 0.002 GB at 5.00 GBP/GB = 0.01 GBP; tariff 'UK Home' v3")
    assert entry_of(session, DE, "UTC").text.startswith(
        "Datensitzung mit 1.234.567 Byte (1,234567 MB), aufgerundet auf volle 1.000.000 Byte (1 MB)")


def test_sms_and_flat_priced_and_adjusted_parts_in_words() -> None:
    sms = part(service_type="sms", quantity=D(1), record_quantity=D(1), unit="message",
               destination_display="+33 6123 4567 8", destination_name="France",
               amount=Money(D("0.080000"), "GBP"), pricing=PartPricing("charged", D(1), D("0.08"), "message"))
    assert entry_of(sms, EN, "UTC").text == (
        "SMS to +33 6123 4567 8 (France), 1 message at 0.08 GBP = 0.08 GBP; tariff 'UK Home' v3")
    flat = part(quantity=D(125), record_quantity=D(125), destination="", destination_display="",
                destination_name="", amount=Money(D("0.037292"), "GBP"), rate_plan_name="",
                pricing=PartPricing("flat", D(125)))
    entry = entry_of(flat, EN, "UTC", FlatPrice("Home Fibre", "minute", D("0.0179"), D(60)))
    assert entry.text == ("call, 2 min 5 s = 2.083333 × 0.0179 GBP per minute"
                          " (usage price of plan 'Home Fibre') = 0.037292 GBP")
    assert (entry.rate, entry.rate_unit, entry.tariff_name) == (D("0.0179"), "minute", "Home Fibre")
    adjusted = part(part=1000, quantity=D(0), amount=Money(D("0.100000"), "GBP"), tariff_version=4,
                    pricing=PartPricing("adjustment", D(0)))
    assert entry_of(adjusted, EN, "UTC").text == "re-rated with tariff 'UK Home' v4: +0.10 GBP"
    assert entry_of(adjusted, DE, "UTC").text == "Neubewertung mit Tarif „UK Home“ Version 4: +0,10 GBP"
