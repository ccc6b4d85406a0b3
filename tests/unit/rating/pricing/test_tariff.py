"""Tariff versions are checked whole when built; an error names the field at fault."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

import pytest

from services.rating.pricing import (
    Allowance,
    BandWindow,
    CustomTariff,
    DataTariff,
    HolidayCalendar,
    SmsRate,
    TariffError,
    Tier,
    Tiers,
    TimeBand,
    VoiceRate,
    VoiceTable,
)
from tests.unit.rating.pricing.tariffs import ALL_WEEK, BANDS, SMS, UK, VOICE, tariff

D = Decimal
ANYTIME = (VoiceTable("anytime", (VoiceRate("44", "United Kingdom", D("0.04")),)),)


def test_the_uk_tariff_is_valid_and_compiled() -> None:
    assert UK.prices("voice") and UK.prices("sms") and UK.prices("data") and UK.prices("custom")
    assert UK.calendar is not None
    assert set(UK.voice_tables) == {"peak", "offpeak", "weekend", "holiday"}
    assert not tariff(voice=(), sms=(), data=None, custom=None, bands=(), holidays=None).prices("voice")


def test_equal_definitions_make_equal_versions() -> None:
    assert tariff() == UK
    assert hash(tariff()) == hash(UK)


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"version": 0}, "version", "whole number"),
    ({"currency": "XYZ"}, "currency", "unsupported"),
    ({"bands": BANDS[:2], "holidays": None}, "bands", "Saturday 00:00-24:00 is in no band"),
    ({"bands": (*BANDS, TimeBand("night", (BandWindow(frozenset({0}), time(22), time(0)),)))},
     "bands", "overlap on Monday at 22:00"),
    ({"bands": (*BANDS[:3], TimeBand("peak"))}, "bands[3].name", "defined twice"),
    ({"holidays": HolidayCalendar("xmas", frozenset())}, "bands[3].windows", "covers no time"),
    ({"bands": BANDS[:3], "voice": VOICE[:3]}, "holidays.band", "not one of the bands"),
    ({"bands": (), "holidays": None}, "bands", "voice rates need time bands"),
    ({"voice": VOICE[:3]}, "voice", "band 'holiday' has no voice table"),
    ({"voice": (*VOICE, VoiceTable("night", ()))}, "voice[4].band", "not one of the bands"),
    ({"voice": (*VOICE, VOICE[0])}, "voice[4].band", "two voice tables"),
    ({"voice": (VoiceTable("peak", (*VOICE[0].rates, VoiceRate("4420", "London again", D("1")))),
                *VOICE[1:])}, "voice[0].rates[6].prefix", "also row 1"),
    ({"voice": (VoiceTable("peak", (VoiceRate("+44", "UK", D("1")),)), *VOICE[1:])},
     "voice[0].rates[0].prefix", "not 1 to 15 digits"),
    ({"voice": (VoiceTable("peak", (VoiceRate("44", "UK", 0.04),)), *VOICE[1:])},  # type: ignore[arg-type]
     "voice[0].rates[0].per_minute", "non-negative Decimal"),
    ({"voice": (VoiceTable("peak", (VoiceRate("44", "UK", D("-1")),)), *VOICE[1:])},
     "voice[0].rates[0].per_minute", "non-negative Decimal"),
    ({"voice": (VoiceTable("peak", (VoiceRate("44", "UK", D("1"), next_increment=0),)), *VOICE[1:])},
     "voice[0].rates[0].next_increment", "from 1"),
    ({"voice": (VoiceTable("peak", (VoiceRate("44", "", D("1")),)), *VOICE[1:])},
     "voice[0].rates[0].name", "empty"),
    ({"sms": (*SMS, SmsRate("33", "France again", D("0.1")))}, "sms[3].prefix", "also row 2"),
    ({"sms": (SmsRate("44", "UK", D("NaN")),)}, "sms[0].per_message", "non-negative Decimal"),
    ({"data": DataTariff("gigabit", per_unit=D("1"))}, "data.unit", "not one of byte, kilobyte"),
    ({"data": DataTariff("gigabyte")}, "data.per_unit", "either a per-unit price or tiers"),
    ({"data": DataTariff("gigabyte", per_unit=D("1"), tiers=Tiers("volume", (Tier(None, D("1")),)))},
     "data.per_unit", "not both"),
    ({"data": DataTariff("gigabyte", per_unit=D("1"), session_rounding_bytes=-1)},
     "data.session_rounding_bytes", "from 0"),
    ({"data": DataTariff("gigabyte", tiers=Tiers("volume", (Tier(D("10"), D("1")),)))},
     "data.tiers", "last tier must have no limit"),
    ({"data": DataTariff("gigabyte", tiers=Tiers("volume", (Tier(D("10"), D("1")), Tier(D("5"), D("1")),
                                                             Tier(None, D("1")))))},
     "data.tiers", "tier 1 limit must be a Decimal above the previous"),
    ({"data": DataTariff("gigabyte", tiers=Tiers("stepped", (Tier(None, D("1")),)))},  # type: ignore[arg-type]
     "data.tiers", "neither 'graduated' nor 'volume'"),
    ({"custom": CustomTariff(tiers=Tiers("graduated", (Tier(None, D("1")), Tier(None, D("1")))))},
     "custom.tiers", "tier 0 has no limit but is not the last"),
    ({"allowances": (Allowance("a", "voice", D(60)), Allowance("a", "sms", D(1)))},
     "allowances[1].name", "used twice"),
    ({"allowances": (Allowance("fax", "fax", D(60)),)}, "allowances[0].service_type", "not a service"),
    ({"custom": None, "allowances": (Allowance("c", "custom", D(60)),)},
     "allowances[0].service_type", "not a service"),
    ({"allowances": (Allowance("a", "voice", D(0)),)}, "allowances[0].quantity", "positive"),
    ({"allowances": (Allowance("a", "voice", D(60), ("+44",)),)}, "allowances[0].prefixes[0]", "digits"),
])
def test_invalid_versions_are_refused_naming_the_field(
    changes: dict[str, Any], field: str, message: str,
) -> None:
    with pytest.raises(TariffError, match=message) as refused:
        tariff(**changes)
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")


def test_a_flat_week_band_and_no_voice_are_fine() -> None:
    flat = tariff(bands=ALL_WEEK, holidays=None, voice=ANYTIME)
    assert flat.voice_tables["anytime"].match("441") is not None
    assert tariff(bands=(), holidays=None, voice=()).calendar is None
