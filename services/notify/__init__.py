"""Notify service: emails customers their finalized invoices, exactly once per event."""
