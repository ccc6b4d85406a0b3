from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Outcome(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OUTCOME_UNSPECIFIED: _ClassVar[Outcome]
    OUTCOME_ACCEPTED: _ClassVar[Outcome]
    OUTCOME_DUPLICATE: _ClassVar[Outcome]
    OUTCOME_REJECTED: _ClassVar[Outcome]
OUTCOME_UNSPECIFIED: Outcome
OUTCOME_ACCEPTED: Outcome
OUTCOME_DUPLICATE: Outcome
OUTCOME_REJECTED: Outcome

class RecordKey(_message.Message):
    __slots__ = ("source", "record_id", "started_at")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    source: str
    record_id: str
    started_at: str
    def __init__(self, source: _Optional[str] = ..., record_id: _Optional[str] = ..., started_at: _Optional[str] = ...) -> None: ...

class GetRecordsRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "keys")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    keys: _containers.RepeatedCompositeFieldContainer[RecordKey]
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., keys: _Optional[_Iterable[_Union[RecordKey, _Mapping]]] = ...) -> None: ...

class StoredRecord(_message.Message):
    __slots__ = ("source", "record_id", "subscriber", "service_type", "quantity", "unit", "started_at", "ended_at", "duration", "attributes", "file", "received_at")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBER_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    source: str
    record_id: str
    subscriber: str
    service_type: str
    quantity: str
    unit: str
    started_at: str
    ended_at: str
    duration: str
    attributes: _containers.ScalarMap[str, str]
    file: str
    received_at: str
    def __init__(self, source: _Optional[str] = ..., record_id: _Optional[str] = ..., subscriber: _Optional[str] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., unit: _Optional[str] = ..., started_at: _Optional[str] = ..., ended_at: _Optional[str] = ..., duration: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., file: _Optional[str] = ..., received_at: _Optional[str] = ...) -> None: ...

class GetRecordsResponse(_message.Message):
    __slots__ = ("records", "missing")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    MISSING_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[StoredRecord]
    missing: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, records: _Optional[_Iterable[_Union[StoredRecord, _Mapping]]] = ..., missing: _Optional[_Iterable[str]] = ...) -> None: ...

class UsageRecord(_message.Message):
    __slots__ = ("record_id", "source", "account_id", "service_type", "quantity", "unit", "started_at", "attributes", "unknown_fields", "subscriber", "ended_at", "duration", "price", "currency")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIBER_FIELD_NUMBER: _ClassVar[int]
    ENDED_AT_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    PRICE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    record_id: str
    source: str
    account_id: str
    service_type: str
    quantity: str
    unit: str
    started_at: str
    attributes: _containers.ScalarMap[str, str]
    unknown_fields: _containers.RepeatedScalarFieldContainer[str]
    subscriber: str
    ended_at: str
    duration: str
    price: str
    currency: str
    def __init__(self, record_id: _Optional[str] = ..., source: _Optional[str] = ..., account_id: _Optional[str] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., unit: _Optional[str] = ..., started_at: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., unknown_fields: _Optional[_Iterable[str]] = ..., subscriber: _Optional[str] = ..., ended_at: _Optional[str] = ..., duration: _Optional[str] = ..., price: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class RecordUsageRequest(_message.Message):
    __slots__ = ("tenant_id", "records", "file")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    records: _containers.RepeatedCompositeFieldContainer[UsageRecord]
    file: str
    def __init__(self, tenant_id: _Optional[str] = ..., records: _Optional[_Iterable[_Union[UsageRecord, _Mapping]]] = ..., file: _Optional[str] = ...) -> None: ...

class RecordOutcome(_message.Message):
    __slots__ = ("index", "record_id", "outcome", "field", "reason")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    index: int
    record_id: str
    outcome: Outcome
    field: str
    reason: str
    def __init__(self, index: _Optional[int] = ..., record_id: _Optional[str] = ..., outcome: _Optional[_Union[Outcome, str]] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RecordUsageResponse(_message.Message):
    __slots__ = ("batch_id", "accepted", "duplicate", "rejected", "outcomes")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    OUTCOMES_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    accepted: int
    duplicate: int
    rejected: int
    outcomes: _containers.RepeatedCompositeFieldContainer[RecordOutcome]
    def __init__(self, batch_id: _Optional[str] = ..., accepted: _Optional[int] = ..., duplicate: _Optional[int] = ..., rejected: _Optional[int] = ..., outcomes: _Optional[_Iterable[_Union[RecordOutcome, _Mapping]]] = ...) -> None: ...

class ImportHeader(_message.Message):
    __slots__ = ("tenant_id", "format", "source", "file_name", "timezone")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    format: str
    source: str
    file_name: str
    timezone: str
    def __init__(self, tenant_id: _Optional[str] = ..., format: _Optional[str] = ..., source: _Optional[str] = ..., file_name: _Optional[str] = ..., timezone: _Optional[str] = ...) -> None: ...

class ImportFileChunk(_message.Message):
    __slots__ = ("header", "data")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    header: ImportHeader
    data: bytes
    def __init__(self, header: _Optional[_Union[ImportHeader, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class Import(_message.Message):
    __slots__ = ("import_id", "source", "file_name", "format", "status", "bytes", "received", "accepted", "duplicate", "rejected", "error", "started_at", "finished_at")
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FILE_NAME_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    FINISHED_AT_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    source: str
    file_name: str
    format: str
    status: str
    bytes: int
    received: int
    accepted: int
    duplicate: int
    rejected: int
    error: str
    started_at: str
    finished_at: str
    def __init__(self, import_id: _Optional[str] = ..., source: _Optional[str] = ..., file_name: _Optional[str] = ..., format: _Optional[str] = ..., status: _Optional[str] = ..., bytes: _Optional[int] = ..., received: _Optional[int] = ..., accepted: _Optional[int] = ..., duplicate: _Optional[int] = ..., rejected: _Optional[int] = ..., error: _Optional[str] = ..., started_at: _Optional[str] = ..., finished_at: _Optional[str] = ...) -> None: ...

class GetImportRequest(_message.Message):
    __slots__ = ("tenant_id", "import_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    import_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., import_id: _Optional[str] = ...) -> None: ...

class Rejected(_message.Message):
    __slots__ = ("rejection_id", "source", "file", "record_id", "line", "field", "reason", "record_json", "raw", "received_at", "status", "resolved_at")
    REJECTION_ID_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RECORD_JSON_FIELD_NUMBER: _ClassVar[int]
    RAW_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_AT_FIELD_NUMBER: _ClassVar[int]
    rejection_id: str
    source: str
    file: str
    record_id: str
    line: int
    field: str
    reason: str
    record_json: str
    raw: str
    received_at: str
    status: str
    resolved_at: str
    def __init__(self, rejection_id: _Optional[str] = ..., source: _Optional[str] = ..., file: _Optional[str] = ..., record_id: _Optional[str] = ..., line: _Optional[int] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ..., record_json: _Optional[str] = ..., raw: _Optional[str] = ..., received_at: _Optional[str] = ..., status: _Optional[str] = ..., resolved_at: _Optional[str] = ...) -> None: ...

class ListRejectionsRequest(_message.Message):
    __slots__ = ("tenant_id", "status", "source", "file", "reason", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    status: str
    source: str
    file: str
    reason: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., status: _Optional[str] = ..., source: _Optional[str] = ..., file: _Optional[str] = ..., reason: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRejectionsResponse(_message.Message):
    __slots__ = ("rejections", "next_page_token")
    REJECTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    rejections: _containers.RepeatedCompositeFieldContainer[Rejected]
    next_page_token: str
    def __init__(self, rejections: _Optional[_Iterable[_Union[Rejected, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ResubmitRejectionRequest(_message.Message):
    __slots__ = ("tenant_id", "rejection_id", "record")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    REJECTION_ID_FIELD_NUMBER: _ClassVar[int]
    RECORD_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    rejection_id: str
    record: UsageRecord
    def __init__(self, tenant_id: _Optional[str] = ..., rejection_id: _Optional[str] = ..., record: _Optional[_Union[UsageRecord, _Mapping]] = ...) -> None: ...

class ResubmitRejectionResponse(_message.Message):
    __slots__ = ("batch_id", "outcome")
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    batch_id: str
    outcome: RecordOutcome
    def __init__(self, batch_id: _Optional[str] = ..., outcome: _Optional[_Union[RecordOutcome, _Mapping]] = ...) -> None: ...

class GetReconciliationRequest(_message.Message):
    __slots__ = ("tenant_id", "from_day", "to_day", "source", "file")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_DAY_FIELD_NUMBER: _ClassVar[int]
    TO_DAY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    from_day: str
    to_day: str
    source: str
    file: str
    def __init__(self, tenant_id: _Optional[str] = ..., from_day: _Optional[str] = ..., to_day: _Optional[str] = ..., source: _Optional[str] = ..., file: _Optional[str] = ...) -> None: ...

class ReconciliationRow(_message.Message):
    __slots__ = ("source", "file", "day", "received", "accepted", "duplicate", "rejected", "resubmitted", "seconds", "bytes", "messages", "units")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    FILE_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    REJECTED_FIELD_NUMBER: _ClassVar[int]
    RESUBMITTED_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    UNITS_FIELD_NUMBER: _ClassVar[int]
    source: str
    file: str
    day: str
    received: int
    accepted: int
    duplicate: int
    rejected: int
    resubmitted: int
    seconds: str
    bytes: str
    messages: str
    units: str
    def __init__(self, source: _Optional[str] = ..., file: _Optional[str] = ..., day: _Optional[str] = ..., received: _Optional[int] = ..., accepted: _Optional[int] = ..., duplicate: _Optional[int] = ..., rejected: _Optional[int] = ..., resubmitted: _Optional[int] = ..., seconds: _Optional[str] = ..., bytes: _Optional[str] = ..., messages: _Optional[str] = ..., units: _Optional[str] = ...) -> None: ...

class GetReconciliationResponse(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[ReconciliationRow]
    def __init__(self, rows: _Optional[_Iterable[_Union[ReconciliationRow, _Mapping]]] = ...) -> None: ...
