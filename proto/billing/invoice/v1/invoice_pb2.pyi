from billing.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UsagePrice(_message.Message):
    __slots__ = ("service_type", "unit", "unit_price")
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    service_type: str
    unit: str
    unit_price: str
    def __init__(self, service_type: _Optional[str] = ..., unit: _Optional[str] = ..., unit_price: _Optional[str] = ...) -> None: ...

class CreatePlanRequest(_message.Message):
    __slots__ = ("tenant_id", "name", "currency", "recurring_fee", "usage_prices", "rate_plan_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECURRING_FEE_FIELD_NUMBER: _ClassVar[int]
    USAGE_PRICES_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    name: str
    currency: str
    recurring_fee: str
    usage_prices: _containers.RepeatedCompositeFieldContainer[UsagePrice]
    rate_plan_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., currency: _Optional[str] = ..., recurring_fee: _Optional[str] = ..., usage_prices: _Optional[_Iterable[_Union[UsagePrice, _Mapping]]] = ..., rate_plan_id: _Optional[str] = ...) -> None: ...

class GetPlanRequest(_message.Message):
    __slots__ = ("tenant_id", "plan_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    plan_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., plan_id: _Optional[str] = ...) -> None: ...

class Plan(_message.Message):
    __slots__ = ("plan_id", "name", "currency", "recurring_fee", "usage_prices", "rate_plan_id")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    RECURRING_FEE_FIELD_NUMBER: _ClassVar[int]
    USAGE_PRICES_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    name: str
    currency: str
    recurring_fee: _common_pb2.Money
    usage_prices: _containers.RepeatedCompositeFieldContainer[UsagePrice]
    rate_plan_id: str
    def __init__(self, plan_id: _Optional[str] = ..., name: _Optional[str] = ..., currency: _Optional[str] = ..., recurring_fee: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., usage_prices: _Optional[_Iterable[_Union[UsagePrice, _Mapping]]] = ..., rate_plan_id: _Optional[str] = ...) -> None: ...

class OpenAccountRequest(_message.Message):
    __slots__ = ("tenant_id", "name", "billing_email", "plan_id", "timezone", "currency", "identities")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BILLING_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    name: str
    billing_email: str
    plan_id: str
    timezone: str
    currency: str
    identities: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., billing_email: _Optional[str] = ..., plan_id: _Optional[str] = ..., timezone: _Optional[str] = ..., currency: _Optional[str] = ..., identities: _Optional[_Iterable[str]] = ...) -> None: ...

class GetAccountRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class Account(_message.Message):
    __slots__ = ("account_id", "name", "billing_email", "currency", "plan_id", "timezone", "status", "identities")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BILLING_EMAIL_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    name: str
    billing_email: str
    currency: str
    plan_id: str
    timezone: str
    status: str
    identities: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, account_id: _Optional[str] = ..., name: _Optional[str] = ..., billing_email: _Optional[str] = ..., currency: _Optional[str] = ..., plan_id: _Optional[str] = ..., timezone: _Optional[str] = ..., status: _Optional[str] = ..., identities: _Optional[_Iterable[str]] = ...) -> None: ...

class AssignIdentityRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "identity")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    identity: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., identity: _Optional[str] = ...) -> None: ...

class ReleaseIdentityRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "identity")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    identity: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., identity: _Optional[str] = ...) -> None: ...

class ResolveIdentitiesRequest(_message.Message):
    __slots__ = ("tenant_id", "identities")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    identities: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tenant_id: _Optional[str] = ..., identities: _Optional[_Iterable[str]] = ...) -> None: ...

class ResolvedIdentity(_message.Message):
    __slots__ = ("identity", "account_id")
    IDENTITY_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    identity: str
    account_id: str
    def __init__(self, identity: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class ResolveIdentitiesResponse(_message.Message):
    __slots__ = ("resolved", "unknown")
    RESOLVED_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_FIELD_NUMBER: _ClassVar[int]
    resolved: _containers.RepeatedCompositeFieldContainer[ResolvedIdentity]
    unknown: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, resolved: _Optional[_Iterable[_Union[ResolvedIdentity, _Mapping]]] = ..., unknown: _Optional[_Iterable[str]] = ...) -> None: ...

class GetRatingContextRequest(_message.Message):
    __slots__ = ("tenant_id", "account_ids")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, tenant_id: _Optional[str] = ..., account_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class RatingContext(_message.Message):
    __slots__ = ("account_id", "plan_id", "currency", "usage_prices", "rate_plan_id", "timezone")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    USAGE_PRICES_FIELD_NUMBER: _ClassVar[int]
    RATE_PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    plan_id: str
    currency: str
    usage_prices: _containers.RepeatedCompositeFieldContainer[UsagePrice]
    rate_plan_id: str
    timezone: str
    def __init__(self, account_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., currency: _Optional[str] = ..., usage_prices: _Optional[_Iterable[_Union[UsagePrice, _Mapping]]] = ..., rate_plan_id: _Optional[str] = ..., timezone: _Optional[str] = ...) -> None: ...

class GetRatingContextResponse(_message.Message):
    __slots__ = ("contexts", "unknown_account_ids")
    CONTEXTS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_ACCOUNT_IDS_FIELD_NUMBER: _ClassVar[int]
    contexts: _containers.RepeatedCompositeFieldContainer[RatingContext]
    unknown_account_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, contexts: _Optional[_Iterable[_Union[RatingContext, _Mapping]]] = ..., unknown_account_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class RunBillingRequest(_message.Message):
    __slots__ = ("tenant_id", "period_start", "period_end")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    period_start: str
    period_end: str
    def __init__(self, tenant_id: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ...) -> None: ...

class BillRun(_message.Message):
    __slots__ = ("bill_run_id", "period_start", "period_end", "status", "invoices_created", "invoices_already_present", "invoice_ids")
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INVOICES_CREATED_FIELD_NUMBER: _ClassVar[int]
    INVOICES_ALREADY_PRESENT_FIELD_NUMBER: _ClassVar[int]
    INVOICE_IDS_FIELD_NUMBER: _ClassVar[int]
    bill_run_id: str
    period_start: str
    period_end: str
    status: str
    invoices_created: int
    invoices_already_present: int
    invoice_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, bill_run_id: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., status: _Optional[str] = ..., invoices_created: _Optional[int] = ..., invoices_already_present: _Optional[int] = ..., invoice_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class InvoiceLine(_message.Message):
    __slots__ = ("kind", "description", "service_type", "quantity", "unit", "amount", "record_count", "digest")
    KIND_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    kind: str
    description: str
    service_type: str
    quantity: str
    unit: str
    amount: _common_pb2.Money
    record_count: int
    digest: str
    def __init__(self, kind: _Optional[str] = ..., description: _Optional[str] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., unit: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., record_count: _Optional[int] = ..., digest: _Optional[str] = ...) -> None: ...

class Invoice(_message.Message):
    __slots__ = ("invoice_id", "account_id", "number", "status", "period_start", "period_end", "lines", "total", "amount_paid", "amount_due", "billing_email", "account_name", "finalized_at")
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_PAID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_DUE_FIELD_NUMBER: _ClassVar[int]
    BILLING_EMAIL_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    FINALIZED_AT_FIELD_NUMBER: _ClassVar[int]
    invoice_id: str
    account_id: str
    number: str
    status: str
    period_start: str
    period_end: str
    lines: _containers.RepeatedCompositeFieldContainer[InvoiceLine]
    total: _common_pb2.Money
    amount_paid: _common_pb2.Money
    amount_due: _common_pb2.Money
    billing_email: str
    account_name: str
    finalized_at: str
    def __init__(self, invoice_id: _Optional[str] = ..., account_id: _Optional[str] = ..., number: _Optional[str] = ..., status: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[InvoiceLine, _Mapping]]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., amount_paid: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., amount_due: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., billing_email: _Optional[str] = ..., account_name: _Optional[str] = ..., finalized_at: _Optional[str] = ...) -> None: ...

class GetInvoiceRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ...) -> None: ...

class ListInvoicesRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class ListInvoicesResponse(_message.Message):
    __slots__ = ("invoices",)
    INVOICES_FIELD_NUMBER: _ClassVar[int]
    invoices: _containers.RepeatedCompositeFieldContainer[Invoice]
    def __init__(self, invoices: _Optional[_Iterable[_Union[Invoice, _Mapping]]] = ...) -> None: ...
