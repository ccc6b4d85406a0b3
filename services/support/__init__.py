"""The support service: billing queries and disputes (docs/support.md)."""
