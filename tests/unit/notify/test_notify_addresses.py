"""Which recipient addresses notify will send to."""

from __future__ import annotations

import pytest

from services.notify.domain import (
    INVALID_EMAIL,
    InvalidEmailAddressError,
    check_email_address,
    is_valid_email_address,
)


@pytest.mark.parametrize("address", [
    "ada@example.org",
    "billing.team+invoices@sub.example.co.uk",
    "o'brien@example.ie",
    "x@xn--bcher-kva.example",
    "a@b.io",
])
def test_plain_mailbox_addresses_are_accepted(address: str) -> None:
    assert is_valid_email_address(address)


@pytest.mark.parametrize("address", [
    "",
    "ada",
    "ada@",
    "@example.org",
    "ada@example",
    "ada@@example.org",
    "ada example@example.org",
    "ada.@example.org",
    ".ada@example.org",
    "ada..lovelace@example.org",
    "ada@-example.org",
    "ada@example-.org",
    "ada@example..org",
    "ada@192.168.0.1",
    "ada@example.org\n",
    "ada@example.org\r\nBcc: victim@example.org",
    "Ada <ada@example.org>",
    "ada@exämple.org",
    "a" * 65 + "@example.org",
    "ada@" + "a" * 250 + ".org",
])
def test_malformed_addresses_are_refused(address: str) -> None:
    assert not is_valid_email_address(address)


def test_refusal_names_the_field_and_the_reason_invalid_email() -> None:
    with pytest.raises(InvalidEmailAddressError) as refused:
        check_email_address("not an address")

    assert (refused.value.field, refused.value.reason) == ("billing_email", INVALID_EMAIL)
