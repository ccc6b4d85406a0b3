"""Opening a query: what it may be about, what may be disputed, and who may open it."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from kernel.errors import InvalidInputError, NotFoundError, PreconditionError
from services.support.domain.actors import Actor
from services.support.domain.errors import RequestIdReusedError
from services.support.domain.queries import QueryState
from tests.unit.support.builders import AGENT, OPENED_AT, TARGET, eur, gbp, invoice_of, opened, request


def refused_field(field: str, **change: Any) -> None:
    with pytest.raises(InvalidInputError) as refused:
        request(**change).check()
    assert refused.value.field == field


def test_a_new_query_is_open_with_the_first_comment_and_a_response_target() -> None:
    query = opened()
    assert query.state is QueryState.OPEN
    assert [c.body for c in query.comments] == ["I made two calls, not five."]
    assert query.respond_by == OPENED_AT + TARGET
    assert query.first_response_at is None
    assert query.outcome is None


def test_request_fields_are_checked_and_named() -> None:
    refused_field("category", category="angry")
    refused_field("subject", subject="  ")
    refused_field("subject", subject="x" * 201)
    refused_field("body", body="")
    refused_field("body", body="x" * 10_001)
    refused_field("request_id", request_id="")
    refused_field("line_index", invoice_id=None, disputed_amount=None)
    refused_field("line_index", line_index=-1)
    refused_field("disputed_amount", invoice_id=None, line_index=None)
    refused_field("disputed_amount.amount", disputed_amount=gbp("0"))
    refused_field("disputed_amount.amount", disputed_amount=gbp("-1.00"))
    refused_field("disputed_amount.amount", disputed_amount=gbp("1.005"))
    refused_field("opened_by.role", opened_by=Actor("auditor", "key"))
    refused_field("opened_by.id", opened_by=Actor("support", ""))


def test_a_body_of_exactly_ten_thousand_characters_is_accepted() -> None:
    request(body="x" * 10_000).check()


def test_a_customer_opens_queries_on_their_own_account_only() -> None:
    with pytest.raises(NotFoundError):
        request(opened_by=Actor("customer", str(uuid4()))).check()
    request(opened_by=AGENT).check()


def test_the_invoice_must_be_the_accounts_and_the_line_must_exist() -> None:
    ask = request()
    with pytest.raises(NotFoundError):
        ask.check_against(invoice_of(uuid4()))
    with pytest.raises(InvalidInputError) as missing:
        request(account_id=ask.account_id, line_index=3).check_against(invoice_of(ask.account_id))
    assert missing.value.field == "line_index"


def test_a_disputed_amount_fits_the_line_or_the_invoice_total_in_its_currency() -> None:
    account = uuid4()
    invoice = invoice_of(account)
    request(account_id=account, disputed_amount=gbp("10.00")).check_against(invoice)
    request(account_id=account, line_index=None, disputed_amount=gbp("36.00")).check_against(invoice)
    for change in ({"disputed_amount": gbp("10.01")},
                   {"line_index": None, "disputed_amount": gbp("36.01")}):
        with pytest.raises(InvalidInputError) as too_much:
            request(account_id=account, **change).check_against(invoice)
        assert too_much.value.field == "disputed_amount.amount"
    with pytest.raises(InvalidInputError) as currency:
        request(account_id=account, disputed_amount=eur("1.00")).check_against(invoice)
    assert currency.value.field == "disputed_amount.currency"


def test_draft_and_void_invoices_cannot_be_disputed_but_can_be_asked_about() -> None:
    account = uuid4()
    for status in ("draft", "void"):
        with pytest.raises(PreconditionError):
            request(account_id=account).check_against(invoice_of(account, status))
        request(account_id=account, disputed_amount=None).check_against(invoice_of(account, status))


def test_the_same_request_id_finds_the_query_a_different_request_is_refused() -> None:
    query = opened()
    same = request(account_id=query.account_id, tenant_id=query.tenant_id,
                   invoice_id=query.invoice_id)
    query.check_same_request(same)
    with pytest.raises(RequestIdReusedError):
        query.check_same_request(request(account_id=query.account_id, tenant_id=query.tenant_id,
                                         invoice_id=query.invoice_id, disputed_amount=gbp("5.00")))
