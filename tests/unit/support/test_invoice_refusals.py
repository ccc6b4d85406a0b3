"""The invoice service's refusals as support errors naming the resolve request's fields."""

from __future__ import annotations

import grpc

from kernel.errors import InvalidInputError, NotFoundError, PreconditionError, UnavailableError
from services.support.invoices import call_error, charge_field, credit_note_field
from tests.unit.gateway.gateway_fakes import rpc_error


def test_credit_note_fields_are_named_as_the_resolve_request_names_them() -> None:
    assert credit_note_field("lines[0].amount") == "credit_lines[0].amount.amount"
    assert credit_note_field("lines[1].line_index") == "credit_lines[1].line_index"
    assert credit_note_field("lines.line_index") == "credit_lines.line_index"
    assert credit_note_field("reason") == "note"


def test_charge_fields_are_named_as_the_adjustment() -> None:
    assert charge_field("amount") == "adjustment.amount"
    assert charge_field("amount.currency") == "adjustment.currency"
    assert charge_field("description") == "adjustment"


def test_each_refusal_becomes_one_error_family() -> None:
    too_much = call_error(rpc_error(grpc.StatusCode.INVALID_ARGUMENT, "too much", "lines[0].amount",
                                    "at most 4.00 is left on the line"), "x", credit_note_field)
    assert isinstance(too_much, InvalidInputError)
    assert (too_much.field, too_much.reason) == ("credit_lines[0].amount.amount",
                                                 "at most 4.00 is left on the line")
    assert isinstance(call_error(rpc_error(grpc.StatusCode.NOT_FOUND, "gone"), "x", charge_field),
                      NotFoundError)
    assert isinstance(call_error(rpc_error(grpc.StatusCode.FAILED_PRECONDITION, "void"), "x",
                                 credit_note_field), PreconditionError)
    assert isinstance(call_error(rpc_error(grpc.StatusCode.UNAVAILABLE, "down"), "x", charge_field),
                      UnavailableError)
