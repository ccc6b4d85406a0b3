"""The JSON definition of a tariff version, and its conversion to and from a TariffVersion.

Decimals are strings ("0.05"; whole JSON numbers are accepted, fractional ones are not: a float
would lose digits), times "HH:MM" (an end of "24:00" or "00:00" is midnight), dates ISO, weekdays
0 (Monday) to 6 (Sunday). Paths in errors follow the definition: "voice[0].rates[3].per_minute".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from uuid import UUID

from kernel.errors import InvalidInputError
from services.rating.pricing import (
    Allowance,
    BandWindow,
    CustomTariff,
    DataTariff,
    HolidayCalendar,
    SmsRate,
    TariffError,
    TariffVersion,
    Tier,
    Tiers,
    TimeBand,
    VoiceRate,
    VoiceTable,
)

Definition = dict[str, Any]
T = TypeVar("T")

SECTIONS = ("bands", "holidays", "voice", "sms", "data", "custom", "allowances")


def to_tariff_version(
    rate_plan_id: UUID, version: int, effective_from: date, currency: str, definition: object,
) -> TariffVersion:
    """Build and check a tariff version from its definition; errors name the field at fault."""
    body = obj(definition, "definition", SECTIONS)
    try:
        holidays = body.get("holidays")
        return TariffVersion(
            rate_plan_id=rate_plan_id, version=version, effective_from=effective_from,
            currency=currency,
            bands=items(body.get("bands", []), "bands", band),
            holidays=None if holidays is None else holiday_calendar(holidays, "holidays"),
            voice=items(body.get("voice", []), "voice", voice_table),
            sms=items(body.get("sms", []), "sms", sms_rate),
            data=None if body.get("data") is None else data_tariff(body["data"], "data"),
            custom=None if body.get("custom") is None else custom_tariff(body["custom"], "custom"),
            allowances=items(body.get("allowances", []), "allowances", allowance),
        )
    except TariffError as error:
        raise InvalidInputError(error.field, str(error).split(": ", 1)[-1]) from None


def definition_of(version: TariffVersion) -> Definition:
    """The definition of a tariff version (what to_tariff_version reads), in canonical form."""
    result: Definition = {
        "bands": [{"name": b.name, "windows": [window_json(w) for w in b.windows]} for b in version.bands],
        "holidays": None if version.holidays is None else {
            "band": version.holidays.band,
            "dates": sorted(day.isoformat() for day in version.holidays.dates),
        },
        "voice": [{"band": table.band, "rates": [voice_rate_json(rate) for rate in table.rates]}
                  for table in version.voice],
        "sms": [{"prefix": r.prefix, "name": r.name, "per_message": str(r.per_message)}
                for r in version.sms],
        "data": None if version.data is None else {
            "unit": version.data.unit, "session_rounding_bytes": version.data.session_rounding_bytes,
            **prices_json(version.data.per_unit, version.data.tiers),
        },
        "custom": None if version.custom is None else prices_json(version.custom.per_unit,
                                                                   version.custom.tiers),
        "allowances": [{"name": a.name, "service_type": a.service_type, "quantity": str(a.quantity),
                        "prefixes": list(a.prefixes)} for a in version.allowances],
    }
    return result


def canonical_json(definition: Mapping[str, Any]) -> str:
    """The definition as compact JSON with sorted keys: equal definitions give equal text."""
    return json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest_of(text: str) -> str:
    """The SHA-256 hex digest a definition's canonical JSON is stored under."""
    return hashlib.sha256(text.encode()).hexdigest()


def window_json(window: BandWindow) -> dict[str, Any]:
    return {"weekdays": sorted(window.weekdays), "start": window.start.strftime("%H:%M"),
            "end": "24:00" if window.end == time(0) else window.end.strftime("%H:%M")}


def voice_rate_json(rate: VoiceRate) -> dict[str, Any]:
    return {"prefix": rate.prefix, "name": rate.name, "per_minute": str(rate.per_minute),
            "connect_fee": str(rate.connect_fee), "first_increment": rate.first_increment,
            "next_increment": rate.next_increment, "minimum_charge": str(rate.minimum_charge)}


def prices_json(per_unit: Decimal | None, tiers: Tiers | None) -> dict[str, Any]:
    if tiers is None:
        return {"per_unit": None if per_unit is None else str(per_unit)}
    return {"tiers": {"mode": tiers.mode, "tiers": [
        {"up_to": None if t.up_to is None else str(t.up_to), "price": str(t.price)} for t in tiers.tiers
    ]}}


# Readers: each takes the JSON value and its path, and raises InvalidInputError naming the path.

def obj(
    value: object, where: str, allowed: tuple[str, ...], required: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A JSON object with only the allowed keys and every required one."""
    if not isinstance(value, dict):
        raise InvalidInputError(where, "must be an object")
    for key in value:
        if key not in allowed:
            raise InvalidInputError(join(where, key), "is not a field of this object")
    for key in required:
        if value.get(key) is None:
            raise InvalidInputError(join(where, key), "is required")
    return value


def join(where: str, key: str) -> str:
    return key if where == "definition" else f"{where}.{key}"


def items(value: object, where: str, read: Callable[[Any, str], T]) -> tuple[T, ...]:
    """A JSON array read element by element."""
    if not isinstance(value, list):
        raise InvalidInputError(where, "must be an array")
    return tuple(read(item, f"{where}[{index}]") for index, item in enumerate(value))


def text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(where, "must be a string")
    return value


def whole(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(where, "must be a whole number")
    return value


def decimal(value: object, where: str) -> Decimal:
    """A decimal from a string or a whole JSON number (never a float)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInputError(where, 'must be a decimal string like "0.05"')
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise InvalidInputError(where, f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise InvalidInputError(where, "must be a finite number")
    return number


def optional_decimal(value: object, where: str) -> Decimal | None:
    return None if value is None else decimal(value, where)


def clock(value: object, where: str, end: bool = False) -> time:
    """HH:MM; as an end, 24:00 (like 00:00) is midnight."""
    raw = text(value, where)
    if end and raw == "24:00":
        return time(0)
    try:
        if len(raw) != 5 or raw[2] != ":":
            raise ValueError(raw)
        return time(int(raw[:2]), int(raw[3:]))
    except ValueError:
        raise InvalidInputError(where, f"{raw!r} is not a time HH:MM") from None


def day(value: object, where: str) -> date:
    try:
        return date.fromisoformat(text(value, where))
    except ValueError:
        raise InvalidInputError(where, f"{value!r} is not a date YYYY-MM-DD") from None


def band(value: object, where: str) -> TimeBand:
    body = obj(value, where, ("name", "windows"), ("name",))
    return TimeBand(text(body["name"], f"{where}.name"),
                    items(body.get("windows", []), f"{where}.windows", window))


def window(value: object, where: str) -> BandWindow:
    body = obj(value, where, ("weekdays", "start", "end"), ("weekdays", "start", "end"))
    weekdays = items(body["weekdays"], f"{where}.weekdays", whole)
    return BandWindow(frozenset(weekdays), clock(body["start"], f"{where}.start"),
                      clock(body["end"], f"{where}.end", end=True))


def holiday_calendar(value: object, where: str) -> HolidayCalendar:
    body = obj(value, where, ("band", "dates"), ("band",))
    return HolidayCalendar(text(body["band"], f"{where}.band"),
                           frozenset(items(body.get("dates", []), f"{where}.dates", day)))


def voice_table(value: object, where: str) -> VoiceTable:
    body = obj(value, where, ("band", "rates"), ("band",))
    return VoiceTable(text(body["band"], f"{where}.band"),
                      items(body.get("rates", []), f"{where}.rates", voice_rate))


VOICE_RATE_FIELDS = ("prefix", "name", "per_minute", "connect_fee", "first_increment", "next_increment",
                     "minimum_charge")


def voice_rate(value: object, where: str) -> VoiceRate:
    body = obj(value, where, VOICE_RATE_FIELDS, ("prefix", "name", "per_minute"))
    return VoiceRate(
        prefix=text(body["prefix"], f"{where}.prefix"), name=text(body["name"], f"{where}.name"),
        per_minute=decimal(body["per_minute"], f"{where}.per_minute"),
        connect_fee=decimal(body.get("connect_fee", "0"), f"{where}.connect_fee"),
        first_increment=whole(body.get("first_increment", 60), f"{where}.first_increment"),
        next_increment=whole(body.get("next_increment", 60), f"{where}.next_increment"),
        minimum_charge=decimal(body.get("minimum_charge", "0"), f"{where}.minimum_charge"),
    )


def sms_rate(value: object, where: str) -> SmsRate:
    body = obj(value, where, ("prefix", "name", "per_message"), ("prefix", "name", "per_message"))
    return SmsRate(text(body["prefix"], f"{where}.prefix"), text(body["name"], f"{where}.name"),
                   decimal(body["per_message"], f"{where}.per_message"))


def tiers(value: object, where: str) -> Tiers:
    body = obj(value, where, ("mode", "tiers"), ("mode", "tiers"))
    return Tiers(text(body["mode"], f"{where}.mode"),  # type: ignore[arg-type]
                 items(body["tiers"], f"{where}.tiers", tier))


def tier(value: object, where: str) -> Tier:
    body = obj(value, where, ("up_to", "price"), ("price",))
    return Tier(optional_decimal(body.get("up_to"), f"{where}.up_to"),
                decimal(body["price"], f"{where}.price"))


def data_tariff(value: object, where: str) -> DataTariff:
    body = obj(value, where, ("unit", "per_unit", "session_rounding_bytes", "tiers"), ("unit",))
    return DataTariff(
        unit=text(body["unit"], f"{where}.unit"),
        per_unit=optional_decimal(body.get("per_unit"), f"{where}.per_unit"),
        session_rounding_bytes=whole(body.get("session_rounding_bytes", 0),
                                     f"{where}.session_rounding_bytes"),
        tiers=None if body.get("tiers") is None else tiers(body["tiers"], f"{where}.tiers"),
    )


def custom_tariff(value: object, where: str) -> CustomTariff:
    body = obj(value, where, ("per_unit", "tiers"))
    return CustomTariff(
        per_unit=optional_decimal(body.get("per_unit"), f"{where}.per_unit"),
        tiers=None if body.get("tiers") is None else tiers(body["tiers"], f"{where}.tiers"),
    )


def allowance(value: object, where: str) -> Allowance:
    body = obj(value, where, ("name", "service_type", "quantity", "prefixes"),
               ("name", "service_type", "quantity"))
    return Allowance(text(body["name"], f"{where}.name"), text(body["service_type"], f"{where}.service_type"),
                     decimal(body["quantity"], f"{where}.quantity"),
                     items(body.get("prefixes", []), f"{where}.prefixes", text))
