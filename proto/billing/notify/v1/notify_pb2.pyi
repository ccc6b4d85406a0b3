from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ListDeliveriesRequest(_message.Message):
    __slots__ = ("tenant_id", "invoice_id", "account_id", "kind", "status", "since", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SINCE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    invoice_id: str
    account_id: str
    kind: str
    status: str
    since: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., invoice_id: _Optional[str] = ..., account_id: _Optional[str] = ..., kind: _Optional[str] = ..., status: _Optional[str] = ..., since: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class Delivery(_message.Message):
    __slots__ = ("delivery_id", "event_id", "channel", "recipient", "subject", "status", "reason", "invoice_id", "updated_at", "kind", "account_id", "invoice_ids", "locale", "attempts", "next_attempt_at", "last_error", "queued_at", "sent_at")
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    RECIPIENT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    INVOICE_ID_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    INVOICE_IDS_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_ERROR_FIELD_NUMBER: _ClassVar[int]
    QUEUED_AT_FIELD_NUMBER: _ClassVar[int]
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    event_id: str
    channel: str
    recipient: str
    subject: str
    status: str
    reason: str
    invoice_id: str
    updated_at: str
    kind: str
    account_id: str
    invoice_ids: _containers.RepeatedScalarFieldContainer[str]
    locale: str
    attempts: int
    next_attempt_at: str
    last_error: str
    queued_at: str
    sent_at: str
    def __init__(self, delivery_id: _Optional[str] = ..., event_id: _Optional[str] = ..., channel: _Optional[str] = ..., recipient: _Optional[str] = ..., subject: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., invoice_id: _Optional[str] = ..., updated_at: _Optional[str] = ..., kind: _Optional[str] = ..., account_id: _Optional[str] = ..., invoice_ids: _Optional[_Iterable[str]] = ..., locale: _Optional[str] = ..., attempts: _Optional[int] = ..., next_attempt_at: _Optional[str] = ..., last_error: _Optional[str] = ..., queued_at: _Optional[str] = ..., sent_at: _Optional[str] = ...) -> None: ...

class ListDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries", "next_page_token")
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[Delivery]
    next_page_token: str
    def __init__(self, deliveries: _Optional[_Iterable[_Union[Delivery, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetDeliveryRequest(_message.Message):
    __slots__ = ("tenant_id", "delivery_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    delivery_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., delivery_id: _Optional[str] = ...) -> None: ...

class Template(_message.Message):
    __slots__ = ("kind", "locale", "source", "subject", "text", "html", "updated_at", "variables")
    KIND_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    VARIABLES_FIELD_NUMBER: _ClassVar[int]
    kind: str
    locale: str
    source: str
    subject: str
    text: str
    html: str
    updated_at: str
    variables: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, kind: _Optional[str] = ..., locale: _Optional[str] = ..., source: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., updated_at: _Optional[str] = ..., variables: _Optional[_Iterable[str]] = ...) -> None: ...

class PutTemplateRequest(_message.Message):
    __slots__ = ("tenant_id", "kind", "locale", "subject", "text", "html")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    kind: str
    locale: str
    subject: str
    text: str
    html: str
    def __init__(self, tenant_id: _Optional[str] = ..., kind: _Optional[str] = ..., locale: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ...) -> None: ...

class GetTemplateRequest(_message.Message):
    __slots__ = ("tenant_id", "kind", "locale")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    kind: str
    locale: str
    def __init__(self, tenant_id: _Optional[str] = ..., kind: _Optional[str] = ..., locale: _Optional[str] = ...) -> None: ...

class ListTemplatesRequest(_message.Message):
    __slots__ = ("tenant_id", "kind")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    kind: str
    def __init__(self, tenant_id: _Optional[str] = ..., kind: _Optional[str] = ...) -> None: ...

class ListTemplatesResponse(_message.Message):
    __slots__ = ("templates",)
    TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    templates: _containers.RepeatedCompositeFieldContainer[Template]
    def __init__(self, templates: _Optional[_Iterable[_Union[Template, _Mapping]]] = ...) -> None: ...

class DeleteTemplateRequest(_message.Message):
    __slots__ = ("tenant_id", "kind", "locale")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    kind: str
    locale: str
    def __init__(self, tenant_id: _Optional[str] = ..., kind: _Optional[str] = ..., locale: _Optional[str] = ...) -> None: ...

class DeleteTemplateResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PreviewTemplateRequest(_message.Message):
    __slots__ = ("tenant_id", "kind", "locale", "subject", "text", "html")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    kind: str
    locale: str
    subject: str
    text: str
    html: str
    def __init__(self, tenant_id: _Optional[str] = ..., kind: _Optional[str] = ..., locale: _Optional[str] = ..., subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ...) -> None: ...

class RenderedEmail(_message.Message):
    __slots__ = ("subject", "text", "html", "locale")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    HTML_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    subject: str
    text: str
    html: str
    locale: str
    def __init__(self, subject: _Optional[str] = ..., text: _Optional[str] = ..., html: _Optional[str] = ..., locale: _Optional[str] = ...) -> None: ...
