"""SMS per message by destination; data per decimal or binary unit with session rounding; custom per unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.rating.pricing import CustomTariff, DataTariff
from tests.unit.rating.pricing.tariffs import amount, one, tariff, usage

D = Decimal


def test_sms_is_priced_per_message_by_the_longest_prefix() -> None:
    mobile = one(usage("sms", 2, "+447700900123"))
    assert (mobile.amount, mobile.destination_prefix, mobile.band) == (amount("0.06"), "447", None)
    assert mobile.explanation == "SMS to 44 7 (United Kingdom Mobile), 2 messages at 0.03 GBP = 0.06 GBP"
    assert one(usage("sms", 1, "+441614960000")).amount == amount("0.04")
    assert one(usage("sms", 1, "+33612345678")).amount == amount("0.08")


@pytest.mark.parametrize(("unit", "per_unit", "volume", "price"), [
    ("gigabyte", "5", 3_000_000_000, "15"),
    ("gibibyte", "5", 3 * 1024**3, "15"),
    ("gigabyte", "5", 3 * 1024**3, "16.106127"),          # 3.221225472 GB, half up
    ("gibibyte", "5", 3_000_000_000, "13.969839"),        # 2.793967723846435546875 GiB
    ("megabyte", "0.01", 1_500_000, "0.015"),
    ("mebibyte", "0.01", 1_572_864, "0.015"),             # 1.5 MiB
    ("kilobyte", "0.001", 1000, "0.001"),
    ("kibibyte", "0.001", 1000, "0.000977"),              # 0.9765625 KiB, half up
    ("byte", "0.000001", 123, "0.000123"),
    ("gigabyte", "5", 1_234_567, "0.006173"),             # 0.006172835, half up
])
def test_data_units_are_decimal_or_binary_as_named(unit: str, per_unit: str, volume: int, price: str) -> None:
    version = tariff(data=DataTariff(unit, per_unit=D(per_unit)))
    session = one(usage("data", volume), version)
    assert session.amount == amount(price)
    assert session.billed_quantity == volume


def test_each_session_record_is_rounded_up_to_the_session_increment() -> None:
    version = tariff(data=DataTariff("megabyte", per_unit=D("0.01"), session_rounding_bytes=1_000_000))
    session = one(usage("data", 1_234_567, session_id="acct-1-session-9"), version)
    assert (session.quantity, session.billed_quantity) == (1_234_567, 2_000_000)
    assert session.amount == amount("0.02")
    assert session.explanation == ("data session of 1234567 B rounded up to the next 1000000 B as 2000000 B, "
                                   "2 MB at 0.01 GBP/MB = 0.02 GBP")
    # Two interim records of one session are rounded each, not together.
    first = one(usage("data", 400_000, session_id="s"), version)
    second = one(usage("data", 400_000, session_id="s"), version)
    assert first.billed_quantity + second.billed_quantity == 2_000_000
    exact = one(usage("data", 3_000_000), version)
    assert exact.billed_quantity == 3_000_000
    empty = one(usage("data", 0), version)
    assert (empty.billed_quantity, empty.amount) == (0, amount("0"))


def test_custom_units_are_priced_per_unit() -> None:
    units = one(usage("custom", 3))
    assert units.amount == amount("0.75")
    assert units.explanation == "custom usage of 3 units, 3 units at 0.25 GBP/unit = 0.75 GBP"
    fractional = one(usage("custom", "0.5"), tariff(custom=CustomTariff(per_unit=D("0.333333"))))
    assert fractional.amount.amount == D("0.166667")
