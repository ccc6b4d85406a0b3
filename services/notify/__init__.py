"""Notify service: customer emails about billing events (and webhooks and print batches)."""
