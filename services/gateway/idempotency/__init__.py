"""Idempotency keys: a mutating call retried with the same Idempotency-Key runs once."""

from services.gateway.idempotency.middleware import IdempotencyMiddleware
from services.gateway.idempotency.store import DDL, IdempotencyStore, sweep_forever

__all__ = ["DDL", "IdempotencyMiddleware", "IdempotencyStore", "sweep_forever"]
