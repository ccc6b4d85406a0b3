"""When a failed delivery is tried again: exponential backoff with jitter over more than 24 hours."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
    timedelta(hours=5), timedelta(hours=10), timedelta(hours=14),
)
"""The wait after each failed attempt: 8 attempts in all, the last about 31.6 h after the first."""
JITTER = 0.1
"""Each wait is stretched or shrunk by up to 10 %, so retries of many deliveries spread out."""
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

Jitter = Callable[[float, float], float]


def shortest_span() -> timedelta:
    """The least time between the first and the last attempt, every jitter at its minimum."""
    return sum((delay * (1 - JITTER) for delay in RETRY_DELAYS), timedelta())


def retry_at(failed_attempts: int, now: datetime, jitter: Jitter = random.uniform) -> datetime | None:
    """When to try again after this many failed attempts; None when none are left."""
    if failed_attempts < 1 or failed_attempts >= MAX_ATTEMPTS:
        return None
    delay = RETRY_DELAYS[failed_attempts - 1]
    return now + delay * jitter(1 - JITTER, 1 + JITTER)
