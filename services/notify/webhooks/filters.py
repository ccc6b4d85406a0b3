"""Event type filters of an endpoint: exact types and trailing wildcards (docs/webhooks.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kernel.errors import InvalidInputError

SERVICES = frozenset({"usage", "rating", "invoice", "payment", "notify", "support"})
"""Services that publish events; a filter naming another service is a typo."""
MAX_FILTERS = 50
WILDCARD = "*"
NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")


def event_type_of(service: str, envelope_type: str) -> str:
    """'invoice.Invoice.Finalized' from the envelope's service and 'Aggregate.Event' type."""
    return f"{service}.{envelope_type}"


def check_filter(text: str) -> str:
    """A filter is '*', '<service>.*', '<service>.<Aggregate>.*' or '<service>.<Aggregate>.<Event>'."""
    parts = text.split(".")
    if text == WILDCARD:
        return text
    names = parts[:-1] if parts[-1] == WILDCARD else parts
    exact = len(parts) == 3 and parts[-1] != WILDCARD
    if not (exact or (parts[-1] == WILDCARD and len(parts) in (2, 3))):
        raise InvalidInputError("event_types", f"not_an_event_type: {text[:100]}")
    if not all(NAME.fullmatch(name) for name in names):
        raise InvalidInputError("event_types", f"not_an_event_type: {text[:100]}")
    if parts[0] not in SERVICES:
        raise InvalidInputError("event_types", f"unknown_service: {parts[0][:100]}")
    return text


def check_filters(filters: Iterable[str]) -> tuple[str, ...]:
    """1..MAX_FILTERS valid filters, duplicates dropped, in the order given."""
    checked = tuple(dict.fromkeys(check_filter(text.strip()) for text in filters))
    if not checked:
        raise InvalidInputError("event_types", "at_least_one_event_type")
    if len(checked) > MAX_FILTERS:
        raise InvalidInputError("event_types", f"at_most_{MAX_FILTERS}_event_types")
    return checked


def filter_matches(text: str, event_type: str) -> bool:
    """True when the event type is the filter, or starts with the filter's part before '*'."""
    if text.endswith(WILDCARD):
        return event_type.startswith(text[:-1])
    return text == event_type


def matches_any(filters: Iterable[str], event_type: str) -> bool:
    """True when one of the filters selects the event type."""
    return any(filter_matches(text, event_type) for text in filters)
