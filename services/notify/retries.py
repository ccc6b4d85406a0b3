"""When a delivery whose attempt failed for a passing reason is tried again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: first_delay doubling per attempt up to max_delay.

    After attempt n (1-based) fails, the next one waits first_delay * 2**(n-1), capped at
    max_delay, scaled by a random factor in [1 - jitter, 1 + jitter]; after max_attempts
    failed attempts the delivery fails for good.
    """

    max_attempts: int = 8
    first_delay: timedelta = timedelta(minutes=6)
    max_delay: timedelta = timedelta(hours=6)
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")
        if self.first_delay <= timedelta(0) or self.max_delay < self.first_delay:
            raise ValueError("delays must be positive, max_delay at least first_delay")

    def gives_up_after(self, attempts: int) -> bool:
        """True when this many failed attempts are all a delivery gets."""
        return attempts >= self.max_attempts

    def base_delay(self, attempts: int) -> timedelta:
        """The wait after the attempts-th failed attempt, before jitter."""
        exponent = min(max(attempts - 1, 0), 32)
        return min(self.first_delay * (2**exponent), self.max_delay)

    def delay(self, attempts: int, draw: float) -> timedelta:
        """The wait after the attempts-th failed attempt; draw is uniform in [0, 1)."""
        factor = 1 - self.jitter + 2 * self.jitter * draw
        return self.base_delay(attempts) * factor

    def schedule(self) -> list[timedelta]:
        """The waits between attempts before jitter, first to last."""
        return [self.base_delay(n) for n in range(1, self.max_attempts)]
