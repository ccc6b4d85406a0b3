import datetime

from billing.common.v1 import common_pb2 as _common_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SummarizeUsageRequest(_message.Message):
    __slots__ = ("tenant_id", "account_ids", "period_start", "period_end")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    period_start: _timestamp_pb2.Timestamp
    period_end: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., account_ids: _Optional[_Iterable[str]] = ..., period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class UsageSummary(_message.Message):
    __slots__ = ("account_id", "service_type", "unit", "quantity", "amount", "record_count", "digest")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    service_type: str
    unit: str
    quantity: str
    amount: _common_pb2.Money
    record_count: int
    digest: str
    def __init__(self, account_id: _Optional[str] = ..., service_type: _Optional[str] = ..., unit: _Optional[str] = ..., quantity: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., record_count: _Optional[int] = ..., digest: _Optional[str] = ...) -> None: ...

class SummarizeUsageResponse(_message.Message):
    __slots__ = ("summaries",)
    SUMMARIES_FIELD_NUMBER: _ClassVar[int]
    summaries: _containers.RepeatedCompositeFieldContainer[UsageSummary]
    def __init__(self, summaries: _Optional[_Iterable[_Union[UsageSummary, _Mapping]]] = ...) -> None: ...

class CutUsageRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class UsageCut(_message.Message):
    __slots__ = ("watermark",)
    WATERMARK_FIELD_NUMBER: _ClassVar[int]
    watermark: int
    def __init__(self, watermark: _Optional[int] = ...) -> None: ...

class UsageSelection(_message.Message):
    __slots__ = ("account_id", "period_start", "period_end", "previous_watermark", "watermark")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_WATERMARK_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    period_start: _timestamp_pb2.Timestamp
    period_end: _timestamp_pb2.Timestamp
    previous_watermark: int
    watermark: int
    def __init__(self, account_id: _Optional[str] = ..., period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., previous_watermark: _Optional[int] = ..., watermark: _Optional[int] = ...) -> None: ...

class SummarizeBillingRequest(_message.Message):
    __slots__ = ("tenant_id", "selections")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SELECTIONS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    selections: _containers.RepeatedCompositeFieldContainer[UsageSelection]
    def __init__(self, tenant_id: _Optional[str] = ..., selections: _Optional[_Iterable[_Union[UsageSelection, _Mapping]]] = ...) -> None: ...

class BillingGroup(_message.Message):
    __slots__ = ("account_id", "period_kind", "service_type", "destination_class", "unit", "quantity", "amount", "record_count", "digest", "first_started_at", "last_started_at")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_CLASS_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    FIRST_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    period_kind: str
    service_type: str
    destination_class: str
    unit: str
    quantity: str
    amount: _common_pb2.Money
    record_count: int
    digest: str
    first_started_at: _timestamp_pb2.Timestamp
    last_started_at: _timestamp_pb2.Timestamp
    def __init__(self, account_id: _Optional[str] = ..., period_kind: _Optional[str] = ..., service_type: _Optional[str] = ..., destination_class: _Optional[str] = ..., unit: _Optional[str] = ..., quantity: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., record_count: _Optional[int] = ..., digest: _Optional[str] = ..., first_started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_started_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class SummarizeBillingResponse(_message.Message):
    __slots__ = ("groups",)
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[BillingGroup]
    def __init__(self, groups: _Optional[_Iterable[_Union[BillingGroup, _Mapping]]] = ...) -> None: ...

class ListLinePartsRequest(_message.Message):
    __slots__ = ("tenant_id", "selection", "period_kind", "service_type", "destination_class", "page_size", "page_token", "explain")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_CLASS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    EXPLAIN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    selection: UsageSelection
    period_kind: str
    service_type: str
    destination_class: str
    page_size: int
    page_token: str
    explain: bool
    def __init__(self, tenant_id: _Optional[str] = ..., selection: _Optional[_Union[UsageSelection, _Mapping]] = ..., period_kind: _Optional[str] = ..., service_type: _Optional[str] = ..., destination_class: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., explain: _Optional[bool] = ...) -> None: ...

class RederiveUsageRequest(_message.Message):
    __slots__ = ("tenant_id", "selection")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    selection: UsageSelection
    def __init__(self, tenant_id: _Optional[str] = ..., selection: _Optional[_Union[UsageSelection, _Mapping]] = ...) -> None: ...

class RederivedGroup(_message.Message):
    __slots__ = ("period_kind", "service_type", "destination_class", "stored_amount", "rederived_amount", "record_count", "digest")
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_CLASS_FIELD_NUMBER: _ClassVar[int]
    STORED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REDERIVED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    period_kind: str
    service_type: str
    destination_class: str
    stored_amount: _common_pb2.Money
    rederived_amount: _common_pb2.Money
    record_count: int
    digest: str
    def __init__(self, period_kind: _Optional[str] = ..., service_type: _Optional[str] = ..., destination_class: _Optional[str] = ..., stored_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., rederived_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., record_count: _Optional[int] = ..., digest: _Optional[str] = ...) -> None: ...

class RederiveUsageResponse(_message.Message):
    __slots__ = ("groups", "matches")
    GROUPS_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    groups: _containers.RepeatedCompositeFieldContainer[RederivedGroup]
    matches: bool
    def __init__(self, groups: _Optional[_Iterable[_Union[RederivedGroup, _Mapping]]] = ..., matches: _Optional[bool] = ...) -> None: ...

class TariffVersionInfo(_message.Message):
    __slots__ = ("version", "effective_from", "definition_digest")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_DIGEST_FIELD_NUMBER: _ClassVar[int]
    version: int
    effective_from: str
    definition_digest: str
    def __init__(self, version: _Optional[int] = ..., effective_from: _Optional[str] = ..., definition_digest: _Optional[str] = ...) -> None: ...

class RatePlan(_message.Message):
    __slots__ = ("rate_plan_id", "name", "currency", "versions")
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    VERSIONS_FIELD_NUMBER: _ClassVar[int]
    rate_plan_id: str
    name: str
    currency: str
    versions: _containers.RepeatedCompositeFieldContainer[TariffVersionInfo]
    def __init__(self, rate_plan_id: _Optional[str] = ..., name: _Optional[str] = ..., currency: _Optional[str] = ..., versions: _Optional[_Iterable[_Union[TariffVersionInfo, _Mapping]]] = ...) -> None: ...

class CreateRatePlanRequest(_message.Message):
    __slots__ = ("tenant_id", "name", "currency")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    name: str
    currency: str
    def __init__(self, tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., currency: _Optional[str] = ...) -> None: ...

class PublishTariffVersionRequest(_message.Message):
    __slots__ = ("tenant_id", "rate_plan_id", "effective_from", "definition_json")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_JSON_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    rate_plan_id: str
    effective_from: str
    definition_json: str
    def __init__(self, tenant_id: _Optional[str] = ..., rate_plan_id: _Optional[str] = ..., effective_from: _Optional[str] = ..., definition_json: _Optional[str] = ...) -> None: ...

class PublishTariffVersionResponse(_message.Message):
    __slots__ = ("rate_plan", "version")
    RATE_PLAN_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    rate_plan: RatePlan
    version: int
    def __init__(self, rate_plan: _Optional[_Union[RatePlan, _Mapping]] = ..., version: _Optional[int] = ...) -> None: ...

class ImportDestinationsHeader(_message.Message):
    __slots__ = ("tenant_id", "rate_plan_id", "effective_from", "service_type")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    rate_plan_id: str
    effective_from: str
    service_type: str
    def __init__(self, tenant_id: _Optional[str] = ..., rate_plan_id: _Optional[str] = ..., effective_from: _Optional[str] = ..., service_type: _Optional[str] = ...) -> None: ...

class ImportDestinationsChunk(_message.Message):
    __slots__ = ("header", "data")
    HEADER_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    header: ImportDestinationsHeader
    data: bytes
    def __init__(self, header: _Optional[_Union[ImportDestinationsHeader, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class DestinationRowError(_message.Message):
    __slots__ = ("line", "field", "reason")
    LINE_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    line: int
    field: str
    reason: str
    def __init__(self, line: _Optional[int] = ..., field: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class ImportDestinationsResponse(_message.Message):
    __slots__ = ("rate_plan", "version", "rows", "bytes", "errors", "error_count")
    RATE_PLAN_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    BYTES_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    ERROR_COUNT_FIELD_NUMBER: _ClassVar[int]
    rate_plan: RatePlan
    version: int
    rows: int
    bytes: int
    errors: _containers.RepeatedCompositeFieldContainer[DestinationRowError]
    error_count: int
    def __init__(self, rate_plan: _Optional[_Union[RatePlan, _Mapping]] = ..., version: _Optional[int] = ..., rows: _Optional[int] = ..., bytes: _Optional[int] = ..., errors: _Optional[_Iterable[_Union[DestinationRowError, _Mapping]]] = ..., error_count: _Optional[int] = ...) -> None: ...

class GetRatePlanRequest(_message.Message):
    __slots__ = ("tenant_id", "rate_plan_id", "as_of")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    rate_plan_id: str
    as_of: str
    def __init__(self, tenant_id: _Optional[str] = ..., rate_plan_id: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class GetRatePlanResponse(_message.Message):
    __slots__ = ("rate_plan", "in_effect", "definition_json")
    RATE_PLAN_FIELD_NUMBER: _ClassVar[int]
    IN_EFFECT_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_JSON_FIELD_NUMBER: _ClassVar[int]
    rate_plan: RatePlan
    in_effect: TariffVersionInfo
    definition_json: str
    def __init__(self, rate_plan: _Optional[_Union[RatePlan, _Mapping]] = ..., in_effect: _Optional[_Union[TariffVersionInfo, _Mapping]] = ..., definition_json: _Optional[str] = ...) -> None: ...

class ListRatePlansRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class RatePlanSummary(_message.Message):
    __slots__ = ("rate_plan_id", "name", "currency", "latest_version", "latest_effective_from")
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    LATEST_EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    rate_plan_id: str
    name: str
    currency: str
    latest_version: int
    latest_effective_from: str
    def __init__(self, rate_plan_id: _Optional[str] = ..., name: _Optional[str] = ..., currency: _Optional[str] = ..., latest_version: _Optional[int] = ..., latest_effective_from: _Optional[str] = ...) -> None: ...

class ListRatePlansResponse(_message.Message):
    __slots__ = ("rate_plans",)
    RATE_PLANS_FIELD_NUMBER: _ClassVar[int]
    rate_plans: _containers.RepeatedCompositeFieldContainer[RatePlanSummary]
    def __init__(self, rate_plans: _Optional[_Iterable[_Union[RatePlanSummary, _Mapping]]] = ...) -> None: ...

class QuoteRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "service_type", "quantity", "destination", "started_at")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    service_type: str
    quantity: str
    destination: str
    started_at: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., destination: _Optional[str] = ..., started_at: _Optional[str] = ...) -> None: ...

class QuotedPart(_message.Message):
    __slots__ = ("part", "quantity", "billed_quantity", "amount", "band", "destination_prefix", "destination_name", "allowance", "explanation")
    PART_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    BILLED_QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_PREFIX_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_NAME_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCE_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    part: int
    quantity: str
    billed_quantity: str
    amount: _common_pb2.Money
    band: str
    destination_prefix: str
    destination_name: str
    allowance: str
    explanation: str
    def __init__(self, part: _Optional[int] = ..., quantity: _Optional[str] = ..., billed_quantity: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., band: _Optional[str] = ..., destination_prefix: _Optional[str] = ..., destination_name: _Optional[str] = ..., allowance: _Optional[str] = ..., explanation: _Optional[str] = ...) -> None: ...

class AllowanceRemaining(_message.Message):
    __slots__ = ("name", "before", "after")
    NAME_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    name: str
    before: str
    after: str
    def __init__(self, name: _Optional[str] = ..., before: _Optional[str] = ..., after: _Optional[str] = ...) -> None: ...

class QuoteResponse(_message.Message):
    __slots__ = ("parts", "total", "allowances", "rate_plan_id", "tariff_version")
    PARTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCES_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TARIFF_VERSION_FIELD_NUMBER: _ClassVar[int]
    parts: _containers.RepeatedCompositeFieldContainer[QuotedPart]
    total: _common_pb2.Money
    allowances: _containers.RepeatedCompositeFieldContainer[AllowanceRemaining]
    rate_plan_id: str
    tariff_version: int
    def __init__(self, parts: _Optional[_Iterable[_Union[QuotedPart, _Mapping]]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., allowances: _Optional[_Iterable[_Union[AllowanceRemaining, _Mapping]]] = ..., rate_plan_id: _Optional[str] = ..., tariff_version: _Optional[int] = ...) -> None: ...

class ListRatedRecordsRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "start", "end", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    start: _timestamp_pb2.Timestamp
    end: _timestamp_pb2.Timestamp
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class RatedPart(_message.Message):
    __slots__ = ("source", "record_id", "part", "service_type", "quantity", "unit", "started_at", "amount", "rate_plan_id", "tariff_version", "band", "destination_prefix", "allowance", "pre_rated", "explanation", "destination_class", "seq", "destination", "destination_display", "record_quantity", "plan_id", "rate_plan_name", "pricing")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TARIFF_VERSION_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_PREFIX_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCE_FIELD_NUMBER: _ClassVar[int]
    PRE_RATED_FIELD_NUMBER: _ClassVar[int]
    EXPLANATION_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_CLASS_FIELD_NUMBER: _ClassVar[int]
    SEQ_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_DISPLAY_FIELD_NUMBER: _ClassVar[int]
    RECORD_QUANTITY_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    PRICING_FIELD_NUMBER: _ClassVar[int]
    source: str
    record_id: str
    part: int
    service_type: str
    quantity: str
    unit: str
    started_at: str
    amount: _common_pb2.Money
    rate_plan_id: str
    tariff_version: int
    band: str
    destination_prefix: str
    allowance: str
    pre_rated: bool
    explanation: str
    destination_class: str
    seq: int
    destination: str
    destination_display: str
    record_quantity: str
    plan_id: str
    rate_plan_name: str
    pricing: PartPricing
    def __init__(self, source: _Optional[str] = ..., record_id: _Optional[str] = ..., part: _Optional[int] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., unit: _Optional[str] = ..., started_at: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., rate_plan_id: _Optional[str] = ..., tariff_version: _Optional[int] = ..., band: _Optional[str] = ..., destination_prefix: _Optional[str] = ..., allowance: _Optional[str] = ..., pre_rated: _Optional[bool] = ..., explanation: _Optional[str] = ..., destination_class: _Optional[str] = ..., seq: _Optional[int] = ..., destination: _Optional[str] = ..., destination_display: _Optional[str] = ..., record_quantity: _Optional[str] = ..., plan_id: _Optional[str] = ..., rate_plan_name: _Optional[str] = ..., pricing: _Optional[_Union[PartPricing, _Mapping]] = ...) -> None: ...

class PartPricing(_message.Message):
    __slots__ = ("basis", "billed_quantity", "rate", "rate_unit", "first_increment", "next_increment", "connect_fee", "minimum_charge", "whole_call", "minimum_applied", "session_rounding_bytes", "tier_mode", "unit_size")
    BASIS_FIELD_NUMBER: _ClassVar[int]
    BILLED_QUANTITY_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    RATE_UNIT_FIELD_NUMBER: _ClassVar[int]
    FIRST_INCREMENT_FIELD_NUMBER: _ClassVar[int]
    NEXT_INCREMENT_FIELD_NUMBER: _ClassVar[int]
    CONNECT_FEE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_CHARGE_FIELD_NUMBER: _ClassVar[int]
    WHOLE_CALL_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_APPLIED_FIELD_NUMBER: _ClassVar[int]
    SESSION_ROUNDING_BYTES_FIELD_NUMBER: _ClassVar[int]
    TIER_MODE_FIELD_NUMBER: _ClassVar[int]
    UNIT_SIZE_FIELD_NUMBER: _ClassVar[int]
    basis: str
    billed_quantity: str
    rate: str
    rate_unit: str
    first_increment: int
    next_increment: int
    connect_fee: str
    minimum_charge: str
    whole_call: bool
    minimum_applied: bool
    session_rounding_bytes: int
    tier_mode: str
    unit_size: str
    def __init__(self, basis: _Optional[str] = ..., billed_quantity: _Optional[str] = ..., rate: _Optional[str] = ..., rate_unit: _Optional[str] = ..., first_increment: _Optional[int] = ..., next_increment: _Optional[int] = ..., connect_fee: _Optional[str] = ..., minimum_charge: _Optional[str] = ..., whole_call: _Optional[bool] = ..., minimum_applied: _Optional[bool] = ..., session_rounding_bytes: _Optional[int] = ..., tier_mode: _Optional[str] = ..., unit_size: _Optional[str] = ...) -> None: ...

class DescribeAllowancesRequest(_message.Message):
    __slots__ = ("tenant_id", "selection", "timezone")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SELECTION_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    selection: UsageSelection
    timezone: str
    def __init__(self, tenant_id: _Optional[str] = ..., selection: _Optional[_Union[UsageSelection, _Mapping]] = ..., timezone: _Optional[str] = ...) -> None: ...

class AllowanceUse(_message.Message):
    __slots__ = ("cycle_start", "name", "service_type", "included", "used", "exhausted_at", "exhausted_by_source", "exhausted_by_record_id", "rate_plan_id", "rate_plan_name", "tariff_version", "prefixes", "display_unit", "display_unit_size")
    CYCLE_START_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    INCLUDED_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    EXHAUSTED_AT_FIELD_NUMBER: _ClassVar[int]
    EXHAUSTED_BY_SOURCE_FIELD_NUMBER: _ClassVar[int]
    EXHAUSTED_BY_RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    TARIFF_VERSION_FIELD_NUMBER: _ClassVar[int]
    PREFIXES_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_UNIT_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_UNIT_SIZE_FIELD_NUMBER: _ClassVar[int]
    cycle_start: str
    name: str
    service_type: str
    included: str
    used: str
    exhausted_at: str
    exhausted_by_source: str
    exhausted_by_record_id: str
    rate_plan_id: str
    rate_plan_name: str
    tariff_version: int
    prefixes: _containers.RepeatedScalarFieldContainer[str]
    display_unit: str
    display_unit_size: str
    def __init__(self, cycle_start: _Optional[str] = ..., name: _Optional[str] = ..., service_type: _Optional[str] = ..., included: _Optional[str] = ..., used: _Optional[str] = ..., exhausted_at: _Optional[str] = ..., exhausted_by_source: _Optional[str] = ..., exhausted_by_record_id: _Optional[str] = ..., rate_plan_id: _Optional[str] = ..., rate_plan_name: _Optional[str] = ..., tariff_version: _Optional[int] = ..., prefixes: _Optional[_Iterable[str]] = ..., display_unit: _Optional[str] = ..., display_unit_size: _Optional[str] = ...) -> None: ...

class DescribeAllowancesResponse(_message.Message):
    __slots__ = ("allowances",)
    ALLOWANCES_FIELD_NUMBER: _ClassVar[int]
    allowances: _containers.RepeatedCompositeFieldContainer[AllowanceUse]
    def __init__(self, allowances: _Optional[_Iterable[_Union[AllowanceUse, _Mapping]]] = ...) -> None: ...

class ListRatedRecordsResponse(_message.Message):
    __slots__ = ("parts", "next_page_token")
    PARTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    parts: _containers.RepeatedCompositeFieldContainer[RatedPart]
    next_page_token: str
    def __init__(self, parts: _Optional[_Iterable[_Union[RatedPart, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListUnratedRecordsRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "reason", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    reason: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., reason: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class UnratedRecord(_message.Message):
    __slots__ = ("source", "record_id", "account_id", "service_type", "quantity", "started_at", "reason", "rerated_at")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    RERATED_AT_FIELD_NUMBER: _ClassVar[int]
    source: str
    record_id: str
    account_id: str
    service_type: str
    quantity: str
    started_at: str
    reason: str
    rerated_at: str
    def __init__(self, source: _Optional[str] = ..., record_id: _Optional[str] = ..., account_id: _Optional[str] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., started_at: _Optional[str] = ..., reason: _Optional[str] = ..., rerated_at: _Optional[str] = ...) -> None: ...

class ListUnratedRecordsResponse(_message.Message):
    __slots__ = ("records", "next_page_token")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[UnratedRecord]
    next_page_token: str
    def __init__(self, records: _Optional[_Iterable[_Union[UnratedRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CountUnratedRecordsRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "period_start", "period_end")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    period_start: _timestamp_pb2.Timestamp
    period_end: _timestamp_pb2.Timestamp
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., period_start: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., period_end: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CountUnratedRecordsResponse(_message.Message):
    __slots__ = ("by_reason", "total")
    class ByReasonEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    BY_REASON_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    by_reason: _containers.ScalarMap[str, int]
    total: int
    def __init__(self, by_reason: _Optional[_Mapping[str, int]] = ..., total: _Optional[int] = ...) -> None: ...

class RerateRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "period_start", "period_end")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    period_start: str
    period_end: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ...) -> None: ...

class RerateResponse(_message.Message):
    __slots__ = ("cycles", "records", "adjusted", "newly_rated", "difference")
    CYCLES_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    ADJUSTED_FIELD_NUMBER: _ClassVar[int]
    NEWLY_RATED_FIELD_NUMBER: _ClassVar[int]
    DIFFERENCE_FIELD_NUMBER: _ClassVar[int]
    cycles: _containers.RepeatedScalarFieldContainer[str]
    records: int
    adjusted: int
    newly_rated: int
    difference: str
    def __init__(self, cycles: _Optional[_Iterable[str]] = ..., records: _Optional[int] = ..., adjusted: _Optional[int] = ..., newly_rated: _Optional[int] = ..., difference: _Optional[str] = ...) -> None: ...
