"""How long rating reuses looked-up tariff versions and rating contexts."""

from __future__ import annotations

LOOKUP_SECONDS = 5.0
"""How long a looked-up tariff version or rating context is reused: a new version or plan change
takes effect for rating and quotes at most this long after it is saved."""
