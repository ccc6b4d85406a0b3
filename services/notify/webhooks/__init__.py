"""Signed webhooks: tenants' endpoints receive the platform's events, signed, retried, logged."""
