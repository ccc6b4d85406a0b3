"""Reading usage.recorded messages: what rating takes of a batch, and what it refuses as poison."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import orjson
import pytest

from kernel.messaging import PoisonMessageError
from kernel.money import Money
from services.rating.consumer import parse_batch

TENANT, ACCOUNT = uuid4(), uuid4()


def record(**extra: object) -> dict[str, object]:
    return {"source": "sw1", "record_id": "r1", "account_id": str(ACCOUNT), "service_type": "voice",
            "quantity": "61.5", "unit": "second", "started_at": "2026-11-02T10:00:00+00:00",
            "attributes": {"destination": "+442079460001"}, **extra}


def test_a_batch_reads_back_with_exact_decimals_and_instants() -> None:
    body = orjson.dumps({"tenant_id": str(TENANT), "records": [
        record(), record(record_id="r2", duration="61.5", price={"amount": "0.10", "currency": "GBP"})]})

    tenant_id, records = parse_batch(body)

    assert tenant_id == TENANT
    first, second = records
    assert (first.quantity, first.destination, first.duration, first.upstream_price) == (
        Decimal("61.5"), "+442079460001", None, None)
    assert first.started_at == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert (second.duration, second.upstream_price) == (Decimal("61.5"), Money.of("0.10", "GBP"))


def test_records_of_one_account_share_its_parsed_id() -> None:
    other = uuid4()
    body = orjson.dumps({"tenant_id": str(TENANT), "records": [
        record(record_id="r1"), record(record_id="r2", account_id=str(other)),
        record(record_id="r3", account_id=str(ACCOUNT).upper())]})

    _, records = parse_batch(body)

    assert [r.account_id for r in records] == [ACCOUNT, other, ACCOUNT]


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", orjson.dumps({"tenant_id": "nope", "records": []}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [record(quantity="lots")]}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [record(started_at="yesterday")]}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [record(started_at="2026-11-02T10:00:00")]}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [{"source": "sw1"}]}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [record(), record(account_id="nope")]}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [record(account_id=42)]}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [record(account_id=["x"])]}),
    orjson.dumps({"tenant_id": str(TENANT), "records": [record(attributes=["+44"])]}),
])
def test_a_malformed_batch_is_poison(body: bytes) -> None:
    with pytest.raises(PoisonMessageError):
        parse_batch(body)
