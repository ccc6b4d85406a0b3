"""Fixtures shared by the notify integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.notify.smtp_server import ScriptedSmtpServer


@pytest.fixture
def smtp() -> Iterator[ScriptedSmtpServer]:
    """A real SMTP server on a free port."""
    with ScriptedSmtpServer() as server:
        yield server
