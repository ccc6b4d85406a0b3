from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SetPaperPreferenceRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "paper")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAPER_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    paper: bool
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., paper: _Optional[bool] = ...) -> None: ...

class GetPaperPreferenceRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class PaperPreference(_message.Message):
    __slots__ = ("account_id", "paper", "updated_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAPER_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    paper: bool
    updated_at: str
    def __init__(self, account_id: _Optional[str] = ..., paper: _Optional[bool] = ..., updated_at: _Optional[str] = ...) -> None: ...

class SkippedInvoice(_message.Message):
    __slots__ = ("invoice_id", "invoice_number", "account_id", "reason")
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    invoice_id: str
    invoice_number: str
    account_id: str
    reason: str
    def __init__(self, invoice_id: _Optional[str] = ..., invoice_number: _Optional[str] = ..., account_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class PrintBatch(_message.Message):
    __slots__ = ("batch_id", "bill_run_id", "status", "reason", "document_count", "page_count", "pdf_bytes", "manifest_bytes", "pdf_sha256", "manifest_sha256", "skipped", "created_at", "updated_at", "ready_at")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    PAGE_COUNT_FIELD_NUMBER: _ClassVar[int]
    PDF_BYTES_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_BYTES_FIELD_NUMBER: _ClassVar[int]
    PDF_SHA256_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    READY_AT_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    bill_run_id: str
    status: str
    reason: str
    document_count: int
    page_count: int
    pdf_bytes: int
    manifest_bytes: int
    pdf_sha256: str
    manifest_sha256: str
    skipped: _containers.RepeatedCompositeFieldContainer[SkippedInvoice]
    created_at: str
    updated_at: str
    ready_at: str
    def __init__(self, batch_id: _Optional[str] = ..., bill_run_id: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., document_count: _Optional[int] = ..., page_count: _Optional[int] = ..., pdf_bytes: _Optional[int] = ..., manifest_bytes: _Optional[int] = ..., pdf_sha256: _Optional[str] = ..., manifest_sha256: _Optional[str] = ..., skipped: _Optional[_Iterable[_Union[SkippedInvoice, _Mapping]]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ..., ready_at: _Optional[str] = ...) -> None: ...

class ListPrintBatchesRequest(_message.Message):
    __slots__ = ("tenant_id", "bill_run_id", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    bill_run_id: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., bill_run_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPrintBatchesResponse(_message.Message):
    __slots__ = ("batches", "next_page_token")
    BATCHES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    batches: _containers.RepeatedCompositeFieldContainer[PrintBatch]
    next_page_token: str
    def __init__(self, batches: _Optional[_Iterable[_Union[PrintBatch, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetPrintBatchRequest(_message.Message):
    __slots__ = ("tenant_id", "batch_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    batch_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., batch_id: _Optional[str] = ...) -> None: ...

class DownloadPrintBatchRequest(_message.Message):
    __slots__ = ("tenant_id", "batch_id", "part")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    batch_id: str
    part: str
    def __init__(self, tenant_id: _Optional[str] = ..., batch_id: _Optional[str] = ..., part: _Optional[str] = ...) -> None: ...

class FileChunk(_message.Message):
    __slots__ = ("data",)
    DATA_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    def __init__(self, data: _Optional[bytes] = ...) -> None: ...

class BuildPrintBatchRequest(_message.Message):
    __slots__ = ("tenant_id", "bill_run_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    bill_run_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., bill_run_id: _Optional[str] = ...) -> None: ...
