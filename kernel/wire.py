"""Conversions at the gRPC edge: protobuf Money, ids and histories to and from domain types."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from billing.common.v1 import common_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from kernel.errors import InvalidInputError
from kernel.eventstore import ENVELOPE_FIELDS, event_type, to_jsonable
from kernel.money import Money, MoneyError


def money_to_proto(money: Money) -> common_pb2.Money:
    """Domain Money to the wire."""
    return common_pb2.Money(amount=str(money.amount), currency=money.currency)


def money_from_proto(message: common_pb2.Money, field: str) -> Money:
    """Wire Money to the domain; a bad amount or currency names the field."""
    try:
        return Money.of(message.amount, message.currency)
    except MoneyError as error:
        raise InvalidInputError(field, str(error)) from None


def instant_to_proto(instant: datetime) -> Timestamp:
    """An aware instant as a protobuf Timestamp (UTC)."""
    message = Timestamp()
    message.FromDatetime(instant.astimezone(UTC))
    return message


def id_from_wire(text: str, field: str) -> UUID:
    """Parse an id sent by a client, naming the field when it is not one."""
    try:
        return UUID(text)
    except (ValueError, AttributeError):
        raise InvalidInputError(field, "not a valid id") from None


def day_from_wire(text: str, field: str) -> date:
    """Parse an ISO date sent by a client, naming the field when it is not one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(field, "not_a_date") from None


def history_to_proto(
    aggregate_type: str, aggregate_id: UUID, events: Iterable[Any]
) -> common_pb2.History:
    """An aggregate's stored events, for auditors."""
    return common_pb2.History(
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        events=[
            common_pb2.HistoryEvent(
                version=event.originator_version,
                type=event_type(event),
                occurred_at=event.timestamp.isoformat(),
                data_json=json.dumps(
                    {k: to_jsonable(v) for k, v in vars(event).items() if k not in ENVELOPE_FIELDS}
                ),
            )
            for event in events
        ],
    )
