"""Taxes: validated rates, exclusive or inclusive tax rounded once, rates by effective date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.money import Money
from services.invoice.domain.errors import InvalidTaxError
from services.invoice.domain.taxes import TaxRate, TaxRegion, parse_region

JAN = date(2026, 1, 1)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def rate(percent: str, mode: str = "exclusive", effective_from: date = JAN, name: str = "VAT") -> TaxRate:
    return TaxRate.parse(name, percent, mode, effective_from)


def test_parse_strips_the_name_and_keeps_the_decimal_percent() -> None:
    parsed = rate("20.5", name="  VAT ")
    assert parsed == TaxRate("VAT", Decimal("20.5"), "exclusive", JAN)
    assert not parsed.included
    assert rate("7", "inclusive").included


@pytest.mark.parametrize(
    ("name", "percent", "mode", "field"),
    [
        ("", "20", "exclusive", "name"),
        ("   ", "20", "exclusive", "name"),
        ("x" * 41, "20", "exclusive", "name"),
        ("VAT", "twenty", "exclusive", "rate_percent"),
        ("VAT", "NaN", "exclusive", "rate_percent"),
        ("VAT", "-1", "exclusive", "rate_percent"),
        ("VAT", "100.01", "exclusive", "rate_percent"),
        ("VAT", "20", "added", "mode"),
        ("VAT", "20", "", "mode"),
    ],
)
def test_parse_refuses_a_bad_field_naming_it(name: str, percent: str, mode: str, field: str) -> None:
    with pytest.raises(InvalidTaxError) as caught:
        TaxRate.parse(name, percent, mode, JAN)
    assert caught.value.field == field


@pytest.mark.parametrize("percent", ["0", "100"])
def test_parse_accepts_the_bounds_0_and_100(percent: str) -> None:
    assert rate(percent).percent == Decimal(percent)


def test_exclusive_tax_is_the_rate_of_the_base() -> None:
    assert rate("20").tax_on(eur("100.00")) == eur("20.00")
    assert rate("0").tax_on(eur("100.00")) == eur("0.00")


def test_exclusive_tax_rounds_half_up_once() -> None:
    assert rate("20").tax_on(eur("0.125")) == eur("0.03")
    assert rate("19").tax_on(eur("10.05")) == eur("1.91")
    assert rate("2.5").tax_on(eur("0.20")) == eur("0.01")


def test_exclusive_tax_on_a_credit_is_negative() -> None:
    assert rate("20").tax_on(eur("-10.00")) == eur("-2.00")


def test_inclusive_tax_is_the_part_of_the_price_that_is_tax() -> None:
    assert rate("20", "inclusive").tax_on(eur("120.00")) == eur("20.00")
    assert rate("25", "inclusive").tax_on(eur("10.00")) == eur("2.00")


def test_inclusive_tax_rounds_the_exact_share_half_up_once() -> None:
    assert rate("12", "inclusive").tax_on(eur("2.10")) == eur("0.23")
    assert rate("12", "inclusive").tax_on(eur("0.14")) == eur("0.02")
    assert rate("20", "inclusive").tax_on(eur("10.00")) == eur("1.67")


def test_tax_rounds_to_the_currency_minor_unit() -> None:
    assert rate("10").tax_on(Money.of("1005", "JPY")) == Money.of("101", "JPY")


def test_rate_survives_its_stored_form() -> None:
    original = rate("8.1", "inclusive")
    assert TaxRate.from_dict(original.as_dict()) == original


def test_region_code_is_upper_case_letters_digits_and_dashes() -> None:
    assert parse_region(" gb-sct ") == "GB-SCT"


@pytest.mark.parametrize("text", ["", "  ", "GB SCT", "x" * 17, "GB_1"])
def test_bad_region_code_is_refused(text: str) -> None:
    with pytest.raises(InvalidTaxError) as caught:
        parse_region(text)
    assert caught.value.field == "region"


def region_with(*rates: TaxRate) -> TaxRegion:
    region = TaxRegion(tenant_id=uuid4(), region="GB")
    for item in rates:
        region.set_rate(item)
    return region


def percent_on(region: TaxRegion, day: date) -> Decimal | None:
    found = region.rate_on(day)
    return None if found is None else found.percent


def test_no_rate_before_the_first_effective_date() -> None:
    region = region_with(rate("20", effective_from=date(2026, 3, 1)))
    assert region.rate_on(date(2026, 2, 28)) is None
    assert region_with().rate_on(date(2026, 2, 28)) is None


def test_rate_applies_from_its_effective_date_until_the_next_one() -> None:
    region = region_with(rate("20", effective_from=date(2026, 1, 1)),
                         rate("22", effective_from=date(2026, 7, 1)))
    assert percent_on(region, date(2026, 1, 1)) == Decimal(20)
    assert percent_on(region, date(2026, 6, 30)) == Decimal(20)
    assert percent_on(region, date(2026, 7, 1)) == Decimal(22)
    assert percent_on(region, date(2030, 1, 1)) == Decimal(22)


def test_rates_set_out_of_order_are_applied_by_date() -> None:
    region = region_with(rate("22", effective_from=date(2026, 7, 1)),
                         rate("20", effective_from=date(2026, 1, 1)))
    assert [r.percent for r in region.rates] == [Decimal(20), Decimal(22)]
    assert percent_on(region, date(2026, 3, 1)) == Decimal(20)


def test_a_rate_of_the_same_date_replaces_the_earlier_one() -> None:
    region = region_with(rate("20", effective_from=JAN), rate("21", "inclusive", effective_from=JAN))
    assert region.rates == [rate("21", "inclusive", effective_from=JAN)]
    assert region.rate_on(JAN) == rate("21", "inclusive", effective_from=JAN)


def test_region_id_is_one_per_tenant_and_code() -> None:
    tenant = uuid4()
    assert TaxRegion.create_id(tenant, "GB") == TaxRegion.create_id(tenant, "GB")
    assert TaxRegion.create_id(tenant, "GB") != TaxRegion.create_id(tenant, "IE")
    assert TaxRegion.create_id(tenant, "GB") != TaxRegion.create_id(uuid4(), "GB")
