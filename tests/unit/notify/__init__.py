"""Unit tests of the notify service."""
