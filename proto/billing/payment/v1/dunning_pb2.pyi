from billing.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LateFee(_message.Message):
    __slots__ = ("percent", "fixed", "after_days")
    class FixedEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PERCENT_FIELD_NUMBER: _ClassVar[int]
    FIXED_FIELD_NUMBER: _ClassVar[int]
    AFTER_DAYS_FIELD_NUMBER: _ClassVar[int]
    percent: str
    fixed: _containers.ScalarMap[str, str]
    after_days: int
    def __init__(self, percent: _Optional[str] = ..., fixed: _Optional[_Mapping[str, str]] = ..., after_days: _Optional[int] = ...) -> None: ...

class ConfigureDunningPolicyRequest(_message.Message):
    __slots__ = ("tenant_id", "reminder_days", "retry_days", "late_fee", "suspend_after_days")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    REMINDER_DAYS_FIELD_NUMBER: _ClassVar[int]
    RETRY_DAYS_FIELD_NUMBER: _ClassVar[int]
    LATE_FEE_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_AFTER_DAYS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    reminder_days: _containers.RepeatedScalarFieldContainer[int]
    retry_days: _containers.RepeatedScalarFieldContainer[int]
    late_fee: LateFee
    suspend_after_days: int
    def __init__(self, tenant_id: _Optional[str] = ..., reminder_days: _Optional[_Iterable[int]] = ..., retry_days: _Optional[_Iterable[int]] = ..., late_fee: _Optional[_Union[LateFee, _Mapping]] = ..., suspend_after_days: _Optional[int] = ...) -> None: ...

class GetDunningPolicyRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class DunningPolicy(_message.Message):
    __slots__ = ("reminder_days", "retry_days", "late_fee", "suspend_after_days", "is_default")
    REMINDER_DAYS_FIELD_NUMBER: _ClassVar[int]
    RETRY_DAYS_FIELD_NUMBER: _ClassVar[int]
    LATE_FEE_FIELD_NUMBER: _ClassVar[int]
    SUSPEND_AFTER_DAYS_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    reminder_days: _containers.RepeatedScalarFieldContainer[int]
    retry_days: _containers.RepeatedScalarFieldContainer[int]
    late_fee: LateFee
    suspend_after_days: int
    is_default: bool
    def __init__(self, reminder_days: _Optional[_Iterable[int]] = ..., retry_days: _Optional[_Iterable[int]] = ..., late_fee: _Optional[_Union[LateFee, _Mapping]] = ..., suspend_after_days: _Optional[int] = ..., is_default: _Optional[bool] = ...) -> None: ...

class GetDunningRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class DunningRetry(_message.Message):
    __slots__ = ("step", "payment_id", "amount")
    STEP_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    step: int
    payment_id: str
    amount: _common_pb2.Money
    def __init__(self, step: _Optional[int] = ..., payment_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class DunningLateFee(_message.Message):
    __slots__ = ("charge_id", "amount")
    CHARGE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    charge_id: str
    amount: _common_pb2.Money
    def __init__(self, charge_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class Dunning(_message.Message):
    __slots__ = ("account_id", "episode", "status", "started_on", "oldest_due_date", "reminder_steps", "retries", "late_fee", "suspended")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    EPISODE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STARTED_ON_FIELD_NUMBER: _ClassVar[int]
    OLDEST_DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    REMINDER_STEPS_FIELD_NUMBER: _ClassVar[int]
    RETRIES_FIELD_NUMBER: _ClassVar[int]
    LATE_FEE_FIELD_NUMBER: _ClassVar[int]
    SUSPENDED_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    episode: int
    status: str
    started_on: str
    oldest_due_date: str
    reminder_steps: _containers.RepeatedScalarFieldContainer[int]
    retries: _containers.RepeatedCompositeFieldContainer[DunningRetry]
    late_fee: DunningLateFee
    suspended: bool
    def __init__(self, account_id: _Optional[str] = ..., episode: _Optional[int] = ..., status: _Optional[str] = ..., started_on: _Optional[str] = ..., oldest_due_date: _Optional[str] = ..., reminder_steps: _Optional[_Iterable[int]] = ..., retries: _Optional[_Iterable[_Union[DunningRetry, _Mapping]]] = ..., late_fee: _Optional[_Union[DunningLateFee, _Mapping]] = ..., suspended: _Optional[bool] = ...) -> None: ...

class RunDunningRequest(_message.Message):
    __slots__ = ("tenant_id", "date")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    date: str
    def __init__(self, tenant_id: _Optional[str] = ..., date: _Optional[str] = ...) -> None: ...

class DunningFailure(_message.Message):
    __slots__ = ("account_id", "action", "reason")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    action: str
    reason: str
    def __init__(self, account_id: _Optional[str] = ..., action: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class DunningRun(_message.Message):
    __slots__ = ("date", "accounts", "actions", "failures")
    class ActionsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    DATE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNTS_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    FAILURES_FIELD_NUMBER: _ClassVar[int]
    date: str
    accounts: int
    actions: _containers.ScalarMap[str, int]
    failures: _containers.RepeatedCompositeFieldContainer[DunningFailure]
    def __init__(self, date: _Optional[str] = ..., accounts: _Optional[int] = ..., actions: _Optional[_Mapping[str, int]] = ..., failures: _Optional[_Iterable[_Union[DunningFailure, _Mapping]]] = ...) -> None: ...
