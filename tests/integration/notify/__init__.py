"""Integration tests of the notify service against real PostgreSQL, NATS and SMTP."""
