from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetWebhookSettingsRequest(_message.Message):
    __slots__ = ("tenant_id",)
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    def __init__(self, tenant_id: _Optional[str] = ...) -> None: ...

class SetWebhookSettingsRequest(_message.Message):
    __slots__ = ("tenant_id", "allow_private_targets")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ALLOW_PRIVATE_TARGETS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    allow_private_targets: bool
    def __init__(self, tenant_id: _Optional[str] = ..., allow_private_targets: _Optional[bool] = ...) -> None: ...

class WebhookSettings(_message.Message):
    __slots__ = ("allow_private_targets",)
    ALLOW_PRIVATE_TARGETS_FIELD_NUMBER: _ClassVar[int]
    allow_private_targets: bool
    def __init__(self, allow_private_targets: _Optional[bool] = ...) -> None: ...

class CreateEndpointRequest(_message.Message):
    __slots__ = ("tenant_id", "url", "event_types", "description")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    url: str
    event_types: _containers.RepeatedScalarFieldContainer[str]
    description: str
    def __init__(self, tenant_id: _Optional[str] = ..., url: _Optional[str] = ..., event_types: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ...) -> None: ...

class SecretInfo(_message.Message):
    __slots__ = ("secret_id", "created_at", "prefix")
    SECRET_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    secret_id: str
    created_at: str
    prefix: str
    def __init__(self, secret_id: _Optional[str] = ..., created_at: _Optional[str] = ..., prefix: _Optional[str] = ...) -> None: ...

class Endpoint(_message.Message):
    __slots__ = ("endpoint_id", "url", "event_types", "description", "status", "disabled_reason", "disabled_at", "failing_since", "secrets", "created_at", "updated_at")
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DISABLED_REASON_FIELD_NUMBER: _ClassVar[int]
    DISABLED_AT_FIELD_NUMBER: _ClassVar[int]
    FAILING_SINCE_FIELD_NUMBER: _ClassVar[int]
    SECRETS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    endpoint_id: str
    url: str
    event_types: _containers.RepeatedScalarFieldContainer[str]
    description: str
    status: str
    disabled_reason: str
    disabled_at: str
    failing_since: str
    secrets: _containers.RepeatedCompositeFieldContainer[SecretInfo]
    created_at: str
    updated_at: str
    def __init__(self, endpoint_id: _Optional[str] = ..., url: _Optional[str] = ..., event_types: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ..., status: _Optional[str] = ..., disabled_reason: _Optional[str] = ..., disabled_at: _Optional[str] = ..., failing_since: _Optional[str] = ..., secrets: _Optional[_Iterable[_Union[SecretInfo, _Mapping]]] = ..., created_at: _Optional[str] = ..., updated_at: _Optional[str] = ...) -> None: ...

class CreatedSecret(_message.Message):
    __slots__ = ("info", "secret")
    INFO_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    info: SecretInfo
    secret: str
    def __init__(self, info: _Optional[_Union[SecretInfo, _Mapping]] = ..., secret: _Optional[str] = ...) -> None: ...

class CreatedEndpoint(_message.Message):
    __slots__ = ("endpoint", "secret")
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    endpoint: Endpoint
    secret: CreatedSecret
    def __init__(self, endpoint: _Optional[_Union[Endpoint, _Mapping]] = ..., secret: _Optional[_Union[CreatedSecret, _Mapping]] = ...) -> None: ...

class GetEndpointRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ...) -> None: ...

class ListEndpointsRequest(_message.Message):
    __slots__ = ("tenant_id", "status")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    status: str
    def __init__(self, tenant_id: _Optional[str] = ..., status: _Optional[str] = ...) -> None: ...

class ListEndpointsResponse(_message.Message):
    __slots__ = ("endpoints",)
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    endpoints: _containers.RepeatedCompositeFieldContainer[Endpoint]
    def __init__(self, endpoints: _Optional[_Iterable[_Union[Endpoint, _Mapping]]] = ...) -> None: ...

class UpdateEndpointRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id", "url", "event_types", "description")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    url: str
    event_types: _containers.RepeatedScalarFieldContainer[str]
    description: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ..., url: _Optional[str] = ..., event_types: _Optional[_Iterable[str]] = ..., description: _Optional[str] = ...) -> None: ...

class DeleteEndpointRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ...) -> None: ...

class DeleteEndpointResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DisableEndpointRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id", "reason")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    reason: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class EnableEndpointRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ...) -> None: ...

class RotateSecretRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ...) -> None: ...

class RetireSecretRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id", "secret_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    secret_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ..., secret_id: _Optional[str] = ...) -> None: ...

class WebhookAttempt(_message.Message):
    __slots__ = ("number", "attempted_at", "outcome", "status_code", "reason", "duration_ms", "manual")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTED_AT_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    MANUAL_FIELD_NUMBER: _ClassVar[int]
    number: int
    attempted_at: str
    outcome: str
    status_code: int
    reason: str
    duration_ms: int
    manual: bool
    def __init__(self, number: _Optional[int] = ..., attempted_at: _Optional[str] = ..., outcome: _Optional[str] = ..., status_code: _Optional[int] = ..., reason: _Optional[str] = ..., duration_ms: _Optional[int] = ..., manual: _Optional[bool] = ...) -> None: ...

class WebhookDelivery(_message.Message):
    __slots__ = ("delivery_id", "endpoint_id", "event_id", "event_type", "status", "attempts", "next_attempt_at", "last_reason", "created_at", "delivered_at", "attempt_log")
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_ATTEMPT_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    DELIVERED_AT_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_LOG_FIELD_NUMBER: _ClassVar[int]
    delivery_id: str
    endpoint_id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: str
    last_reason: str
    created_at: str
    delivered_at: str
    attempt_log: _containers.RepeatedCompositeFieldContainer[WebhookAttempt]
    def __init__(self, delivery_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ..., event_id: _Optional[str] = ..., event_type: _Optional[str] = ..., status: _Optional[str] = ..., attempts: _Optional[int] = ..., next_attempt_at: _Optional[str] = ..., last_reason: _Optional[str] = ..., created_at: _Optional[str] = ..., delivered_at: _Optional[str] = ..., attempt_log: _Optional[_Iterable[_Union[WebhookAttempt, _Mapping]]] = ...) -> None: ...

class ListWebhookDeliveriesRequest(_message.Message):
    __slots__ = ("tenant_id", "endpoint_id", "status", "page_size", "page_token")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    endpoint_id: str
    status: str
    page_size: int
    page_token: str
    def __init__(self, tenant_id: _Optional[str] = ..., endpoint_id: _Optional[str] = ..., status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListWebhookDeliveriesResponse(_message.Message):
    __slots__ = ("deliveries", "next_page_token")
    DELIVERIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deliveries: _containers.RepeatedCompositeFieldContainer[WebhookDelivery]
    next_page_token: str
    def __init__(self, deliveries: _Optional[_Iterable[_Union[WebhookDelivery, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetWebhookDeliveryRequest(_message.Message):
    __slots__ = ("tenant_id", "delivery_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    delivery_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., delivery_id: _Optional[str] = ...) -> None: ...

class RedeliverRequest(_message.Message):
    __slots__ = ("tenant_id", "delivery_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    DELIVERY_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    delivery_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., delivery_id: _Optional[str] = ...) -> None: ...
