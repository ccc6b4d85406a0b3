"""The CSV manifest of a batch: one row per document, in print order, with its first page."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import TextIO

from services.notify.printing.domain import PrintDocument

MAX_ADDRESS_LINES = 6
COLUMNS = ["sequence", "invoice_number", "invoice_id", "account_id", "name",
           *[f"address_line_{n}" for n in range(1, MAX_ADDRESS_LINES + 1)],
           "postcode", "city", "country", "first_page", "page_count", "total", "currency"]


def manifest_rows(documents: Iterable[PrintDocument]) -> Iterator[list[str]]:
    """The rows after the header: sequence and first page count from 1."""
    first_page = 1
    for sequence, document in enumerate(documents, start=1):
        address = document.address
        lines = [*address.lines[:MAX_ADDRESS_LINES], *[""] * (MAX_ADDRESS_LINES - len(address.lines))]
        yield [str(sequence), document.invoice_number, str(document.invoice_id), str(document.account_id),
               address.name, *lines, address.postcode, address.city, address.country, str(first_page),
               str(document.page_count), str(document.total.amount), document.total.currency]
        first_page += document.page_count


def write_manifest(out: TextIO, documents: Iterable[PrintDocument]) -> None:
    """The header and a row per document (an empty batch has the header only)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(manifest_rows(documents))
