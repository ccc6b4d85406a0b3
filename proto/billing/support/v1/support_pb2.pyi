from billing.common.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Actor(_message.Message):
    __slots__ = ("role", "id")
    ROLE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    role: str
    id: str
    def __init__(self, role: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class OpenQueryRequest(_message.Message):
    __slots__ = ("tenant_id", "request_id", "opened_by", "account_id", "invoice_id", "line_index", "category", "subject", "body", "disputed_amount")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_INDEX_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    DISPUTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    request_id: str
    opened_by: Actor
    account_id: str
    invoice_id: str
    line_index: int
    category: str
    subject: str
    body: str
    disputed_amount: _common_pb2.Money
    def __init__(self, tenant_id: _Optional[str] = ..., request_id: _Optional[str] = ..., opened_by: _Optional[_Union[Actor, _Mapping]] = ..., account_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., line_index: _Optional[int] = ..., category: _Optional[str] = ..., subject: _Optional[str] = ..., body: _Optional[str] = ..., disputed_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class Comment(_message.Message):
    __slots__ = ("author", "body", "written_at")
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    WRITTEN_AT_FIELD_NUMBER: _ClassVar[int]
    author: Actor
    body: str
    written_at: str
    def __init__(self, author: _Optional[_Union[Actor, _Mapping]] = ..., body: _Optional[str] = ..., written_at: _Optional[str] = ...) -> None: ...

class Outcome(_message.Message):
    __slots__ = ("kind", "note", "credit_note_id", "credit_note_number", "charge_id", "amount", "decided_by", "decided_at")
    KIND_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREDIT_NOTE_ID_FIELD_NUMBER: _ClassVar[int]
    CREDIT_NOTE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CHARGE_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    DECIDED_BY_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    note: str
    credit_note_id: str
    credit_note_number: str
    charge_id: str
    amount: _common_pb2.Money
    decided_by: Actor
    decided_at: str
    def __init__(self, kind: _Optional[str] = ..., note: _Optional[str] = ..., credit_note_id: _Optional[str] = ..., credit_note_number: _Optional[str] = ..., charge_id: _Optional[str] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., decided_by: _Optional[_Union[Actor, _Mapping]] = ..., decided_at: _Optional[str] = ...) -> None: ...

class Query(_message.Message):
    __slots__ = ("query_id", "account_id", "invoice_id", "line_index", "category", "subject", "state", "opened_by", "opened_at", "assignee", "comments", "disputed_amount", "respond_by", "first_response_at", "overdue", "outcome", "updated_at", "version", "comment_count")
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_INDEX_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    OPENED_BY_FIELD_NUMBER: _ClassVar[int]
    OPENED_AT_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    COMMENTS_FIELD_NUMBER: _ClassVar[int]
    DISPUTED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    RESPOND_BY_FIELD_NUMBER: _ClassVar[int]
    FIRST_RESPONSE_AT_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    COMMENT_COUNT_FIELD_NUMBER: _ClassVar[int]
    query_id: str
    account_id: str
    invoice_id: str
    line_index: int
    category: str
    subject: str
    state: str
    opened_by: Actor
    opened_at: str
    assignee: str
    comments: _containers.RepeatedCompositeFieldContainer[Comment]
    disputed_amount: _common_pb2.Money
    respond_by: str
    first_response_at: str
    overdue: bool
    outcome: Outcome
    updated_at: str
    version: int
    comment_count: int
    def __init__(self, query_id: _Optional[str] = ..., account_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., line_index: _Optional[int] = ..., category: _Optional[str] = ..., subject: _Optional[str] = ..., state: _Optional[str] = ..., opened_by: _Optional[_Union[Actor, _Mapping]] = ..., opened_at: _Optional[str] = ..., assignee: _Optional[str] = ..., comments: _Optional[_Iterable[_Union[Comment, _Mapping]]] = ..., disputed_amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ..., respond_by: _Optional[str] = ..., first_response_at: _Optional[str] = ..., overdue: _Optional[bool] = ..., outcome: _Optional[_Union[Outcome, _Mapping]] = ..., updated_at: _Optional[str] = ..., version: _Optional[int] = ..., comment_count: _Optional[int] = ...) -> None: ...

class GetQueryRequest(_message.Message):
    __slots__ = ("tenant_id", "query_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    query_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., query_id: _Optional[str] = ...) -> None: ...

class ListQueriesRequest(_message.Message):
    __slots__ = ("tenant_id", "account_id", "invoice_id", "states", "assignee", "overdue_only", "page_size", "page_token", "as_of")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    STATES_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    OVERDUE_ONLY_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    account_id: str
    invoice_id: str
    states: _containers.RepeatedScalarFieldContainer[str]
    assignee: str
    overdue_only: bool
    page_size: int
    page_token: str
    as_of: str
    def __init__(self, tenant_id: _Optional[str] = ..., account_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., states: _Optional[_Iterable[str]] = ..., assignee: _Optional[str] = ..., overdue_only: _Optional[bool] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class ListQueriesResponse(_message.Message):
    __slots__ = ("queries", "next_page_token")
    QUERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    queries: _containers.RepeatedCompositeFieldContainer[Query]
    next_page_token: str
    def __init__(self, queries: _Optional[_Iterable[_Union[Query, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AddCommentRequest(_message.Message):
    __slots__ = ("tenant_id", "query_id", "author", "body")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    query_id: str
    author: Actor
    body: str
    def __init__(self, tenant_id: _Optional[str] = ..., query_id: _Optional[str] = ..., author: _Optional[_Union[Actor, _Mapping]] = ..., body: _Optional[str] = ...) -> None: ...

class AssignQueryRequest(_message.Message):
    __slots__ = ("tenant_id", "query_id", "assigned_by", "assignee")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_BY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    query_id: str
    assigned_by: Actor
    assignee: str
    def __init__(self, tenant_id: _Optional[str] = ..., query_id: _Optional[str] = ..., assigned_by: _Optional[_Union[Actor, _Mapping]] = ..., assignee: _Optional[str] = ...) -> None: ...

class CreditedLine(_message.Message):
    __slots__ = ("line_index", "amount")
    LINE_INDEX_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    line_index: int
    amount: _common_pb2.Money
    def __init__(self, line_index: _Optional[int] = ..., amount: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class ResolveQueryRequest(_message.Message):
    __slots__ = ("tenant_id", "query_id", "resolved_by", "outcome", "note", "credit_lines", "adjustment")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    RESOLVED_BY_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREDIT_LINES_FIELD_NUMBER: _ClassVar[int]
    ADJUSTMENT_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    query_id: str
    resolved_by: Actor
    outcome: str
    note: str
    credit_lines: _containers.RepeatedCompositeFieldContainer[CreditedLine]
    adjustment: _common_pb2.Money
    def __init__(self, tenant_id: _Optional[str] = ..., query_id: _Optional[str] = ..., resolved_by: _Optional[_Union[Actor, _Mapping]] = ..., outcome: _Optional[str] = ..., note: _Optional[str] = ..., credit_lines: _Optional[_Iterable[_Union[CreditedLine, _Mapping]]] = ..., adjustment: _Optional[_Union[_common_pb2.Money, _Mapping]] = ...) -> None: ...

class RejectQueryRequest(_message.Message):
    __slots__ = ("tenant_id", "query_id", "rejected_by", "reason")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_ID_FIELD_NUMBER: _ClassVar[int]
    REJECTED_BY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    query_id: str
    rejected_by: Actor
    reason: str
    def __init__(self, tenant_id: _Optional[str] = ..., query_id: _Optional[str] = ..., rejected_by: _Optional[_Union[Actor, _Mapping]] = ..., reason: _Optional[str] = ...) -> None: ...

class ConfigureSupportPolicyRequest(_message.Message):
    __slots__ = ("tenant_id", "response_target_hours")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    RESPONSE_TARGET_HOURS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    response_target_hours: int
    def __init__(self, tenant_id: _Optional[str] = ..., response_target_hours: _Optional[int] = ...) -> None: ...

class GetSupportPolicyRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class SupportPolicy(_message.Message):
    __slots__ = ("response_target_hours", "is_default")
    RESPONSE_TARGET_HOURS_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    response_target_hours: int
    is_default: bool
    def __init__(self, response_target_hours: _Optional[int] = ..., is_default: _Optional[bool] = ...) -> None: ...
