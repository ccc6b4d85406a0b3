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

class UsageRecord(_message.Message):
    __slots__ = ("record_id", "source", "account_id", "service_type", "quantity", "unit", "started_at", "attributes", "unknown_fields")
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
    record_id: str
    source: str
    account_id: str
    service_type: str
    quantity: str
    unit: str
    started_at: str
    attributes: _containers.ScalarMap[str, str]
    unknown_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, record_id: _Optional[str] = ..., source: _Optional[str] = ..., account_id: _Optional[str] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., unit: _Optional[str] = ..., started_at: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., unknown_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class RecordUsageRequest(_message.Message):
    __slots__ = ("tenant_id", "records")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    records: _containers.RepeatedCompositeFieldContainer[UsageRecord]
    def __init__(self, tenant_id: _Optional[str] = ..., records: _Optional[_Iterable[_Union[UsageRecord, _Mapping]]] = ...) -> None: ...

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
