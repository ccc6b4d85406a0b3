"""Event type filters of webhook endpoints."""

from __future__ import annotations

import pytest

from kernel.errors import InvalidInputError
from kernel.messaging import PoisonMessageError
from services.notify.webhooks.consumer import parse_published_event
from services.notify.webhooks.filters import MAX_FILTERS, check_filters, filter_matches, matches_any


@pytest.mark.parametrize(("text", "event_type", "expected"), [
    ("invoice.Invoice.Finalized", "invoice.Invoice.Finalized", True),
    ("invoice.Invoice.Finalized", "invoice.Invoice.FinalizedLate", False),
    ("invoice.Invoice.Finalized", "invoice.Invoice.Drafted", False),
    ("payment.*", "payment.Payment.Succeeded", True),
    ("payment.*", "payment.Dunning.Reminded", True),
    ("payment.*", "paymentx.Payment.Succeeded", False),
    ("payment.*", "invoice.Invoice.Paid", False),
    ("payment.Dunning.*", "payment.Dunning.Suspended", True),
    ("payment.Dunning.*", "payment.Payment.Failed", False),
    ("payment.Dunning.*", "payment.DunningCase.Opened", False),
    ("*", "usage.Batch.Accepted", True),
])
def test_filters_select_exact_types_and_trailing_wildcards(text: str, event_type: str,
                                                           expected: bool) -> None:
    assert filter_matches(text, event_type) is expected


def test_any_filter_of_an_endpoint_may_select_the_event() -> None:
    filters = ("invoice.Invoice.Finalized", "payment.*")

    assert matches_any(filters, "payment.Payment.Failed")
    assert not matches_any(filters, "invoice.Invoice.Drafted")


def test_valid_filters_are_kept_once_in_order() -> None:
    assert check_filters([" payment.* ", "invoice.Invoice.Finalized", "payment.*", "*"]) == (
        "payment.*", "invoice.Invoice.Finalized", "*")


@pytest.mark.parametrize(("text", "reason"), [
    ("invoices.Invoice.Finalized", "unknown_service"),
    ("billing.*", "unknown_service"),
    ("invoice", "not_an_event_type"),
    ("invoice.Invoice", "not_an_event_type"),
    ("invoice.Invoice.Finalized.Again", "not_an_event_type"),
    ("invoice.*.Finalized", "not_an_event_type"),
    ("invoice.Inv*", "not_an_event_type"),
    ("*.Invoice.Finalized", "not_an_event_type"),
    ("invoice..Finalized", "not_an_event_type"),
    ("invoice.Invoice.Final ized", "not_an_event_type"),
    ("", "not_an_event_type"),
])
def test_malformed_filters_are_refused_naming_the_field(text: str, reason: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        check_filters([text])

    assert refused.value.field == "event_types"
    assert refused.value.reason.startswith(reason)


def test_an_endpoint_needs_one_to_fifty_filters() -> None:
    with pytest.raises(InvalidInputError, match="at_least_one"):
        check_filters([])
    with pytest.raises(InvalidInputError, match="at_most_50"):
        check_filters([f"invoice.Invoice.E{n}" for n in range(MAX_FILTERS + 1)])


def test_an_envelope_gives_the_event_type_subscribers_filter_on() -> None:
    event = parse_published_event(
        b'{"id": "invoice:7", "service": "invoice", "type": "Invoice.Finalized",'
        b' "tenant_id": "0b0a0000-0000-4000-8000-000000000001", "data": {}}')

    assert (event.event_id, event.event_type) == ("invoice:7", "invoice.Invoice.Finalized")


TENANT = "0b0a0000-0000-4000-8000-000000000001"


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'{"id": "invoice:7"}',
    f'{{"id": "", "service": "invoice", "type": "Invoice.Finalized", "tenant_id": "{TENANT}"}}'.encode(),
    b'{"id": "x:1", "service": "invoice", "type": "Invoice.Finalized", "tenant_id": "nope"}',
    f'{{"id": 5, "service": "invoice", "type": "Invoice.Finalized", "tenant_id": "{TENANT}"}}'.encode(),
    f'{{"id": "x:1", "service": "invoice", "tenant_id": "{TENANT}"}}'.encode(),
])
def test_malformed_envelopes_are_poison(body: bytes) -> None:
    with pytest.raises(PoisonMessageError):
        parse_published_event(body)
