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
    __slots__ = ("tenant_id", "name", "billing_email", "plan_id", "timezone", "currency", "identities", "details", "bill_cycle_day", "parent_account_id", "start_date")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BILLING_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    BILL_CYCLE_DAY_FIELD_NUMBER: _ClassVar[int]
    PARENT_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    name: str
    billing_email: str
    plan_id: str
    timezone: str
    currency: str
    identities: _containers.RepeatedScalarFieldContainer[str]
    details: BillingDetails
    bill_cycle_day: int
    parent_account_id: str
    start_date: str
    def __init__(self, tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., billing_email: _Optional[str] = ..., plan_id: _Optional[str] = ..., timezone: _Optional[str] = ..., currency: _Optional[str] = ..., identities: _Optional[_Iterable[str]] = ..., details: _Optional[_Union[BillingDetails, _Mapping]] = ..., bill_cycle_day: _Optional[int] = ..., parent_account_id: _Optional[str] = ..., start_date: _Optional[str] = ...) -> None: ...

class BillingDetails(_message.Message):
    __slots__ = ("address_lines", "locale", "tax_region", "tax_id", "itemised_invoices")
    ADDRESS_LINES_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    TAX_REGION_FIELD_NUMBER: _ClassVar[int]
    TAX_ID_FIELD_NUMBER: _ClassVar[int]
    ITEMISED_INVOICES_FIELD_NUMBER: _ClassVar[int]
    address_lines: _containers.RepeatedScalarFieldContainer[str]
    locale: str
    tax_region: str
    tax_id: str
    itemised_invoices: bool
    def __init__(self, address_lines: _Optional[_Iterable[str]] = ..., locale: _Optional[str] = ..., tax_region: _Optional[str] = ..., tax_id: _Optional[str] = ..., itemised_invoices: _Optional[bool] = ...) -> None: ...

class GetAccountRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class Account(_message.Message):
    __slots__ = ("account_id", "name", "billing_email", "currency", "plan_id", "timezone", "status", "identities", "details", "bill_cycle_day", "parent_account_id", "closed_on", "current_cycle_start", "current_cycle_end")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BILLING_EMAIL_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IDENTITIES_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    BILL_CYCLE_DAY_FIELD_NUMBER: _ClassVar[int]
    PARENT_ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CLOSED_ON_FIELD_NUMBER: _ClassVar[int]
    CURRENT_CYCLE_START_FIELD_NUMBER: _ClassVar[int]
    CURRENT_CYCLE_END_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    name: str
    billing_email: str
    currency: str
    plan_id: str
    timezone: str
    status: str
    identities: _containers.RepeatedScalarFieldContainer[str]
    details: BillingDetails
    bill_cycle_day: int
    parent_account_id: str
    closed_on: str
    current_cycle_start: str
    current_cycle_end: str
    def __init__(self, account_id: _Optional[str] = ..., name: _Optional[str] = ..., billing_email: _Optional[str] = ..., currency: _Optional[str] = ..., plan_id: _Optional[str] = ..., timezone: _Optional[str] = ..., status: _Optional[str] = ..., identities: _Optional[_Iterable[str]] = ..., details: _Optional[_Union[BillingDetails, _Mapping]] = ..., bill_cycle_day: _Optional[int] = ..., parent_account_id: _Optional[str] = ..., closed_on: _Optional[str] = ..., current_cycle_start: _Optional[str] = ..., current_cycle_end: _Optional[str] = ...) -> None: ...

class UpdateBillingDetailsRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "name", "billing_email", "details")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    BILLING_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    name: str
    billing_email: str
    details: BillingDetails
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., name: _Optional[str] = ..., billing_email: _Optional[str] = ..., details: _Optional[_Union[BillingDetails, _Mapping]] = ...) -> None: ...

class ChangeAccountStatusRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "action", "effective_date", "reason")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    action: str
    effective_date: str
    reason: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., action: _Optional[str] = ..., effective_date: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class AddChargeRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "charge_id", "description", "amount", "charge_date")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CHARGE_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CHARGE_DATE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    charge_id: str
    description: str
    amount: _common_pb2.Money
    charge_date: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., charge_id: _Optional[str] = ..., description: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., charge_date: _Optional[str] = ...) -> None: ...

class Charge(_message.Message):
    __slots__ = ("charge_id", "account_id", "description", "amount", "charge_date")
    CHARGE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CHARGE_DATE_FIELD_NUMBER: _ClassVar[int]
    charge_id: str
    account_id: str
    description: str
    amount: _common_pb2.Money
    charge_date: str
    def __init__(self, charge_id: _Optional[str] = ..., account_id: _Optional[str] = ..., description: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., charge_date: _Optional[str] = ...) -> None: ...

class SubscribeRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "plan_id", "start_date")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    plan_id: str
    start_date: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., start_date: _Optional[str] = ...) -> None: ...

class ChangePlanRequest(_message.Message):
    __slots__ = ("tenant_id", "subscription_id", "plan_id", "effective_date")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_DATE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    subscription_id: str
    plan_id: str
    effective_date: str
    def __init__(self, tenant_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., effective_date: _Optional[str] = ...) -> None: ...

class CancelSubscriptionRequest(_message.Message):
    __slots__ = ("tenant_id", "subscription_id", "end_date")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    subscription_id: str
    end_date: str
    def __init__(self, tenant_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., end_date: _Optional[str] = ...) -> None: ...

class AddDiscountRequest(_message.Message):
    __slots__ = ("tenant_id", "subscription_id", "kind", "value", "cycles", "description")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CYCLES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    subscription_id: str
    kind: str
    value: str
    cycles: int
    description: str
    def __init__(self, tenant_id: _Optional[str] = ..., subscription_id: _Optional[str] = ..., kind: _Optional[str] = ..., value: _Optional[str] = ..., cycles: _Optional[int] = ..., description: _Optional[str] = ...) -> None: ...

class ListSubscriptionsRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class PlanSegment(_message.Message):
    __slots__ = ("plan_id", "plan_name", "recurring_fee", "start", "end")
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    RECURRING_FEE_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    plan_id: str
    plan_name: str
    recurring_fee: _common_pb2.Money
    start: str
    end: str
    def __init__(self, plan_id: _Optional[str] = ..., plan_name: _Optional[str] = ..., recurring_fee: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., start: _Optional[str] = ..., end: _Optional[str] = ...) -> None: ...

class Discount(_message.Message):
    __slots__ = ("discount_id", "kind", "value", "cycles", "description", "first_cycle_start")
    DISCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CYCLES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    FIRST_CYCLE_START_FIELD_NUMBER: _ClassVar[int]
    discount_id: str
    kind: str
    value: str
    cycles: int
    description: str
    first_cycle_start: str
    def __init__(self, discount_id: _Optional[str] = ..., kind: _Optional[str] = ..., value: _Optional[str] = ..., cycles: _Optional[int] = ..., description: _Optional[str] = ..., first_cycle_start: _Optional[str] = ...) -> None: ...

class Subscription(_message.Message):
    __slots__ = ("subscription_id", "account_id", "plan_id", "start_date", "end_date", "status", "segments", "discounts")
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ID_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SEGMENTS_FIELD_NUMBER: _ClassVar[int]
    DISCOUNTS_FIELD_NUMBER: _ClassVar[int]
    subscription_id: str
    account_id: str
    plan_id: str
    start_date: str
    end_date: str
    status: str
    segments: _containers.RepeatedCompositeFieldContainer[PlanSegment]
    discounts: _containers.RepeatedCompositeFieldContainer[Discount]
    def __init__(self, subscription_id: _Optional[str] = ..., account_id: _Optional[str] = ..., plan_id: _Optional[str] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., status: _Optional[str] = ..., segments: _Optional[_Iterable[_Union[PlanSegment, _Mapping]]] = ..., discounts: _Optional[_Iterable[_Union[Discount, _Mapping]]] = ...) -> None: ...

class ListSubscriptionsResponse(_message.Message):
    __slots__ = ("subscriptions",)
    SUBSCRIPTIONS_FIELD_NUMBER: _ClassVar[int]
    subscriptions: _containers.RepeatedCompositeFieldContainer[Subscription]
    def __init__(self, subscriptions: _Optional[_Iterable[_Union[Subscription, _Mapping]]] = ...) -> None: ...

class SetTaxRateRequest(_message.Message):
    __slots__ = ("tenant_id", "region", "name", "rate_percent", "mode", "effective_from")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    RATE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    region: str
    name: str
    rate_percent: str
    mode: str
    effective_from: str
    def __init__(self, tenant_id: _Optional[str] = ..., region: _Optional[str] = ..., name: _Optional[str] = ..., rate_percent: _Optional[str] = ..., mode: _Optional[str] = ..., effective_from: _Optional[str] = ...) -> None: ...

class TaxRate(_message.Message):
    __slots__ = ("name", "rate_percent", "mode", "effective_from")
    NAME_FIELD_NUMBER: _ClassVar[int]
    RATE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FROM_FIELD_NUMBER: _ClassVar[int]
    name: str
    rate_percent: str
    mode: str
    effective_from: str
    def __init__(self, name: _Optional[str] = ..., rate_percent: _Optional[str] = ..., mode: _Optional[str] = ..., effective_from: _Optional[str] = ...) -> None: ...

class TaxRegion(_message.Message):
    __slots__ = ("region", "rates")
    REGION_FIELD_NUMBER: _ClassVar[int]
    RATES_FIELD_NUMBER: _ClassVar[int]
    region: str
    rates: _containers.RepeatedCompositeFieldContainer[TaxRate]
    def __init__(self, region: _Optional[str] = ..., rates: _Optional[_Iterable[_Union[TaxRate, _Mapping]]] = ...) -> None: ...

class ListTaxRegionsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class ListTaxRegionsResponse(_message.Message):
    __slots__ = ("regions",)
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    regions: _containers.RepeatedCompositeFieldContainer[TaxRegion]
    def __init__(self, regions: _Optional[_Iterable[_Union[TaxRegion, _Mapping]]] = ...) -> None: ...

class ScheduledRun(_message.Message):
    __slots__ = ("cycle_day", "at")
    CYCLE_DAY_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    cycle_day: int
    at: str
    def __init__(self, cycle_day: _Optional[int] = ..., at: _Optional[str] = ...) -> None: ...

class ConfigureBillingScheduleRequest(_message.Message):
    __slots__ = ("tenant_id", "timezone", "runs")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    timezone: str
    runs: _containers.RepeatedCompositeFieldContainer[ScheduledRun]
    def __init__(self, tenant_id: _Optional[str] = ..., timezone: _Optional[str] = ..., runs: _Optional[_Iterable[_Union[ScheduledRun, _Mapping]]] = ...) -> None: ...

class GetBillingScheduleRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class BillingSchedule(_message.Message):
    __slots__ = ("timezone", "runs", "is_default")
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    RUNS_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    timezone: str
    runs: _containers.RepeatedCompositeFieldContainer[ScheduledRun]
    is_default: bool
    def __init__(self, timezone: _Optional[str] = ..., runs: _Optional[_Iterable[_Union[ScheduledRun, _Mapping]]] = ..., is_default: _Optional[bool] = ...) -> None: ...

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
    __slots__ = ("tenant_id", "bill_date")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_DATE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    bill_date: str
    def __init__(self, tenant_id: _Optional[str] = ..., bill_date: _Optional[str] = ...) -> None: ...

class BillRun(_message.Message):
    __slots__ = ("bill_run_id", "bill_date", "status", "accounts_due", "invoices_created", "invoices_already_present", "usage_watermark", "started_at", "completed_at")
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_DATE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTS_DUE_FIELD_NUMBER: _ClassVar[int]
    INVOICES_CREATED_FIELD_NUMBER: _ClassVar[int]
    INVOICES_ALREADY_PRESENT_FIELD_NUMBER: _ClassVar[int]
    USAGE_WATERMARK_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    bill_run_id: str
    bill_date: str
    status: str
    accounts_due: int
    invoices_created: int
    invoices_already_present: int
    usage_watermark: int
    started_at: str
    completed_at: str
    def __init__(self, bill_run_id: _Optional[str] = ..., bill_date: _Optional[str] = ..., status: _Optional[str] = ..., accounts_due: _Optional[int] = ..., invoices_created: _Optional[int] = ..., invoices_already_present: _Optional[int] = ..., usage_watermark: _Optional[int] = ..., started_at: _Optional[str] = ..., completed_at: _Optional[str] = ...) -> None: ...

class GetBillRunRequest(_message.Message):
    __slots__ = ("tenant_id", "bill_run_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    bill_run_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., bill_run_id: _Optional[str] = ...) -> None: ...

class ListBillRunsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class ListBillRunsResponse(_message.Message):
    __slots__ = ("bill_runs",)
    BILL_RUNS_FIELD_NUMBER: _ClassVar[int]
    bill_runs: _containers.RepeatedCompositeFieldContainer[BillRun]
    def __init__(self, bill_runs: _Optional[_Iterable[_Union[BillRun, _Mapping]]] = ...) -> None: ...

class InvoiceLine(_message.Message):
    __slots__ = ("kind", "description", "service_type", "quantity", "unit", "amount", "record_count", "digest", "index", "period_kind", "destination_class", "account_id", "tax_rate_percent", "tax_included", "subscription_id", "covers_start", "covers_end")
    KIND_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RECORD_COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    PERIOD_KIND_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_CLASS_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    TAX_RATE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    TAX_INCLUDED_FIELD_NUMBER: _ClassVar[int]
    SUBSCRIPTION_ID_FIELD_NUMBER: _ClassVar[int]
    COVERS_START_FIELD_NUMBER: _ClassVar[int]
    COVERS_END_FIELD_NUMBER: _ClassVar[int]
    kind: str
    description: str
    service_type: str
    quantity: str
    unit: str
    amount: _common_pb2.Money
    record_count: int
    digest: str
    index: int
    period_kind: str
    destination_class: str
    account_id: str
    tax_rate_percent: str
    tax_included: bool
    subscription_id: str
    covers_start: str
    covers_end: str
    def __init__(self, kind: _Optional[str] = ..., description: _Optional[str] = ..., service_type: _Optional[str] = ..., quantity: _Optional[str] = ..., unit: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., record_count: _Optional[int] = ..., digest: _Optional[str] = ..., index: _Optional[int] = ..., period_kind: _Optional[str] = ..., destination_class: _Optional[str] = ..., account_id: _Optional[str] = ..., tax_rate_percent: _Optional[str] = ..., tax_included: _Optional[bool] = ..., subscription_id: _Optional[str] = ..., covers_start: _Optional[str] = ..., covers_end: _Optional[str] = ...) -> None: ...

class InvoiceUsage(_message.Message):
    __slots__ = ("account_id", "usage_start", "usage_end", "previous_watermark", "watermark")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    USAGE_START_FIELD_NUMBER: _ClassVar[int]
    USAGE_END_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_WATERMARK_FIELD_NUMBER: _ClassVar[int]
    WATERMARK_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    usage_start: str
    usage_end: str
    previous_watermark: int
    watermark: int
    def __init__(self, account_id: _Optional[str] = ..., usage_start: _Optional[str] = ..., usage_end: _Optional[str] = ..., previous_watermark: _Optional[int] = ..., watermark: _Optional[int] = ...) -> None: ...

class Invoice(_message.Message):
    __slots__ = ("invoice_id", "account_id", "number", "status", "period_start", "period_end", "lines", "total", "amount_paid", "amount_due", "billing_email", "account_name", "finalized_at", "subtotal", "tax_total", "amount_credited", "issue_date", "due_date", "locale", "bill_run_id", "usage", "document_digest", "void_reason")
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
    SUBTOTAL_FIELD_NUMBER: _ClassVar[int]
    TAX_TOTAL_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_CREDITED_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    USAGE_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    VOID_REASON_FIELD_NUMBER: _ClassVar[int]
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
    subtotal: _common_pb2.Money
    tax_total: _common_pb2.Money
    amount_credited: _common_pb2.Money
    issue_date: str
    due_date: str
    locale: str
    bill_run_id: str
    usage: _containers.RepeatedCompositeFieldContainer[InvoiceUsage]
    document_digest: str
    void_reason: str
    def __init__(self, invoice_id: _Optional[str] = ..., account_id: _Optional[str] = ..., number: _Optional[str] = ..., status: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[InvoiceLine, _Mapping]]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., amount_paid: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., amount_due: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., billing_email: _Optional[str] = ..., account_name: _Optional[str] = ..., finalized_at: _Optional[str] = ..., subtotal: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., tax_total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., amount_credited: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., issue_date: _Optional[str] = ..., due_date: _Optional[str] = ..., locale: _Optional[str] = ..., bill_run_id: _Optional[str] = ..., usage: _Optional[_Iterable[_Union[InvoiceUsage, _Mapping]]] = ..., document_digest: _Optional[str] = ..., void_reason: _Optional[str] = ...) -> None: ...

class GetInvoiceRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ...) -> None: ...

class ListInvoicesRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "bill_run_id", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    BILL_RUN_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    bill_run_id: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., bill_run_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListInvoicesResponse(_message.Message):
    __slots__ = ("invoices", "next_page_token")
    INVOICES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    invoices: _containers.RepeatedCompositeFieldContainer[Invoice]
    next_page_token: str
    def __init__(self, invoices: _Optional[_Iterable[_Union[Invoice, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class VoidInvoiceRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id", "reason")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    reason: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class RenderDocumentRequest(_message.Message):
    __slots__ = ("tenant_id", "document_id", "format")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    document_id: str
    format: str
    def __init__(self, tenant_id: _Optional[str] = ..., document_id: _Optional[str] = ..., format: _Optional[str] = ...) -> None: ...

class RenderedDocument(_message.Message):
    __slots__ = ("content_type", "filename", "content")
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    content_type: str
    filename: str
    content: bytes
    def __init__(self, content_type: _Optional[str] = ..., filename: _Optional[str] = ..., content: _Optional[bytes] = ...) -> None: ...

class VerifyInvoiceRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ...) -> None: ...

class LineCheck(_message.Message):
    __slots__ = ("index", "invoiced", "resummed", "rederived", "digest_matches", "matches")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    INVOICED_FIELD_NUMBER: _ClassVar[int]
    RESUMMED_FIELD_NUMBER: _ClassVar[int]
    REDERIVED_FIELD_NUMBER: _ClassVar[int]
    DIGEST_MATCHES_FIELD_NUMBER: _ClassVar[int]
    MATCHES_FIELD_NUMBER: _ClassVar[int]
    index: int
    invoiced: _common_pb2.Money
    resummed: _common_pb2.Money
    rederived: _common_pb2.Money
    digest_matches: bool
    matches: bool
    def __init__(self, index: _Optional[int] = ..., invoiced: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., resummed: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., rederived: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., digest_matches: _Optional[bool] = ..., matches: _Optional[bool] = ...) -> None: ...

class InvoiceVerification(_message.Message):
    __slots__ = ("invoice_id", "events_replayed", "document_digest", "replayed_digest", "document_matches", "lines", "totals_match", "verified")
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    EVENTS_REPLAYED_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_DIGEST_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_DIGEST_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_MATCHES_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    TOTALS_MATCH_FIELD_NUMBER: _ClassVar[int]
    VERIFIED_FIELD_NUMBER: _ClassVar[int]
    invoice_id: str
    events_replayed: int
    document_digest: str
    replayed_digest: str
    document_matches: bool
    lines: _containers.RepeatedCompositeFieldContainer[LineCheck]
    totals_match: bool
    verified: bool
    def __init__(self, invoice_id: _Optional[str] = ..., events_replayed: _Optional[int] = ..., document_digest: _Optional[str] = ..., replayed_digest: _Optional[str] = ..., document_matches: _Optional[bool] = ..., lines: _Optional[_Iterable[_Union[LineCheck, _Mapping]]] = ..., totals_match: _Optional[bool] = ..., verified: _Optional[bool] = ...) -> None: ...

class CreditLine(_message.Message):
    __slots__ = ("line_index", "amount")
    LINE_INDEX_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    line_index: int
    amount: str
    def __init__(self, line_index: _Optional[int] = ..., amount: _Optional[str] = ...) -> None: ...

class IssueCreditNoteRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id", "request_id", "reason", "lines")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    request_id: str
    reason: str
    lines: _containers.RepeatedCompositeFieldContainer[CreditLine]
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., request_id: _Optional[str] = ..., reason: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[CreditLine, _Mapping]]] = ...) -> None: ...

class CreditNoteLine(_message.Message):
    __slots__ = ("line_index", "description", "amount")
    LINE_INDEX_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    line_index: int
    description: str
    amount: _common_pb2.Money
    def __init__(self, line_index: _Optional[int] = ..., description: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class CreditNote(_message.Message):
    __slots__ = ("credit_note_id", "invoice_id", "invoice_number", "number", "account_id", "reason", "lines", "subtotal", "tax", "total", "issued_at")
    CREDIT_NOTE_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_FIELD_NUMBER: _ClassVar[int]
    TAX_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    credit_note_id: str
    invoice_id: str
    invoice_number: str
    number: str
    account_id: str
    reason: str
    lines: _containers.RepeatedCompositeFieldContainer[CreditNoteLine]
    subtotal: _common_pb2.Money
    tax: _common_pb2.Money
    total: _common_pb2.Money
    issued_at: str
    def __init__(self, credit_note_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., invoice_number: _Optional[str] = ..., number: _Optional[str] = ..., account_id: _Optional[str] = ..., reason: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[CreditNoteLine, _Mapping]]] = ..., subtotal: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., tax: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., issued_at: _Optional[str] = ...) -> None: ...

class GetCreditNoteRequest(_message.Message):
    __slots__ = ("tenant_id", "credit_note_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    CREDIT_NOTE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    credit_note_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., credit_note_id: _Optional[str] = ...) -> None: ...

class ListCreditNotesRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ...) -> None: ...

class ListCreditNotesResponse(_message.Message):
    __slots__ = ("credit_notes",)
    CREDIT_NOTES_FIELD_NUMBER: _ClassVar[int]
    credit_notes: _containers.RepeatedCompositeFieldContainer[CreditNote]
    def __init__(self, credit_notes: _Optional[_Iterable[_Union[CreditNote, _Mapping]]] = ...) -> None: ...

class ExplainLineRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id", "index", "page_size", "page_token", "locale")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    INDEX_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    index: int
    page_size: int
    page_token: str
    locale: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., index: _Optional[int] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., locale: _Optional[str] = ...) -> None: ...

class UsageEntry(_message.Message):
    __slots__ = ("source", "record_id", "part", "started_at", "started_local", "service_type", "basis", "destination", "destination_name", "record_quantity", "quantity", "billed_quantity", "unit", "rate", "rate_unit", "increments", "band", "connect_fee", "minimum_charge", "minimum_applied", "session_rounding_bytes", "tier_mode", "allowance", "amount", "tariff_name", "tariff_version", "text", "rating_text")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECORD_ID_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    STARTED_LOCAL_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    BASIS_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_NAME_FIELD_NUMBER: _ClassVar[int]
    RECORD_QUANTITY_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    BILLED_QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    RATE_FIELD_NUMBER: _ClassVar[int]
    RATE_UNIT_FIELD_NUMBER: _ClassVar[int]
    INCREMENTS_FIELD_NUMBER: _ClassVar[int]
    BAND_FIELD_NUMBER: _ClassVar[int]
    CONNECT_FEE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_CHARGE_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_APPLIED_FIELD_NUMBER: _ClassVar[int]
    SESSION_ROUNDING_BYTES_FIELD_NUMBER: _ClassVar[int]
    TIER_MODE_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TARIFF_NAME_FIELD_NUMBER: _ClassVar[int]
    TARIFF_VERSION_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    RATING_TEXT_FIELD_NUMBER: _ClassVar[int]
    source: str
    record_id: str
    part: int
    started_at: str
    started_local: str
    service_type: str
    basis: str
    destination: str
    destination_name: str
    record_quantity: str
    quantity: str
    billed_quantity: str
    unit: str
    rate: str
    rate_unit: str
    increments: str
    band: str
    connect_fee: str
    minimum_charge: str
    minimum_applied: bool
    session_rounding_bytes: int
    tier_mode: str
    allowance: str
    amount: _common_pb2.Money
    tariff_name: str
    tariff_version: int
    text: str
    rating_text: str
    def __init__(self, source: _Optional[str] = ..., record_id: _Optional[str] = ..., part: _Optional[int] = ..., started_at: _Optional[str] = ..., started_local: _Optional[str] = ..., service_type: _Optional[str] = ..., basis: _Optional[str] = ..., destination: _Optional[str] = ..., destination_name: _Optional[str] = ..., record_quantity: _Optional[str] = ..., quantity: _Optional[str] = ..., billed_quantity: _Optional[str] = ..., unit: _Optional[str] = ..., rate: _Optional[str] = ..., rate_unit: _Optional[str] = ..., increments: _Optional[str] = ..., band: _Optional[str] = ..., connect_fee: _Optional[str] = ..., minimum_charge: _Optional[str] = ..., minimum_applied: _Optional[bool] = ..., session_rounding_bytes: _Optional[int] = ..., tier_mode: _Optional[str] = ..., allowance: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., tariff_name: _Optional[str] = ..., tariff_version: _Optional[int] = ..., text: _Optional[str] = ..., rating_text: _Optional[str] = ...) -> None: ...

class EarlierCharge(_message.Message):
    __slots__ = ("invoice_id", "covers_start", "covers_end", "amount")
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    COVERS_START_FIELD_NUMBER: _ClassVar[int]
    COVERS_END_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    invoice_id: str
    covers_start: str
    covers_end: str
    amount: _common_pb2.Money
    def __init__(self, invoice_id: _Optional[str] = ..., covers_start: _Optional[str] = ..., covers_end: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class RecurringArithmetic(_message.Message):
    __slots__ = ("plan_name", "fee", "cycle_start", "cycle_end", "cycle_days", "covers_start", "covers_end", "days", "unrounded", "earlier")
    PLAN_NAME_FIELD_NUMBER: _ClassVar[int]
    FEE_FIELD_NUMBER: _ClassVar[int]
    CYCLE_START_FIELD_NUMBER: _ClassVar[int]
    CYCLE_END_FIELD_NUMBER: _ClassVar[int]
    CYCLE_DAYS_FIELD_NUMBER: _ClassVar[int]
    COVERS_START_FIELD_NUMBER: _ClassVar[int]
    COVERS_END_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    UNROUNDED_FIELD_NUMBER: _ClassVar[int]
    EARLIER_FIELD_NUMBER: _ClassVar[int]
    plan_name: str
    fee: _common_pb2.Money
    cycle_start: str
    cycle_end: str
    cycle_days: int
    covers_start: str
    covers_end: str
    days: int
    unrounded: str
    earlier: _containers.RepeatedCompositeFieldContainer[EarlierCharge]
    def __init__(self, plan_name: _Optional[str] = ..., fee: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., cycle_start: _Optional[str] = ..., cycle_end: _Optional[str] = ..., cycle_days: _Optional[int] = ..., covers_start: _Optional[str] = ..., covers_end: _Optional[str] = ..., days: _Optional[int] = ..., unrounded: _Optional[str] = ..., earlier: _Optional[_Iterable[_Union[EarlierCharge, _Mapping]]] = ...) -> None: ...

class TaxArithmetic(_message.Message):
    __slots__ = ("rate_percent", "base", "included", "unrounded")
    RATE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    BASE_FIELD_NUMBER: _ClassVar[int]
    INCLUDED_FIELD_NUMBER: _ClassVar[int]
    UNROUNDED_FIELD_NUMBER: _ClassVar[int]
    rate_percent: str
    base: _common_pb2.Money
    included: bool
    unrounded: str
    def __init__(self, rate_percent: _Optional[str] = ..., base: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., included: _Optional[bool] = ..., unrounded: _Optional[str] = ...) -> None: ...

class DiscountTerms(_message.Message):
    __slots__ = ("kind", "value", "cycles", "cycles_left", "charge", "cycle_start")
    KIND_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CYCLES_FIELD_NUMBER: _ClassVar[int]
    CYCLES_LEFT_FIELD_NUMBER: _ClassVar[int]
    CHARGE_FIELD_NUMBER: _ClassVar[int]
    CYCLE_START_FIELD_NUMBER: _ClassVar[int]
    kind: str
    value: str
    cycles: int
    cycles_left: int
    charge: _common_pb2.Money
    cycle_start: str
    def __init__(self, kind: _Optional[str] = ..., value: _Optional[str] = ..., cycles: _Optional[int] = ..., cycles_left: _Optional[int] = ..., charge: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., cycle_start: _Optional[str] = ...) -> None: ...

class OneTimeDetails(_message.Message):
    __slots__ = ("charge_id", "charge_date")
    CHARGE_ID_FIELD_NUMBER: _ClassVar[int]
    CHARGE_DATE_FIELD_NUMBER: _ClassVar[int]
    charge_id: str
    charge_date: str
    def __init__(self, charge_id: _Optional[str] = ..., charge_date: _Optional[str] = ...) -> None: ...

class PriorPeriodDetails(_message.Message):
    __slots__ = ("first_started_at", "last_started_at", "period_start", "period_end")
    FIRST_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_STARTED_AT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_FIELD_NUMBER: _ClassVar[int]
    first_started_at: str
    last_started_at: str
    period_start: str
    period_end: str
    def __init__(self, first_started_at: _Optional[str] = ..., last_started_at: _Optional[str] = ..., period_start: _Optional[str] = ..., period_end: _Optional[str] = ...) -> None: ...

class LineExplanation(_message.Message):
    __slots__ = ("index", "kind", "description", "amount", "text", "entries", "next_page_token", "entry_count", "unrounded_total", "recurring", "tax", "discount", "one_time", "prior_period", "account_id", "locale")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ENTRY_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNROUNDED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    RECURRING_FIELD_NUMBER: _ClassVar[int]
    TAX_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_FIELD_NUMBER: _ClassVar[int]
    ONE_TIME_FIELD_NUMBER: _ClassVar[int]
    PRIOR_PERIOD_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    index: int
    kind: str
    description: str
    amount: _common_pb2.Money
    text: str
    entries: _containers.RepeatedCompositeFieldContainer[UsageEntry]
    next_page_token: str
    entry_count: int
    unrounded_total: str
    recurring: RecurringArithmetic
    tax: TaxArithmetic
    discount: DiscountTerms
    one_time: OneTimeDetails
    prior_period: PriorPeriodDetails
    account_id: str
    locale: str
    def __init__(self, index: _Optional[int] = ..., kind: _Optional[str] = ..., description: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., text: _Optional[str] = ..., entries: _Optional[_Iterable[_Union[UsageEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., entry_count: _Optional[int] = ..., unrounded_total: _Optional[str] = ..., recurring: _Optional[_Union[RecurringArithmetic, _Mapping]] = ..., tax: _Optional[_Union[TaxArithmetic, _Mapping]] = ..., discount: _Optional[_Union[DiscountTerms, _Mapping]] = ..., one_time: _Optional[_Union[OneTimeDetails, _Mapping]] = ..., prior_period: _Optional[_Union[PriorPeriodDetails, _Mapping]] = ..., account_id: _Optional[str] = ..., locale: _Optional[str] = ...) -> None: ...

class ExplainInvoiceRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id", "locale")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    locale: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., locale: _Optional[str] = ...) -> None: ...

class AllowanceStory(_message.Message):
    __slots__ = ("account_id", "cycle_start", "name", "service_type", "included", "used", "unit", "exhausted_at", "exhausted_local", "tariff_name", "tariff_version", "text")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CYCLE_START_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    INCLUDED_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    EXHAUSTED_AT_FIELD_NUMBER: _ClassVar[int]
    EXHAUSTED_LOCAL_FIELD_NUMBER: _ClassVar[int]
    TARIFF_NAME_FIELD_NUMBER: _ClassVar[int]
    TARIFF_VERSION_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    cycle_start: str
    name: str
    service_type: str
    included: str
    used: str
    unit: str
    exhausted_at: str
    exhausted_local: str
    tariff_name: str
    tariff_version: int
    text: str
    def __init__(self, account_id: _Optional[str] = ..., cycle_start: _Optional[str] = ..., name: _Optional[str] = ..., service_type: _Optional[str] = ..., included: _Optional[str] = ..., used: _Optional[str] = ..., unit: _Optional[str] = ..., exhausted_at: _Optional[str] = ..., exhausted_local: _Optional[str] = ..., tariff_name: _Optional[str] = ..., tariff_version: _Optional[int] = ..., text: _Optional[str] = ...) -> None: ...

class InvoiceExplanation(_message.Message):
    __slots__ = ("invoice_id", "number", "locale", "lines", "allowances", "total", "text")
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    ALLOWANCES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    invoice_id: str
    number: str
    locale: str
    lines: _containers.RepeatedCompositeFieldContainer[LineExplanation]
    allowances: _containers.RepeatedCompositeFieldContainer[AllowanceStory]
    total: _common_pb2.Money
    text: str
    def __init__(self, invoice_id: _Optional[str] = ..., number: _Optional[str] = ..., locale: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[LineExplanation, _Mapping]]] = ..., allowances: _Optional[_Iterable[_Union[AllowanceStory, _Mapping]]] = ..., total: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., text: _Optional[str] = ...) -> None: ...
