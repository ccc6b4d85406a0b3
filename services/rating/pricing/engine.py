"""The pricing engine: a record, a tariff version and a cycle state in; priced parts and a new state out.

Pure: the result depends only on the record, the version, the account's timezone and the cycle
state (no clock, no randomness, no I/O beyond the timezone database).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kernel.money import Money, rated_amount
from services.rating.pricing.allowances import FRESH_CYCLE, CycleState, Draw, draw
from services.rating.pricing.explain import plural, show, show_money
from services.rating.pricing.increments import billed_seconds, round_up
from services.rating.pricing.prefixes import destination_digits, spaced
from services.rating.pricing.records import Priced, Reason, Unrated, UsageRecord, UsageToPrice
from services.rating.pricing.tariff import TariffVersion, VoiceRate
from services.rating.pricing.tiers import Tiers, tier_shares
from services.rating.pricing.volumes import unit_bytes, unit_symbol

Outcome = tuple[list[Priced] | Unrated, CycleState]
"""What pricing one record gives: its priced parts or why it is unrated, and the account's new state."""

SECONDS_PER_MINUTE = Decimal(60)


class Destination(NamedTuple):
    """Where a call or message went, as rated: the band, the matched prefix and its name (a tuple:
    one is made per call or message)."""

    band: str | None
    prefix: str
    name: str


class Pricing(NamedTuple):
    """One record being priced under one version: what every part of it shares (a tuple: one is
    made per record)."""

    record: UsageRecord
    version: TariffVersion

    @property
    def currency(self) -> str:
        """The tariff's currency."""
        return self.version.currency

    def money(self, amount: Decimal) -> str:
        """An amount with its currency, as explanations show it."""
        return f"{show_money(amount, self.currency)} {self.currency}"

    def part(self, index: int, quantity: Decimal, billed: Decimal, amount: Decimal, explanation: str, *,
             to: Destination | None = None, allowance: str | None = None, pre_rated: bool = False) -> Priced:
        """A priced part of the record."""
        return Priced(
            record_key=self.record.key, part=index, service_type=self.record.service_type,
            quantity=quantity, billed_quantity=billed, amount=Money(rated_amount(amount), self.currency),
            band=to.band if to else None, destination_prefix=to.prefix if to else None,
            destination_name=to.name if to else None, allowance=allowance,
            rate_plan_id=self.version.rate_plan_id, tariff_version=self.version.version,
            pre_rated=pre_rated, explanation=explanation,
        )

    def unrated(self, reason: Reason, detail: str) -> Unrated:
        """The record, unrated for a reason."""
        return Unrated(self.record, reason, detail)


def price(record: UsageRecord, version: TariffVersion, timezone: str, state: CycleState) -> Outcome:
    """Price one record under a tariff version, in the account's timezone, against its cycle state.

    Records of an account must come in event order (UsageToPrice.event_order): allowances and tiers
    depend on what the cycle used before. An unrated record leaves the state as it was.
    """
    pricing = Pricing(record, version)
    zone = zone_named(timezone)
    if zone is None:
        return pricing.unrated(Reason.UNKNOWN_TIMEZONE, f"no timezone {timezone!r}"), state
    quantity = record.quantity
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity < 0:
        return pricing.unrated(Reason.INVALID_QUANTITY, f"quantity {quantity!r}"), state
    local = record.started_at.astimezone(zone)
    if local.date() < version.effective_from:
        return pricing.unrated(Reason.TARIFF_NOT_IN_EFFECT,
                               f"version {version.version} starts {version.effective_from}"), state
    if record.upstream_price is not None:
        return pre_rated(pricing, record.upstream_price), state
    if not version.prices(record.service_type):
        return pricing.unrated(Reason.NO_TARIFF_FOR_SERVICE_TYPE,
                               f"version {version.version} does not price {record.service_type!r}"), state
    if record.service_type == "voice":
        return price_voice(pricing, local, state)
    if record.service_type == "sms":
        return price_sms(pricing, state)
    return price_units(pricing, state)


def price_batch(
    records: Iterable[UsageToPrice],
    version_of: Callable[[UsageToPrice], TariffVersion | None],
    timezone_of: Callable[[UUID], str],
    states: Mapping[UUID, CycleState],
) -> tuple[list[tuple[UsageToPrice, list[Priced] | Unrated]], dict[UUID, CycleState]]:
    """Price records of many accounts, each account's in event order, from their cycle states.

    Results come in (account_id, started_at, source, record_id) order, whatever the input order;
    the states returned include every given state and the state of every account priced.
    """
    new_states = dict(states)
    results: list[tuple[UsageToPrice, list[Priced] | Unrated]] = []
    for record in sorted(records, key=lambda each: (each.account_id, *each.event_order)):
        version = version_of(record)
        if version is None:
            results.append((record, Unrated(record, Reason.NO_TARIFF_VERSION, "no tariff version applies")))
            continue
        state = new_states.get(record.account_id, FRESH_CYCLE)
        result, new_states[record.account_id] = price(record, version, timezone_of(record.account_id), state)
        results.append((record, result))
    return results, new_states


@lru_cache(maxsize=512)
def zone_named(name: str) -> ZoneInfo | None:
    """The IANA timezone of a name, or None when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def pre_rated(pricing: Pricing, upstream: Money) -> list[Priced] | Unrated:
    """A record priced upstream keeps its price, in the tariff's currency only (no FX)."""
    if upstream.currency != pricing.currency:
        return pricing.unrated(Reason.CURRENCY_MISMATCH,
                               f"priced upstream in {upstream.currency}, tariff in {pricing.currency}")
    quantity = pricing.record.quantity
    explanation = f"pre-rated upstream at {pricing.money(upstream.amount)}"
    return [pricing.part(0, quantity, quantity, upstream.amount, explanation, pre_rated=True)]


def destination_of(pricing: Pricing) -> str | Unrated:
    """The record's destination digits, or why it has none usable."""
    destination = pricing.record.destination
    if not destination:
        return pricing.unrated(Reason.MISSING_DESTINATION,
                               f"{pricing.record.service_type} without destination")
    digits = destination_digits(destination)
    if digits is None:
        return pricing.unrated(Reason.INVALID_DESTINATION, f"{destination!r} is not an E.164 number")
    return digits


def included_parts(pricing: Pricing, draws: list[Draw], whole: str, unit: str,
                   to: Destination | None = None) -> list[Priced]:
    """The parts of a record its allowances cover, at no charge."""
    return [
        pricing.part(index, each.quantity, each.quantity, Decimal(0),
                     f"{whole}: {show(each.quantity)} {unit} included in allowance {each.allowance}",
                     to=to, allowance=each.allowance)
        for index, each in enumerate(draws)
    ]


def price_voice(pricing: Pricing, local: datetime, state: CycleState) -> Outcome:
    """A call: in the band of its start, at its destination's rate, after the allowances that cover it."""
    digits = destination_of(pricing)
    if isinstance(digits, Unrated):
        return digits, state
    version = pricing.version
    assert version.calendar is not None
    band = version.calendar.band_at(local)
    found = version.voice_tables[band].match(digits)
    if found is None:
        return pricing.unrated(Reason.NO_DESTINATION_RATE, f"no {band} voice rate for +{digits}"), state
    prefix, rate = found
    seconds = pricing.record.quantity
    place = f"call to {spaced(prefix)} ({rate.name})"
    draws, left, state = draw(version.allowances, state, "voice", digits, seconds)
    to = Destination(band, prefix, rate.name)
    parts = included_parts(pricing, draws, f"{place}, {show(seconds)} s", "s", to) if draws else []
    if left > 0 or not draws:
        billed, amount, text = call_charge(pricing, rate, band, left, whole_call=not draws)
        parts.append(pricing.part(len(parts), left, billed, amount, f"{place}, {text}", to=to))
        state = state.charging("voice", billed)
    return parts, state


def call_charge(pricing: Pricing, rate: VoiceRate, band: str, seconds: Decimal,
                whole_call: bool) -> tuple[Decimal, Decimal, str]:
    """Billed seconds, amount and explanation of a call, or of the remainder an allowance left.

    A whole call pays the connect fee and at least the minimum charge; the remainder of a call an
    allowance partly covered pays neither (they belong to the call's start, which was included).
    """
    if seconds == 0:
        return Decimal(0), Decimal(0), "0 s: a zero-duration call is not charged"
    billed = billed_seconds(seconds, rate.first_increment, rate.next_increment)
    charge = billed / SECONDS_PER_MINUTE * rate.per_minute
    steps = f"{rate.first_increment}/{rate.next_increment}"
    head = f"{show(seconds)} s" if whole_call else f"{show(seconds)} s beyond the allowance"
    text = (f"{head} billed {steps} as {show(billed)} s at "
            f"{show_money(rate.per_minute, pricing.currency)} {pricing.currency}/min {band}")
    if not whole_call:
        amount = rated_amount(charge)
        return billed, amount, f"{text}, no connect fee = {pricing.money(amount)}"
    if rate.connect_fee:
        charge += rate.connect_fee
        text += f" + {show_money(rate.connect_fee, pricing.currency)} connect"
    amount = rated_amount(charge)
    if amount < rate.minimum_charge:
        amount = rated_amount(rate.minimum_charge)
        minimum = f"raised to the minimum charge {pricing.money(amount)}"
        return billed, amount, f"{text} = {pricing.money(charge)}, {minimum}"
    return billed, amount, f"{text} = {pricing.money(amount)}"


def price_sms(pricing: Pricing, state: CycleState) -> Outcome:
    """Messages: at their destination's rate per message, after the allowances that cover them."""
    digits = destination_of(pricing)
    if isinstance(digits, Unrated):
        return digits, state
    found = pricing.version.sms_table.match(digits)
    if found is None:
        return pricing.unrated(Reason.NO_DESTINATION_RATE, f"no SMS rate for +{digits}"), state
    prefix, rate = found
    messages = pricing.record.quantity
    place = f"SMS to {spaced(prefix)} ({rate.name})"
    draws, left, state = draw(pricing.version.allowances, state, "sms", digits, messages)
    to = Destination(None, prefix, rate.name)
    parts = (included_parts(pricing, draws, f"{place}, {plural(messages, 'message')}", "of them", to)
             if draws else [])
    if left > 0 or not draws:
        amount = rated_amount(left * rate.per_message)
        head = plural(left, "message") + ("" if not draws else " beyond the allowance")
        text = (f"{place}, {head} at {show_money(rate.per_message, pricing.currency)} {pricing.currency}"
                f" = {pricing.money(amount)}")
        parts.append(pricing.part(len(parts), left, left, amount, text, to=to))
        state = state.charging("sms", left)
    return parts, state


def price_units(pricing: Pricing, state: CycleState) -> Outcome:
    """Data or custom units: allowances first, then the remainder rounded per session and priced."""
    version = pricing.version
    service = pricing.record.service_type
    if service == "data":
        assert version.data is not None
        unit, per_unit, tiers = version.data.unit, version.data.per_unit, version.data.tiers
        rounding, scale, symbol = version.data.session_rounding_bytes, unit_bytes(unit), unit_symbol(unit)
        what, base = "data session", "B"
    else:
        assert version.custom is not None
        per_unit, tiers = version.custom.per_unit, version.custom.tiers
        rounding, scale, symbol, what, base = 0, Decimal(1), "unit", "custom usage", "units"
    quantity = pricing.record.quantity
    digits = destination_digits(pricing.record.destination) or ""
    draws, left, state = draw(version.allowances, state, service, digits, quantity)
    whole = f"{what} of {show(quantity)} {base}"
    parts = included_parts(pricing, draws, whole, base) if draws else []
    if left > 0 or not draws:
        billed = round_up(left, rounding)
        text = whole if not draws else f"{whole}, {show(left)} {base} beyond the allowance"
        if billed != left:
            text += f" rounded up to the next {show(Decimal(rounding))} {base} as {show(billed)} {base}"
        before = state.total(service)
        amount, pricing_text = unit_charge(pricing, billed, scale, symbol, per_unit, tiers, before)
        parts.append(pricing.part(len(parts), left, billed, amount, f"{text}, {pricing_text}"))
        state = state.charging(service, billed)
    return parts, state


def unit_charge(pricing: Pricing, billed: Decimal, scale: Decimal, symbol: str, per_unit: Decimal | None,
                tiers: Tiers | None, before: Decimal) -> tuple[Decimal, str]:
    """The amount and explanation of a billed quantity at a flat price per unit or in tiers."""
    currency = pricing.currency
    if tiers is None:
        assert per_unit is not None
        amount = rated_amount(billed * per_unit / scale)
        return amount, (f"{measure(billed / scale, symbol)} at {show_money(per_unit, currency)} "
                        f"{currency}/{symbol} = {pricing.money(amount)}")
    shares = tier_shares(tiers, scale, before, billed)
    amount = rated_amount(sum((share.quantity * share.price for share in shares), Decimal(0)) / scale)
    pieces = " + ".join(f"{measure(share.quantity / scale, symbol)} at {show_money(share.price, currency)}"
                        for share in shares)
    return amount, (f"{tiers.mode} tiers from a cycle total of {measure(before / scale, symbol)}: "
                    f"{pieces} {currency}/{symbol} = {pricing.money(amount)}")


def measure(quantity: Decimal, symbol: str) -> str:
    """A quantity in a unit: 0.002 GB, 3 units."""
    return plural(quantity, symbol) if symbol == "unit" else f"{show(quantity)} {symbol}"
