"""The allowances of an invoice's period in words: included, used, and when each ran out (no I/O)."""

from __future__ import annotations

from decimal import Decimal

from kernel.units import BASE_UNIT
from services.invoice.explaining.model import AllowanceStory, AllowanceView
from services.invoice.explaining.words import Words

SERVICE_WORD = {"voice": "voice", "sms": "sms_service", "data": "data_service", "custom": "custom_service"}


def story_of(allowance: AllowanceView, words: Words, timezone: str) -> AllowanceStory:
    """An allowance in words: '… 5 min included, 5 min used, ran out on 15 Mar 2026 12:05.'"""
    when = words.when(allowance.exhausted_at, timezone) if allowance.exhausted_at else ""
    text = words.say("allowance", name=allowance.name,
                     service=words.say(SERVICE_WORD.get(allowance.service_type, "custom_service")),
                     month=words.month(allowance.cycle_start),
                     included=amount_of(allowance, allowance.included, words),
                     used=amount_of(allowance, allowance.used, words))
    if when:
        text += words.say("ran_out", when=when)
    elif allowance.used >= allowance.included:
        text += words.say("used_up")
    else:
        text += words.say("not_used_up")
    return AllowanceStory(allowance, BASE_UNIT.get(allowance.service_type, "unit"), when, text)


def amount_of(allowance: AllowanceView, quantity: Decimal, words: Words) -> str:
    """A quantity of the allowance's service: a duration, messages, a data volume or units."""
    if allowance.service_type == "voice":
        return words.duration(quantity)
    if allowance.service_type == "sms":
        return words.count(quantity, "message", "messages")
    if allowance.service_type == "data" and allowance.display_unit:
        return words.in_unit(quantity, allowance.display_unit_size, allowance.display_unit)
    return words.count(quantity, "unit", "units")
