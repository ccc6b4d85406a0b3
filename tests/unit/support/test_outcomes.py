"""Resolutions: what each outcome needs before anything is settled with the invoice service."""

from __future__ import annotations

from uuid import uuid4

import pytest

from kernel.errors import InvalidInputError
from services.support.domain.actors import Actor
from services.support.domain.outcomes import CreditedLine, Resolution, settlement_key
from tests.unit.support.builders import AGENT, eur, gbp


def refused_field(resolution: Resolution, field: str, has_invoice: bool = True) -> None:
    with pytest.raises(InvalidInputError) as refused:
        resolution.check(uuid4() if has_invoice else None)
    assert refused.value.field == field


def test_each_outcome_needs_its_own_money_side_and_nothing_else() -> None:
    line = CreditedLine(1, gbp("4.00"))
    refused_field(Resolution("refund", "ok", AGENT), "outcome")
    refused_field(Resolution("explained", " ", AGENT), "note")
    refused_field(Resolution("explained", "ok", AGENT, credit_lines=(line,)), "credit_lines")
    refused_field(Resolution("explained", "ok", AGENT, adjustment=gbp("1.00")), "adjustment")
    refused_field(Resolution("credit_note", "ok", AGENT), "credit_lines")
    refused_field(Resolution("credit_note", "ok", AGENT, credit_lines=(line,)), "outcome", has_invoice=False)
    refused_field(Resolution("credit_note", "ok", AGENT, credit_lines=(CreditedLine(1, gbp("0")),)),
                  "credit_lines[0].amount.amount")
    refused_field(Resolution("credit_note", "ok", AGENT, credit_lines=(CreditedLine(-1, gbp("1")),)),
                  "credit_lines[0].line_index")
    refused_field(Resolution("adjustment", "ok", AGENT), "adjustment")
    refused_field(Resolution("adjustment", "ok", AGENT, adjustment=gbp("0.00")), "adjustment.amount")
    refused_field(Resolution("adjustment", "ok", AGENT, adjustment=gbp("-1.001")), "adjustment.amount")
    refused_field(Resolution("explained", "ok", Actor("customer", "x")), "resolved_by.role")


def test_valid_resolutions_pass_and_currencies_are_checked_against_the_invoice_or_account() -> None:
    Resolution("explained", "ok", AGENT).check(None)
    Resolution("adjustment", "ok", AGENT, adjustment=gbp("-2.50")).check(None)
    credit = Resolution("credit_note", "ok", AGENT, credit_lines=(CreditedLine(1, eur("4.00")),))
    credit.check(uuid4())
    with pytest.raises(InvalidInputError) as currency:
        credit.check_credit_currency("GBP")
    assert currency.value.field == "credit_lines[0].amount.currency"
    with pytest.raises(InvalidInputError):
        Resolution("adjustment", "ok", AGENT, adjustment=eur("1.00")).check_adjustment_currency("GBP")


def test_a_query_settles_under_one_key_so_a_retry_finds_the_same_credit_note_or_charge() -> None:
    query_id = uuid4()
    assert settlement_key(query_id) == settlement_key(query_id)
    assert settlement_key(query_id) != settlement_key(uuid4())
    assert len(settlement_key(query_id)) <= 200
