"""Explaining a usage line: its rated parts, each with the raw record behind it."""

from __future__ import annotations

from billing.common.v1 import common_pb2
from billing.invoice.v1 import invoice_pb2
from billing.rating.v1 import rating_pb2
from billing.usage.v1 import usage_pb2

from tests.unit.gateway.gateway_fakes import FakeService, gateway

ACCOUNT = "00000000-0000-4000-8000-0000000000a1"
CHILD = "00000000-0000-4000-8000-0000000000c3"
STARTED = "2026-10-15T12:00:00Z"


def invoice_with_usage() -> invoice_pb2.Invoice:
    """An invoice with a recurring line and a child account's voice line."""
    return invoice_pb2.Invoice(
        invoice_id="inv-1", account_id=ACCOUNT, number="INV-00000001",
        lines=[
            invoice_pb2.InvoiceLine(kind="recurring", index=0, account_id=ACCOUNT),
            invoice_pb2.InvoiceLine(kind="usage", index=1, account_id=CHILD, service_type="voice",
                                    period_kind="current", destination_class="UK Mobile"),
        ],
        usage=[
            invoice_pb2.InvoiceUsage(account_id=ACCOUNT, usage_start="2026-10-01T00:00:00+00:00",
                                     usage_end="2026-11-01T00:00:00+00:00", watermark=7),
            invoice_pb2.InvoiceUsage(account_id=CHILD, usage_start="2026-09-30T22:00:00+00:00",
                                     usage_end="2026-10-31T23:00:00+00:00", previous_watermark=3,
                                     watermark=9),
        ],
    )


def part(record_id: str, number: int) -> rating_pb2.RatedPart:
    """A rated part of a record."""
    return rating_pb2.RatedPart(source="switch", record_id=record_id, part=number, started_at=STARTED,
                                amount=common_pb2.Money(amount="0.01", currency="GBP"), seq=42)


def services() -> tuple[FakeService, FakeService, FakeService]:
    """Invoice, rating and usage answering for the invoice above; record r2 is missing."""
    invoice = FakeService(GetInvoice=invoice_with_usage())
    rating = FakeService(ListLineParts=rating_pb2.ListRatedRecordsResponse(
        parts=[part("r1", 0), part("r1", 1), part("r2", 0)], next_page_token="next"))
    usage = FakeService(GetRecords=usage_pb2.GetRecordsResponse(
        records=[usage_pb2.StoredRecord(source="switch", record_id="r1", quantity="192")],
        missing=["switch:r2"]))
    return invoice, rating, usage


async def test_parts_of_a_usage_line_come_with_their_raw_records() -> None:
    invoice, rating, usage = services()
    async with gateway(invoice, rating, usage) as api:
        response = await api.get("/v1/invoices/inv-1/lines/1/records", params={"page_size": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(p["record_id"], p["part"], p["seq"]) for p in body["parts"]] == [
        ("r1", 0, 42), ("r1", 1, 42), ("r2", 0, 42)]
    assert [p["record"] and p["record"]["quantity"] for p in body["parts"]] == ["192", "192", None]
    assert body["next_page_token"] == "next"
    asked = rating.requests["ListLineParts"][0]
    assert (asked.period_kind, asked.service_type, asked.destination_class, asked.page_size) == (
        "current", "voice", "UK Mobile", 3)
    assert asked.selection.account_id == CHILD
    assert asked.selection.period_start.ToJsonString() == "2026-09-30T22:00:00Z"
    assert (asked.selection.previous_watermark, asked.selection.watermark) == (3, 9)
    keys = usage.requests["GetRecords"][0]
    assert keys.account_id == CHILD
    assert [(k.record_id, k.started_at) for k in keys.keys] == [("r1", STARTED), ("r2", STARTED)]


async def test_a_line_that_does_not_exist_is_not_found() -> None:
    invoice, rating, usage = services()
    async with gateway(invoice, rating, usage) as api:
        response = await api.get("/v1/invoices/inv-1/lines/5/records")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_a_recurring_line_has_no_records_to_explain() -> None:
    invoice, rating, usage = services()
    async with gateway(invoice, rating, usage) as api:
        response = await api.get("/v1/invoices/inv-1/lines/0/records")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "index", "reason": "not_a_usage_line"}]
    assert not rating.requests["ListLineParts"]


async def test_a_customer_explains_only_their_own_invoices() -> None:
    invoice, rating, usage = services()
    async with gateway(invoice, rating, usage, role=f"customer:{CHILD}") as api:
        assert (await api.get("/v1/invoices/inv-1/lines/1/records")).status_code == 404
    async with gateway(invoice, rating, usage, role=f"customer:{ACCOUNT}") as api:
        assert (await api.get("/v1/invoices/inv-1/lines/1/records")).status_code == 200
