"""Unit tests of the payment service."""
