"""A query's thread and states: questions, replies, assignment, closing, response targets."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from kernel.errors import InvalidInputError, NotFoundError
from services.support.domain.actors import Actor
from services.support.domain.errors import QueryClosedError, TooManyCommentsError
from services.support.domain.outcomes import EXPLAINED, Outcome
from services.support.domain.queries import MAX_COMMENTS, QueryState
from tests.unit.support.builders import AGENT, OPENED_AT, TARGET, customer_of, opened

LATER = OPENED_AT + timedelta(hours=2)


def test_asking_the_customer_awaits_them_and_their_reply_reopens_the_query() -> None:
    query = opened()
    customer = customer_of(query.account_id)
    query.ask_customer(AGENT, "Which numbers did you call?", LATER)
    assert query.state is QueryState.AWAITING_CUSTOMER
    query.comment(AGENT, "We are looking at the records too.", LATER)
    assert query.state is QueryState.AWAITING_CUSTOMER
    query.comment(customer, "+44 20 7946 0000 twice.", LATER + timedelta(hours=1))
    assert query.state is QueryState.OPEN
    assert [c.author for c in query.comments] == [customer, AGENT, AGENT, customer]


def test_the_first_staff_answer_meets_the_response_target_and_later_ones_do_not_move_it() -> None:
    query = opened()
    query.comment(customer_of(query.account_id), "Any news?", LATER)
    assert query.first_response_at is None
    assert not query.is_overdue(OPENED_AT + TARGET)
    assert query.is_overdue(OPENED_AT + TARGET + timedelta(seconds=1))
    query.comment(AGENT, "Looking into it.", OPENED_AT + TARGET + timedelta(hours=1))
    query.ask_customer(AGENT, "Which calls?", OPENED_AT + TARGET + timedelta(hours=2))
    assert query.first_response_at == OPENED_AT + TARGET + timedelta(hours=1)
    assert not query.is_overdue(OPENED_AT + timedelta(days=30))


def test_closing_counts_as_the_first_response() -> None:
    query = opened()
    query.reject(AGENT, "The calls are on the records.", LATER)
    assert query.first_response_at == LATER
    assert not query.is_overdue(OPENED_AT + timedelta(days=3))


def test_a_customer_may_not_comment_on_another_accounts_query() -> None:
    query = opened()
    with pytest.raises(NotFoundError):
        query.comment(customer_of(uuid4()), "Me too.", LATER)
    assert len(query.comments) == 1


def test_only_staff_ask_assign_and_close() -> None:
    query = opened()
    customer = customer_of(query.account_id)
    auditor = Actor("auditor", "auditor-key")
    for actor in (customer, auditor):
        with pytest.raises(InvalidInputError):
            query.ask_customer(actor, "?", LATER)
        with pytest.raises(InvalidInputError):
            query.assign(actor, "agent-7", LATER)
        with pytest.raises(InvalidInputError):
            query.reject(actor, "no", LATER)
    assert query.pending_events[1:] == []


def test_assigning_the_same_agent_again_changes_nothing_and_blank_names_are_refused() -> None:
    query = opened()
    query.assign(AGENT, "agent-7", LATER)
    query.assign(AGENT, "agent-7", LATER)
    assert query.assignee == "agent-7"
    assert len(query.pending_events) == 2
    with pytest.raises(InvalidInputError) as padded:
        query.assign(AGENT, " agent-7", LATER)
    assert padded.value.field == "assignee"
    query.assign(AGENT, "", LATER)
    assert query.assignee == ""


def test_a_closed_query_refuses_every_write_and_records_nothing() -> None:
    query = opened()
    query.resolve(Outcome(EXPLAINED, "The calls are itemised on page 2.", AGENT, LATER))
    events = len(query.pending_events)
    writes = [
        lambda: query.comment(customer_of(query.account_id), "But...", LATER),
        lambda: query.comment(AGENT, "Note.", LATER),
        lambda: query.ask_customer(AGENT, "?", LATER),
        lambda: query.assign(AGENT, "agent-7", LATER),
        lambda: query.reject(AGENT, "no", LATER),
        lambda: query.resolve(Outcome(EXPLAINED, "again", AGENT, LATER)),
    ]
    for write in writes:
        with pytest.raises(QueryClosedError):
            write()
    assert len(query.pending_events) == events
    assert query.state is QueryState.RESOLVED


def test_a_comment_must_have_words_within_the_limit() -> None:
    query = opened()
    for body in ("", "   ", "x" * 10_001):
        with pytest.raises(InvalidInputError) as refused:
            query.comment(AGENT, body, LATER)
        assert refused.value.field == "body"


def test_a_full_thread_takes_no_more_comments() -> None:
    query = opened()
    for n in range(MAX_COMMENTS - 1):
        query.comment(AGENT, f"note {n}", LATER)
    with pytest.raises(TooManyCommentsError):
        query.comment(AGENT, "one more", LATER)
