"""Unit tests of the payment-gateway port and its adapters."""
