"""Integration tests of the payment service against real PostgreSQL and NATS."""
