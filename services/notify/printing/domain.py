"""The print domain: paper preferences, the documents of a batch, and the batch's states."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from kernel.errors import InvalidInputError, NotFoundError, PreconditionError
from kernel.ids import derived_id
from kernel.money import Money
from services.notify.printing.addresses import PostalAddress

MAX_REASON = 500
NO_POSTAL_ADDRESS = "no_postal_address"


class AccountNotFoundError(NotFoundError):
    """The invoice service has no such account for this tenant."""

    def __init__(self, account_id: object) -> None:
        super().__init__(f"account {account_id} not found")


class BillRunNotFoundError(NotFoundError):
    """The invoice service has no such bill run for this tenant."""

    def __init__(self, bill_run_id: object) -> None:
        super().__init__(f"bill run {bill_run_id} not found")


class BillRunNotCompletedError(PreconditionError):
    """A batch is built from a completed bill run only."""

    def __init__(self, bill_run_id: object) -> None:
        super().__init__(f"bill run {bill_run_id} has not completed")


class PrintBatchNotFoundError(NotFoundError):
    """No such print batch for this tenant."""

    def __init__(self, batch_id: object) -> None:
        super().__init__(f"print batch {batch_id} not found")


class PrintBatchNotReadyError(PreconditionError):
    """Files are downloadable once the batch is ready (and the PDF only when it has documents)."""

    def __init__(self, batch_id: object, why: str) -> None:
        super().__init__(f"print batch {batch_id}: {why}")


class BatchPart(StrEnum):
    """The files of a batch."""

    PDF = "pdf"
    MANIFEST = "manifest"

    @classmethod
    def parse(cls, text: str) -> BatchPart:
        """The part a request names."""
        try:
            return cls(text)
        except ValueError:
            raise InvalidInputError("part", "one_of_pdf_manifest") from None


class BatchStatus(StrEnum):
    """building (queued or under way), ready, or failed with a reason."""

    BUILDING = "building"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class PaperPreference:
    """Whether an account's invoices are printed and posted."""

    account_id: UUID
    paper: bool
    updated_at: datetime | None


@dataclass(frozen=True)
class SkippedInvoice:
    """An invoice of a paper account left out of the batch, and why."""

    invoice_id: UUID
    invoice_number: str
    account_id: UUID
    reason: str


@dataclass(frozen=True)
class PrintDocument:
    """One invoice in a batch: who, where, how much, and its rendered pages."""

    invoice_id: UUID
    invoice_number: str
    account_id: UUID
    address: PostalAddress
    total: Money
    page_count: int


def print_order(address: PostalAddress, invoice_number: str) -> tuple[object, ...]:
    """Address order (PostalAddress.sort_key); the invoice number settles ties."""
    return *address.sort_key(), invoice_number


@dataclass(frozen=True)
class BuiltFiles:
    """What a finished build stored."""

    document_count: int
    page_count: int
    pdf_bytes: int
    manifest_bytes: int
    pdf_sha256: str
    manifest_sha256: str
    skipped: tuple[SkippedInvoice, ...]


@dataclass(frozen=True)
class PrintBatch:
    """The paper bills of one bill run, for the print house."""

    batch_id: UUID
    tenant_id: UUID
    bill_run_id: UUID
    status: BatchStatus
    reason: str
    files: BuiltFiles | None
    created_at: datetime
    updated_at: datetime
    ready_at: datetime | None

    @staticmethod
    def id_for(tenant_id: UUID, bill_run_id: UUID) -> UUID:
        """One batch per bill run."""
        return derived_id(tenant_id, "print-batch", bill_run_id)
