"""The CSV manifest of a print batch."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from uuid import uuid4

from kernel.money import Money
from services.notify.printing.addresses import postal_address
from services.notify.printing.consumer import parse_bill_run_completed
from services.notify.printing.domain import PrintBatch, PrintDocument
from services.notify.printing.manifest import COLUMNS, manifest_rows, write_manifest


def document(number: str, pages: int, lines: list[str], total: str = "12.34") -> PrintDocument:
    return PrintDocument(uuid4(), number, uuid4(), postal_address(f"Customer {number}", lines, "GB"),
                         Money.of(total, "GBP"), pages)


def test_rows_count_first_pages_from_one_in_print_order() -> None:
    documents = [document("INV-1", 2, ["1 High St", "London", "N1 9GU"]),
                 document("INV-2", 1, ["2 High St", "London", "N1 9GU"]),
                 document("INV-3", 3, ["3 High St", "London", "N1 9GU"], total="-5.00")]

    rows = list(manifest_rows(documents))

    assert [(row[0], row[1], row[COLUMNS.index("first_page")], row[COLUMNS.index("page_count")])
            for row in rows] == [("1", "INV-1", "1", "2"), ("2", "INV-2", "3", "1"), ("3", "INV-3", "4", "3")]
    assert rows[2][COLUMNS.index("total"):] == ["-5.00", "GBP"]


def test_each_row_carries_the_address_in_six_line_columns() -> None:
    [row] = manifest_rows([document("INV-9", 1, ["Flat 2", "1 High St", "London", "N1 9GU"])])
    record = dict(zip(COLUMNS, row, strict=True))

    assert [record[f"address_line_{n}"] for n in range(1, 7)] == [
        "Flat 2", "1 High St", "London", "N1 9GU", "", ""]
    assert (record["name"], record["postcode"], record["city"], record["country"]) == (
        "Customer INV-9", "N1 9GU", "London", "GB")


def test_the_file_is_csv_with_a_header_and_quotes_where_needed() -> None:
    out = io.StringIO()
    write_manifest(out, [document("INV-1", 1, ['Flat "B", 1 High St', "London", "N1 9GU"])])

    [header, row] = list(csv.reader(io.StringIO(out.getvalue())))
    assert header == COLUMNS
    assert row[COLUMNS.index("address_line_1")] == 'Flat "B", 1 High St'
    assert out.getvalue().endswith("\r\n")


def test_an_empty_batch_has_the_header_only() -> None:
    out = io.StringIO()
    write_manifest(out, [])

    assert list(csv.reader(io.StringIO(out.getvalue()))) == [COLUMNS]


def test_one_batch_per_bill_run() -> None:
    tenant, run = uuid4(), uuid4()

    assert PrintBatch.id_for(tenant, run) == PrintBatch.id_for(tenant, run)
    assert PrintBatch.id_for(tenant, run) != PrintBatch.id_for(uuid4(), run)


def test_a_completed_bill_run_names_tenant_run_and_version() -> None:
    tenant, run = uuid4(), uuid4()
    body = (f'{{"id": "invoice:9", "tenant_id": "{tenant}", "aggregate_id": "{run}",'
            f' "aggregate_version": 7, "occurred_at": "{datetime.now(UTC).isoformat()}"}}').encode()

    assert parse_bill_run_completed(body) == (tenant, run, 7)
