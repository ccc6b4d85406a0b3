from billing.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class RecordPaymentRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id", "amount", "method", "reference", "idempotency_key", "account_id", "payment_method_id", "token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    amount: _common_pb2.Money
    method: str
    reference: str
    idempotency_key: str
    account_id: str
    payment_method_id: str
    token: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., method: _Optional[str] = ..., reference: _Optional[str] = ..., idempotency_key: _Optional[str] = ..., account_id: _Optional[str] = ..., payment_method_id: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class GetPaymentRequest(_message.Message):
    __slots__ = ("tenant_id", "payment_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    payment_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., payment_id: _Optional[str] = ...) -> None: ...

class ListPaymentsRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPaymentsResponse(_message.Message):
    __slots__ = ("payments", "next_page_token")
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[Payment]
    next_page_token: str
    def __init__(self, payments: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class RefundPaymentRequest(_message.Message):
    __slots__ = ("tenant_id", "payment_id", "amount", "reason", "idempotency_key")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    payment_id: str
    amount: _common_pb2.Money
    reason: str
    idempotency_key: str
    def __init__(self, tenant_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class GatewayEventRequest(_message.Message):
    __slots__ = ("provider", "body", "headers")
    class HeadersEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    provider: str
    body: bytes
    headers: _containers.ScalarMap[str, str]
    def __init__(self, provider: _Optional[str] = ..., body: _Optional[bytes] = ..., headers: _Optional[_Mapping[str, str]] = ...) -> None: ...

class GatewayEventReply(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Payment(_message.Message):
    __slots__ = ("payment_id", "invoice_id", "account_id", "amount", "status", "method", "reference", "provider", "provider_ref", "failure_reason", "action_url", "refunded", "created_at")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_REF_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    ACTION_URL_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    invoice_id: str
    account_id: str
    amount: _common_pb2.Money
    status: str
    method: str
    reference: str
    provider: str
    provider_ref: str
    failure_reason: str
    action_url: str
    refunded: _common_pb2.Money
    created_at: str
    def __init__(self, payment_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., account_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., status: _Optional[str] = ..., method: _Optional[str] = ..., reference: _Optional[str] = ..., provider: _Optional[str] = ..., provider_ref: _Optional[str] = ..., failure_reason: _Optional[str] = ..., action_url: _Optional[str] = ..., refunded: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., created_at: _Optional[str] = ...) -> None: ...

class AccountRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class AddPaymentMethodRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "token", "make_default")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    MAKE_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    token: str
    make_default: bool
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., token: _Optional[str] = ..., make_default: _Optional[bool] = ...) -> None: ...

class PaymentMethodRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "payment_method_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    payment_method_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., payment_method_id: _Optional[str] = ...) -> None: ...

class PaymentMethod(_message.Message):
    __slots__ = ("payment_method_id", "provider", "brand", "last4", "exp_month", "exp_year", "is_default")
    PAYMENT_METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    BRAND_FIELD_NUMBER: _ClassVar[int]
    LAST4_FIELD_NUMBER: _ClassVar[int]
    EXP_MONTH_FIELD_NUMBER: _ClassVar[int]
    EXP_YEAR_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    payment_method_id: str
    provider: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    is_default: bool
    def __init__(self, payment_method_id: _Optional[str] = ..., provider: _Optional[str] = ..., brand: _Optional[str] = ..., last4: _Optional[str] = ..., exp_month: _Optional[int] = ..., exp_year: _Optional[int] = ..., is_default: _Optional[bool] = ...) -> None: ...

class Wallet(_message.Message):
    __slots__ = ("account_id", "methods")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    METHODS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    methods: _containers.RepeatedCompositeFieldContainer[PaymentMethod]
    def __init__(self, account_id: _Optional[str] = ..., methods: _Optional[_Iterable[_Union[PaymentMethod, _Mapping]]] = ...) -> None: ...

class OpenInvoice(_message.Message):
    __slots__ = ("invoice_id", "number", "issue_date", "due_date", "total", "paid", "credited", "amount_due")
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAID_FIELD_NUMBER: _ClassVar[int]
    CREDITED_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_DUE_FIELD_NUMBER: _ClassVar[int]
    invoice_id: str
    number: str
    issue_date: str
    due_date: str
    total: _common_pb2.Money
    paid: _common_pb2.Money
    credited: _common_pb2.Money
    amount_due: _common_pb2.Money
    def __init__(self, invoice_id: _Optional[str] = ..., number: _Optional[str] = ..., issue_date: _Optional[str] = ..., due_date: _Optional[str] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., paid: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., credited: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., amount_due: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class JournalEntry(_message.Message):
    __slots__ = ("version", "occurred_at", "kind", "reference", "debit", "credit", "amount")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    DEBIT_FIELD_NUMBER: _ClassVar[int]
    CREDIT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    version: int
    occurred_at: str
    kind: str
    reference: str
    debit: str
    credit: str
    amount: _common_pb2.Money
    def __init__(self, version: _Optional[int] = ..., occurred_at: _Optional[str] = ..., kind: _Optional[str] = ..., reference: _Optional[str] = ..., debit: _Optional[str] = ..., credit: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class AccountBalance(_message.Message):
    __slots__ = ("account", "balance")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    account: str
    balance: _common_pb2.Money
    def __init__(self, account: _Optional[str] = ..., balance: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class Ledger(_message.Message):
    __slots__ = ("account_id", "balance", "credit", "open_invoices", "journal", "accounts", "payments_in_flight")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    CREDIT_FIELD_NUMBER: _ClassVar[int]
    OPEN_INVOICES_FIELD_NUMBER: _ClassVar[int]
    JOURNAL_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    balance: _common_pb2.Money
    credit: _common_pb2.Money
    open_invoices: _containers.RepeatedCompositeFieldContainer[OpenInvoice]
    journal: _containers.RepeatedCompositeFieldContainer[JournalEntry]
    accounts: _containers.RepeatedCompositeFieldContainer[AccountBalance]
    payments_in_flight: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, account_id: _Optional[str] = ..., balance: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., credit: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., open_invoices: _Optional[_Iterable[_Union[OpenInvoice, _Mapping]]] = ..., journal: _Optional[_Iterable[_Union[JournalEntry, _Mapping]]] = ..., accounts: _Optional[_Iterable[_Union[AccountBalance, _Mapping]]] = ..., payments_in_flight: _Optional[_Iterable[str]] = ...) -> None: ...
