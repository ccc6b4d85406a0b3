"""Usage entries: each rated part of a usage line worded from how rating priced it (no I/O).

An entry says what the whole record was (a call's destination and duration, a session's bytes),
what of it this part is (included in an allowance, or charged beyond it), how it was billed
(increments, session rounding), at what price, the amount as rated, and the tariff and version.
"""

from __future__ import annotations

from decimal import Decimal

from kernel.money import Money
from services.invoice.explaining.model import FlatPrice, RatedPartView, UsageEntry
from services.invoice.explaining.words import Words

SECONDS_PER_MINUTE = Decimal(60)
UNITS_SHOWN = Decimal("0.000001")
"""A flat-priced part's quantity in the plan's unit is shown to six places (as rated amounts are)."""


def entry_of(part: RatedPartView, words: Words, timezone: str, flat: FlatPrice | None = None) -> UsageEntry:
    """The part worded, with the rate and tariff that applied (a flat-priced part: its plan's)."""
    when = words.when(part.started_at, timezone)
    pricing = part.pricing
    if pricing.basis == "flat" and flat is not None:
        price = words.money(flat.unit_price, currency(part))
        units = words.number((part.quantity / flat.base_units).quantize(UNITS_SHOWN))
        text = words.say("flat", what=record_of(part, words), units=units, price=price,
                         unit=words.unit_name(flat.unit), plan=flat.plan_name, amount=amount_of(part, words))
        return UsageEntry(part, when, text, flat.unit_price, flat.unit, flat.plan_name, 0)
    text = text_of(part, words) + tariff_of(part, words)
    return UsageEntry(part, when, text, pricing.rate, pricing.rate_unit, part.rate_plan_name,
                      part.tariff_version)


def text_of(part: RatedPartView, words: Words) -> str:
    """The part in words, by how it was priced."""
    basis = part.pricing.basis
    if basis == "adjustment":
        if part.rate_plan_name:
            return words.say("adjustment", tariff=part.rate_plan_name, version=part.tariff_version,
                             amount=signed(part, words))
        return words.say("adjustment_plain", amount=signed(part, words))
    if basis == "pre_rated":
        return words.say("pre_rated", what=record_of(part, words), amount=amount_of(part, words))
    if basis == "included":
        return words.say("included", what=record_of(part, words), part=measure(part, part.quantity, words),
                         allowance=part.allowance)
    if basis == "charged":
        return charged_text(part, words)
    return part.rating_text or f"{record_of(part, words)}{words.say('equals', amount=amount_of(part, words))}"


def tariff_of(part: RatedPartView, words: Words) -> str:
    """The tariff and version that priced the part ('' when none did)."""
    if part.pricing.basis in ("adjustment", "flat") or not part.rate_plan_name:
        return ""
    return words.say("tariff", tariff=part.rate_plan_name, version=part.tariff_version)


def record_of(part: RatedPartView, words: Words) -> str:
    """The whole record: where to and how long, or how much."""
    whole = part.record_quantity or part.quantity
    destination = part.destination_display or part.destination
    if part.destination_name:
        destination = f"{destination} ({part.destination_name})"
    if part.service_type == "voice":
        duration = words.duration(whole)
        return words.say("call_to", destination=destination, duration=duration) if destination \
            else words.say("call", duration=duration)
    if part.service_type == "sms":
        messages = words.count(whole, "message", "messages")
        return words.say("sms_to", destination=destination, messages=messages) if destination \
            else words.say("sms", messages=messages)
    if part.service_type == "data":
        return words.say("data", volume=words.volume(whole))
    return words.say("custom", units=words.count(whole, "unit", "units"))


def measure(part: RatedPartView, quantity: Decimal, words: Words) -> str:
    """A quantity of the part's service: a duration, messages, bytes or units."""
    if part.service_type == "voice":
        return words.duration(quantity)
    if part.service_type == "sms":
        return words.count(quantity, "message", "messages")
    if part.service_type == "data":
        return words.volume(quantity)
    return words.count(quantity, "unit", "units")


def head_of(part: RatedPartView, words: Words) -> str:
    """The record, and for a remainder an allowance left, how much of it was beyond the allowance."""
    what = record_of(part, words)
    if part.quantity == (part.record_quantity or part.quantity):
        return what
    return words.say("beyond", what=what, part=measure(part, part.quantity, words))


def charged_text(part: RatedPartView, words: Words) -> str:
    """A charged part: billed quantity, price and amount, as the service is priced."""
    if part.service_type == "voice":
        return call_text(part, words)
    pricing = part.pricing
    if part.service_type == "sms":
        rate = words.money(pricing.rate or Decimal(0), currency(part))
        return words.say("per_message", head=head_of(part, words), rate=rate) + equals(part, words)
    rounding = ""
    if pricing.billed_quantity != part.quantity:
        rounding = words.say("rounded_up", step=words.volume(Decimal(pricing.session_rounding_bytes)),
                             billed=words.volume(pricing.billed_quantity))
    billed = (words.in_unit(pricing.billed_quantity, pricing.unit_size, pricing.rate_unit)
              if part.service_type == "data" else words.count(pricing.billed_quantity, "unit", "units"))
    if pricing.rate is None:
        return words.say("billed_tiers", head=head_of(part, words), rounding=rounding, billed=billed,
                         mode=pricing.tier_mode) + equals(part, words)
    return words.say("billed_units", head=head_of(part, words), rounding=rounding, billed=billed,
                     rate=words.money(pricing.rate, currency(part)),
                     unit=pricing.rate_unit) + equals(part, words)


def call_text(part: RatedPartView, words: Words) -> str:
    """A charged call: increments, rate and band, connect fee, minimum charge."""
    pricing = part.pricing
    rate = pricing.rate or Decimal(0)
    text = words.say("billed_call", head=head_of(part, words),
                     increments=f"{pricing.first_increment}/{pricing.next_increment}",
                     billed=words.duration(pricing.billed_quantity), rate=words.money(rate, currency(part)),
                     band=part.band)
    if not pricing.whole_call:
        return text + words.say("no_connect") + equals(part, words)
    charge = pricing.billed_quantity / SECONDS_PER_MINUTE * rate
    if pricing.connect_fee:
        charge += pricing.connect_fee
        text += words.say("connect", fee=words.money(pricing.connect_fee, currency(part)))
    if pricing.minimum_applied:
        shown = Money(charge, currency(part)).rated().amount
        return text + words.say("minimum", charge=words.money(shown, currency(part)),
                                amount=amount_of(part, words))
    return text + equals(part, words)


def equals(part: RatedPartView, words: Words) -> str:
    """ = the part's amount."""
    return words.say("equals", amount=amount_of(part, words))


def amount_of(part: RatedPartView, words: Words) -> str:
    """The part's amount as rated (up to 6 decimals)."""
    return words.money(part.amount.amount, currency(part))


def signed(part: RatedPartView, words: Words) -> str:
    """An adjustment's amount with its sign: +0.10 GBP, -0.05 GBP."""
    text = amount_of(part, words)
    return text if part.amount.amount < 0 else f"+{text}"


def currency(part: RatedPartView) -> str:
    """The currency the part was rated in."""
    return part.amount.currency
