"""Payments: money received against invoices, recorded once per idempotency key."""
