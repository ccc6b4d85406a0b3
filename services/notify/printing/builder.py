"""Building a batch: the run's paper invoices rendered, sorted by address, merged, listed."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from kernel.errors import DomainError
from services.notify.printing.addresses import PostalAddress, postal_address
from services.notify.printing.domain import (
    NO_POSTAL_ADDRESS,
    BillRunNotCompletedError,
    BuiltFiles,
    PrintDocument,
    SkippedInvoice,
    print_order,
)
from services.notify.printing.invoices import BilledInvoice, GrpcInvoiceReader
from services.notify.printing.manifest import write_manifest
from services.notify.printing.pdfmerge import PdfConcatenation, UnreadablePdfError
from services.notify.printing.sql import BuildJob, PostgresPrintStore

COMPLETED = "completed"
VOID = "void"
PDF_NAME, MANIFEST_NAME = "batch.pdf", "manifest.csv"
"""The files a build leaves in its folder."""

KeepAlive = Callable[[], Awaitable[None]]


class UnprintableInvoiceError(DomainError):
    """An invoice whose PDF cannot be read; the batch fails naming it."""


@dataclass(frozen=True)
class RenderedInvoice:
    """An invoice of a paper account, its postal address, and its PDF in the build folder."""

    invoice: BilledInvoice
    address: PostalAddress
    path: Path


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB pieces."""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for piece in iter(lambda: source.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def merge(ordered: list[RenderedInvoice], out: Path) -> list[PrintDocument]:
    """Concatenate the PDFs in order into one file (each removed once copied); the documents."""
    documents = []
    with out.open("wb") as target:
        concatenation = PdfConcatenation(target)
        for rendered in ordered:
            invoice = rendered.invoice
            try:
                pages = concatenation.append(rendered.path)
            except UnreadablePdfError as error:
                raise UnprintableInvoiceError(f"invoice {invoice.number}: {error}") from None
            rendered.path.unlink()
            documents.append(PrintDocument(invoice.invoice_id, invoice.number, invoice.account_id,
                                           rendered.address, invoice.total, pages))
        concatenation.close()
    return documents


def write_manifest_file(path: Path, documents: list[PrintDocument]) -> None:
    """The manifest as a UTF-8 CSV file."""
    with path.open("w", encoding="utf-8", newline="") as out:
        write_manifest(out, documents)


def finish(folder: Path, documents: list[PrintDocument], skipped: list[SkippedInvoice]) -> BuiltFiles:
    """Write the manifest and describe both files."""
    pdf, manifest = folder / PDF_NAME, folder / MANIFEST_NAME
    write_manifest_file(manifest, documents)
    return BuiltFiles(
        document_count=len(documents), page_count=sum(document.page_count for document in documents),
        pdf_bytes=pdf.stat().st_size if documents else 0, manifest_bytes=manifest.stat().st_size,
        pdf_sha256=sha256_of(pdf) if documents else "", manifest_sha256=sha256_of(manifest),
        skipped=tuple(skipped))


class BatchBuilder:
    """Builds a batch's PDF and manifest in a folder, one page of the run's invoices at a time."""

    def __init__(self, invoices: GrpcInvoiceReader, store: PostgresPrintStore,
                 render_concurrency: int) -> None:
        self.invoices = invoices
        self.store = store
        self.render_concurrency = render_concurrency

    async def build(self, job: BuildJob, folder: Path,
                    keep_alive: KeepAlive) -> tuple[BuiltFiles, Path | None]:
        """The files' description and the PDF (None for a batch without documents)."""
        if await self.invoices.bill_run_status(job.tenant_id, job.bill_run_id) != COMPLETED:
            raise BillRunNotCompletedError(job.bill_run_id)
        rendered: list[RenderedInvoice] = []
        skipped: list[SkippedInvoice] = []
        async for page in self.invoices.bill_run_invoices(job.tenant_id, job.bill_run_id):
            for outcome in await self.render_page(job.tenant_id, page, folder):
                if isinstance(outcome, SkippedInvoice):
                    skipped.append(outcome)
                else:
                    rendered.append(outcome)
            await keep_alive()
        ordered = sorted(rendered, key=lambda item: print_order(item.address, item.invoice.number))
        documents = await asyncio.to_thread(merge, ordered, folder / PDF_NAME) if ordered else []
        files = await asyncio.to_thread(finish, folder, documents, skipped)
        return files, folder / PDF_NAME if documents else None

    async def render_page(self, tenant_id: UUID, page: list[BilledInvoice],
                          folder: Path) -> list[RenderedInvoice | SkippedInvoice]:
        """Render the page's invoices of paper accounts, a few at a time; the first failure stops them all."""
        wanted = [invoice for invoice in page if invoice.status != VOID]
        paper = await self.store.paper_accounts(tenant_id, {invoice.account_id for invoice in wanted})
        limit = asyncio.Semaphore(self.render_concurrency)
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(self.render(tenant_id, invoice, folder, limit))
                         for invoice in wanted if invoice.account_id in paper]
        except ExceptionGroup as failed:
            raise failed.exceptions[0] from None
        return [task.result() for task in tasks]

    async def render(self, tenant_id: UUID, invoice: BilledInvoice, folder: Path,
                     limit: asyncio.Semaphore) -> RenderedInvoice | SkippedInvoice:
        """One invoice rendered into the folder, or skipped when its account has no postal address."""
        async with limit:
            account = await self.invoices.account(tenant_id, invoice.account_id)
            address = postal_address(account.name, account.address_lines, account.tax_region, account.locale)
            if not address.lines:
                return SkippedInvoice(invoice.invoice_id, invoice.number, invoice.account_id,
                                      NO_POSTAL_ADDRESS)
            content = await self.invoices.render_pdf(tenant_id, invoice.invoice_id, invoice.number)
            path = folder / f"{invoice.invoice_id}.pdf"
            await asyncio.to_thread(path.write_bytes, content)
            return RenderedInvoice(invoice, address, path)
