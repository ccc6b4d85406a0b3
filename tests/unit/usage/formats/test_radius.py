"""FreeRADIUS detail files: every accounting block becomes a session record or a named rejection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.errors import InvalidInputError
from services.usage.domain import ReceivedRecord, TimeWindow, validate
from services.usage.formats import Parsed, RowRejection
from services.usage.formats.radius import MAX_BLOCK_BYTES, RadiusDetailParser

START = 1795514400
"""2026-11-24T10:00:00Z"""

DETAIL = """\
Mon Nov 24 11:00:00 2026
\tAcct-Status-Type = Start
\tUser-Name = "ada@dsl.example.net"
\tAcct-Session-Id = "4D2B6F2A-00000001"
\tAcct-Unique-Session-Id = "8f3a2b1c9d0e4f5a"
\tNAS-IP-Address = 192.0.2.1
\tNAS-Port = 11
\tService-Type = Framed-User
\tFramed-Protocol = PPP
\tFramed-IP-Address = 198.51.100.7
\tCalling-Station-Id = "00-11-22-33-44-55"
\tEvent-Timestamp = "Nov 24 2026 11:00:00 CET"
\tAcct-Delay-Time = 0
\tAcct-Authentic = RADIUS
\tTimestamp = 1795514400

Mon Nov 24 10:01:00 2026
\tAcct-Status-Type = Start
\tUser-Name = "bob"
\tAcct-Session-Id = "00000A7F"
\tNAS-Identifier = "bras-02"
\tEvent-Timestamp = 1795514460
\tTimestamp = 1795514460

Mon Nov 24 11:05:00 2026
\tAcct-Status-Type = Interim-Update
\tUser-Name = "ada@dsl.example.net"
\tAcct-Session-Id = "4D2B6F2A-00000001"
\tAcct-Unique-Session-Id = "8f3a2b1c9d0e4f5a"
\tNAS-IP-Address = 192.0.2.1
\tFramed-IP-Address = 198.51.100.7
\tAcct-Input-Octets = 4294967000
\tAcct-Output-Octets = 1500
\tAcct-Input-Gigawords = 0
\tAcct-Output-Gigawords = 0
\tAcct-Session-Time = 300
\tEvent-Timestamp = "Nov 24 2026 11:05:00 CET"
\tTimestamp = 1795514701

Mon Nov 24 10:06:00 2026
\tAcct-Status-Type = Accounting-On
\tNAS-IP-Address = 192.0.2.9
\tAcct-Session-Id = "00000000"
\tEvent-Timestamp = "Nov 24 2026 10:06:00 UTC"
\tTimestamp = 1795514760


Mon Nov 24 10:10:00 2026
\tAcct-Status-Type = Stop
\tUser-Name = "ada@dsl.example.net"
\tAcct-Session-Id = "4D2B6F2A-00000001"
\tAcct-Unique-Session-Id = "8f3a2b1c9d0e4f5a"
\tNAS-IP-Address = 192.0.2.1
\tFramed-IP-Address = 198.51.100.7
\tAcct-Input-Octets = 100
\tAcct-Output-Octets = 2500
\tAcct-Input-Gigawords = 1
\tAcct-Output-Gigawords = 0
\tAcct-Session-Time = 600
\tAcct-Terminate-Cause = User-Request
\tEvent-Timestamp = "Nov 24 2026 10:10:00 UTC"
\tTimestamp = 1795515000

Mon Nov 24 10:12:00 2026
\tAcct-Status-Type = Stop
\tUser-Name = "bob"
\tAcct-Session-Id = "00000A7F"
\tNAS-Identifier = "bras-02"
\tAcct-Input-Octets = 2000
\tAcct-Output-Octets = 3000
\tAcct-Output-Gigawords = 2
\tAcct-Session-Time = 660
\tAcct-Terminate-Cause = Idle-Timeout
\tAcct-Delay-Time = 5
\tTimestamp = 1795515125
"""


def parse(data: bytes | str, chunks: list[int] | None = None) -> list[Parsed]:
    """Parse a whole file, fed at once or cut at the given offsets."""
    raw = data.encode() if isinstance(data, str) else data
    parser = RadiusDetailParser("bras-01")
    out: list[Parsed] = []
    previous = 0
    for cut in sorted(chunks or []):
        out += parser.feed(raw[previous:cut])
        previous = cut
    out += parser.feed(raw[previous:])
    return out + parser.finish()


def records(out: list[Parsed]) -> list[ReceivedRecord]:
    return [r for r in out if isinstance(r, ReceivedRecord)]


def rejections(out: list[Parsed]) -> list[RowRejection]:
    return [r for r in out if isinstance(r, RowRejection)]


def only_rejection(text: str) -> RowRejection:
    (rejection,) = parse(text)
    assert isinstance(rejection, RowRejection), rejection
    return rejection


def block(*lines: str, header: str = "Mon Nov 24 10:00:00 2026") -> str:
    """A block of a session; "Name = value" replaces or adds, "Name = None" drops, other lines are added."""
    attributes = {
        "Acct-Status-Type": "Interim-Update", "User-Name": '"ada"', "Acct-Session-Id": '"42"',
        "NAS-IP-Address": "192.0.2.1", "Acct-Input-Octets": "10", "Acct-Output-Octets": "20",
        "Acct-Session-Time": "30", "Event-Timestamp": str(START), "Timestamp": str(START),
    }
    extra = []
    for line in lines:
        name, separator, value = line.partition(" = ")
        if not separator:
            extra.append(f"\t{line}\n")
        elif value == "None":
            attributes.pop(name, None)
        else:
            attributes[name] = value
    text = "".join(f"\t{name} = {value}\n" for name, value in attributes.items())
    return header + "\n" + text + "".join(extra) + "\n"


def test_a_detail_file_becomes_one_record_per_session_accounting_request() -> None:
    out = parse(DETAIL)
    assert [type(r).__name__ for r in out] == [
        "ReceivedRecord", "ReceivedRecord", "ReceivedRecord", "RowRejection", "ReceivedRecord",
        "ReceivedRecord"]
    ada_start, bob_start, ada_interim, ada_stop, bob_stop = records(out)
    assert ada_start == ReceivedRecord(
        record_id=f"8f3a2b1c9d0e4f5a:start:{START}", source="bras-01", service_type="data", quantity="0",
        unit="byte", started_at="2026-11-24T10:00:00+00:00", subscriber="ada@dsl.example.net", duration="",
        session="8f3a2b1c9d0e4f5a",
        attributes={"status": "start", "input_octets": "0", "output_octets": "0", "nas": "192.0.2.1",
                    "framed_ip": "198.51.100.7", "calling_station": "00-11-22-33-44-55",
                    "session_id": "4D2B6F2A-00000001"},
    )
    assert bob_start.session == "bras-02:00000A7F"
    assert bob_start.record_id == f"bras-02:00000A7F:start:{START + 60}"
    assert bob_start.attributes["nas"] == "bras-02"
    assert ada_interim.record_id == f"8f3a2b1c9d0e4f5a:interim:{START + 300}"
    assert (ada_interim.quantity, ada_interim.duration) == (str(4294967000 + 1500), "300")
    assert ada_interim.started_at == "2026-11-24T10:05:00+00:00"
    assert ada_stop.quantity == str(2**32 + 100 + 2500)
    assert ada_stop.attributes == {
        "status": "stop", "input_octets": str(2**32 + 100), "output_octets": "2500", "nas": "192.0.2.1",
        "framed_ip": "198.51.100.7", "terminate_cause": "User-Request", "session_id": "4D2B6F2A-00000001"}
    assert bob_stop.quantity == str(2000 + 2 * 2**32 + 3000)
    assert bob_stop.record_id == f"bras-02:00000A7F:stop:{START + 720}"
    assert bob_stop.started_at == "2026-11-24T10:12:00+00:00"


def test_every_record_of_the_file_passes_validation() -> None:
    window = TimeWindow(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), timedelta(hours=1), timedelta(days=30))
    for record in records(parse(DETAIL)):
        usage = validate(record, window)
        assert usage.session == record.session
        assert usage.service_type == "data"


def test_accounting_on_and_off_carry_no_session_usage() -> None:
    (rejection,) = rejections(parse(DETAIL))
    assert rejection.line == DETAIL.splitlines().index("Mon Nov 24 10:06:00 2026") + 1
    assert (rejection.field, rejection.reason) == ("Acct-Status-Type", "not_session_accounting")
    assert rejection.record_id == ""
    assert rejection.raw.startswith("Mon Nov 24 10:06:00 2026\n\tAcct-Status-Type = Accounting-On")
    assert rejection.raw.endswith("Timestamp = 1795514760")
    off = only_rejection(block("Acct-Status-Type = Accounting-Off", "User-Name = None"))
    assert off.reason == "not_session_accounting"


@given(st.lists(st.integers(0, len(DETAIL.encode())), max_size=12))
def test_the_output_does_not_depend_on_where_the_chunks_end(cuts: list[int]) -> None:
    assert parse(DETAIL, cuts) == parse(DETAIL)


MIXED = (block("Acct-Status-Type = Start") + "\n\n  \t\n" + block("User-Name = None")
         + block("Acct-Input-Octets = ten") + block("Calling-Station-Id = \"caf\u00e9 \\\"x\\\" \\303\\251\"")
         + block("Event-Timestamp = \"Nov 24 2026 10:00:00 IST\"") + block("Broken line")
         + "Mon Nov 24 10:00:00 2026\r\n\tAcct-Status-Type = Stop\r\n\tUser-Name = \"ada\"\r\n"
           "\tAcct-Session-Id = \"42\"\r\n\tNAS-IP-Address = 192.0.2.1\r\n\tAcct-Input-Octets = 99\r\n"
           "\tTimestamp = 1795514999\r\n\r\n"
         + block("User-Name = \"b\u00f6b\"")
         + block("Acct-Status-Type = Stop", "Timestamp = None").rstrip("\n") + "\n")


@settings(max_examples=200)
@given(st.lists(st.integers(0, len(MIXED.encode())), max_size=20))
def test_rejections_utf8_and_crlf_do_not_depend_on_chunks_either(cuts: list[int]) -> None:
    assert parse(MIXED, cuts) == parse(MIXED)


def hostile_file() -> bytes:
    """Undecodable bytes, a block too long to keep with a long blank line after it, a cut last block."""
    accents = "\u00e9" * 60
    filler = "".join(f"\tCisco-AVPair = \"{i:06d}{accents}\"\n" for i in range(MAX_BLOCK_BYTES // 120))
    return (MIXED.encode() + block().encode().replace(b'"ada"', b'"ad\xc3"')
            + block().replace("\n\n", "\n" + filler + " " * 3000 + "\n").encode()
            + block("Acct-Status-Type = Stop").encode()[:-30])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(hostile_file())), max_size=30))
def test_hostile_files_do_not_depend_on_chunks_either(cuts: list[int]) -> None:
    assert parse(hostile_file(), cuts) == parse(hostile_file())


def test_the_hostile_file_ends_as_expected() -> None:
    reasons = [r.reason for r in rejections(parse(hostile_file()))]
    assert reasons[-3:] == ["bad_encoding", "too_long", "truncated"]


def test_the_mixed_file_gives_what_each_block_deserves() -> None:
    out = parse(MIXED)
    summary = [(r.field, r.reason) if isinstance(r, RowRejection) else r.attributes["status"] for r in out]
    assert summary == [
        "start", ("User-Name", "required"), ("Acct-Input-Octets", "not_a_number"), "interim",
        ("Event-Timestamp", "not_a_timestamp"), ("block", "malformed_line"), "stop", "interim",
        ("block", "truncated"),
    ]
    escaped = out[3]
    assert isinstance(escaped, ReceivedRecord)
    assert escaped.attributes["calling_station"] == 'caf\u00e9 "x" \u00e9'
    crlf = out[6]
    assert isinstance(crlf, ReceivedRecord)
    assert (crlf.quantity, crlf.record_id, crlf.duration) == ("99", "192.0.2.1:42:stop:1795514999", "")


def test_line_numbers_count_every_line_before_the_block() -> None:
    lines = [r.line for r in rejections(parse(MIXED))]
    text = MIXED.split("\n")
    headers = [number for number, line in enumerate(text, start=1) if line.startswith("Mon Nov")]
    assert lines == [headers[1], headers[2], headers[4], headers[5], headers[8]]


def test_a_rejection_names_its_record_when_it_can() -> None:
    rejection = only_rejection(block("Acct-Output-Gigawords = -1"))
    assert (rejection.field, rejection.reason) == ("Acct-Output-Gigawords", "not_a_number")
    assert rejection.record_id == f"192.0.2.1:42:interim:{START}"
    assert rejection.line == 1
    assert rejection.raw == block("Acct-Output-Gigawords = -1").rstrip("\n")


@pytest.mark.parametrize(("lines", "field", "reason"), [
    (["User-Name = None"], "User-Name", "required"),
    (["User-Name = \"\""], "User-Name", "required"),
    (["Acct-Status-Type = None"], "Acct-Status-Type", "required"),
    (["Acct-Status-Type = \"\""], "Acct-Status-Type", "required"),
    (["Acct-Status-Type = Tunnel-Start"], "Acct-Status-Type", "unknown_status"),
    (["Acct-Status-Type = Failed"], "Acct-Status-Type", "unknown_status"),
    (["Acct-Session-Id = None"], "Acct-Session-Id", "required"),
    (["NAS-IP-Address = None"], "NAS-IP-Address", "required"),
    (["Acct-Input-Octets = 1.5"], "Acct-Input-Octets", "not_a_number"),
    (["Acct-Output-Octets = 0x10"], "Acct-Output-Octets", "not_a_number"),
    (["Acct-Input-Gigawords = \u0661"], "Acct-Input-Gigawords", "not_a_number"),
    (["Acct-Session-Time = soon"], "Acct-Session-Time", "not_a_number"),
    (["Event-Timestamp = \"Nov 31 2026 10:00:00 UTC\""], "Event-Timestamp", "not_a_timestamp"),
    (["Event-Timestamp = \"Nov 24 2026 25:00:00 UTC\""], "Event-Timestamp", "not_a_timestamp"),
    (["Event-Timestamp = \"Nov 24 2026 10:00:00\""], "Event-Timestamp", "not_a_timestamp"),
    (["Event-Timestamp = \"Nov 24 2026 10:00:00 CST\""], "Event-Timestamp", "not_a_timestamp"),
    (["Event-Timestamp = 99999999999999999999"], "Event-Timestamp", "not_a_timestamp"),
    (["Event-Timestamp = None", "Timestamp = yesterday"], "Timestamp", "not_a_timestamp"),
    (["Event-Timestamp = None", "Timestamp = 1795514400", "Acct-Delay-Time = x"], "Acct-Delay-Time",
     "not_a_number"),
    (["User-Name = \"ada"], "block", "malformed_line"),
    (["User-Name = \"ada\\\""], "block", "malformed_line"),
    (["Broken"], "block", "malformed_line"),
    (["Vendor-Thing := 1"], "block", "malformed_line"),
])
def test_each_fault_is_named(lines: list[str], field: str, reason: str) -> None:
    rejection = parse(block(*lines) + block())[0]
    assert isinstance(rejection, RowRejection)
    assert (rejection.field, rejection.reason) == (field, reason)


def test_a_block_without_its_date_line_is_malformed() -> None:
    text = block().split("\n", 1)[1]
    rejection = parse(text + block())[0]
    assert isinstance(rejection, RowRejection)
    assert (rejection.field, rejection.reason) == ("block", "malformed_line")


def test_undecodable_bytes_reject_their_block_only() -> None:
    data = block().encode().replace(b'"ada"', b'"ad\xe9"') + block().encode()
    bad, good = parse(data)
    assert isinstance(bad, RowRejection)
    assert (bad.field, bad.reason, bad.line) == ("block", "bad_encoding", 1)
    assert "ad\ufffd" in bad.raw
    assert bad.record_id == f"192.0.2.1:42:interim:{START}"
    assert isinstance(good, ReceivedRecord)


def test_the_event_time_falls_back_to_the_arrival_time_less_the_delay() -> None:
    (stamped,) = parse(block("Event-Timestamp = None", "Timestamp = 1795514460", "Acct-Delay-Time = 60"))
    (dated,) = parse(block("Event-Timestamp = None", "Timestamp = None", "Acct-Delay-Time = 30",
                           header="Tue Nov  3 09:05:00 2026"))
    assert isinstance(stamped, ReceivedRecord)
    assert isinstance(dated, ReceivedRecord)
    assert stamped.started_at == "2026-11-24T10:00:00+00:00"
    assert stamped.record_id == f"192.0.2.1:42:interim:{START}"
    assert dated.started_at == "2026-11-03T09:04:30+00:00"


@pytest.mark.parametrize(("stamp", "expected"), [
    ("1795514400", "2026-11-24T10:00:00+00:00"),
    ('"1795514400"', "2026-11-24T10:00:00+00:00"),
    ('"Nov 24 2026 10:00:00 UTC"', "2026-11-24T10:00:00+00:00"),
    ('"Nov 24 2026 11:00:00 CET"', "2026-11-24T10:00:00+00:00"),
    ('"Jul  4 2026 12:00:00 CEST"', "2026-07-04T10:00:00+00:00"),
    ('"Nov 24 2026 05:00:00 EST"', "2026-11-24T10:00:00+00:00"),
    ('"Nov 24 2026 13:00:00 +03"', "2026-11-24T10:00:00+00:00"),
    ('"Nov 24 2026 15:30:00 +0530"', "2026-11-24T10:00:00+00:00"),
    ('"2026-11-24T11:00:00+01:00"', "2026-11-24T10:00:00+00:00"),
    ("0", "1970-01-01T00:00:00+00:00"),
])
def test_event_timestamps_in_every_written_form(stamp: str, expected: str) -> None:
    (record,) = parse(block(f"Event-Timestamp = {stamp}"))
    assert isinstance(record, ReceivedRecord)
    assert record.started_at == expected


def test_a_zone_abbreviation_can_be_given_its_meaning() -> None:
    parser = RadiusDetailParser("nas", zones={"IST": 19800})
    (record,) = parser.feed(block('Event-Timestamp = "Nov 24 2026 15:30:00 IST"').encode()) + parser.finish()
    assert isinstance(record, ReceivedRecord)
    assert record.started_at == "2026-11-24T10:00:00+00:00"


def test_status_numbers_and_aliases_are_understood() -> None:
    statuses = [r.attributes["status"] for r in records(parse(
        block("Acct-Status-Type = 1") + block("Acct-Status-Type = 3") + block("Acct-Status-Type = Alive")
        + block("Acct-Status-Type = 2")))]
    assert statuses == ["start", "interim", "interim", "stop"]


def test_the_unique_session_id_wins_over_the_nas_and_session_id() -> None:
    (record,) = parse(block('Acct-Unique-Session-Id = "u-1"', "NAS-IP-Address = None"))
    assert isinstance(record, ReceivedRecord)
    assert (record.session, record.record_id) == ("u-1", f"u-1:interim:{START}")
    assert "nas" not in record.attributes


def test_a_complete_last_block_needs_no_blank_line() -> None:
    (record,) = parse(block().rstrip("\n") + "\n")
    assert isinstance(record, ReceivedRecord)
    (crlf,) = parse(block().replace("\n", "\r\n").rstrip("\r\n") + "\r\n")
    assert crlf == record


def test_a_last_block_cut_mid_line_is_truncated() -> None:
    text = block() + block("Acct-Status-Type = Stop")
    cut = text[:text.rindex("Timestamp = ") + len("Timestamp = 17")]
    first, last = parse(cut)
    assert isinstance(first, ReceivedRecord)
    assert isinstance(last, RowRejection)
    assert (last.field, last.reason, last.line) == ("block", "truncated", block().count("\n") + 1)
    assert last.record_id == f"192.0.2.1:42:stop:{START}"
    assert last.raw.endswith("Timestamp = 17")


def test_a_last_block_cut_between_lines_is_truncated() -> None:
    text = block() + block("Acct-Status-Type = Stop")
    without_status = text[:text.rindex("\tAcct-Status-Type")]
    assert [r.reason for r in rejections(parse(without_status))] == ["truncated"]
    without_timestamp = text[:text.rindex("\tTimestamp")]
    assert [r.reason for r in rejections(parse(without_timestamp))] == ["truncated"]


def test_a_last_block_of_a_file_without_timestamps_is_complete_without_one() -> None:
    last = block("Timestamp = None", "Acct-Status-Type = Stop").rstrip("\n") + "\n"
    text = block("Timestamp = None") + last
    assert [r.attributes["status"] for r in records(parse(text))] == ["interim", "stop"]


def test_blank_lines_of_any_length_and_whitespace_separate_blocks() -> None:
    text = "\n \n" + block().rstrip("\n") + "\n\t\n\r\n\n" + block("Acct-Status-Type = Stop")
    out = parse(text)
    assert [r.attributes["status"] for r in records(out)] == ["interim", "stop"]


def test_a_file_without_any_block_is_refused() -> None:
    parser = RadiusDetailParser("nas")
    assert parser.feed(b"\n \n") == []
    with pytest.raises(InvalidInputError) as error:
        parser.finish()
    assert (error.value.field, error.value.reason) == ("file", "empty")


def test_a_block_too_long_is_rejected_and_skipped_with_bounded_memory() -> None:
    filler = "".join(f"\tCisco-AVPair = \"x{i:06d}={'y' * 80}\"\n" for i in range(MAX_BLOCK_BYTES // 90))
    huge = block().replace("\n\n", "\n" + filler + "\n")
    data = (block() + huge + block("Acct-Status-Type = Stop")).encode()
    parser = RadiusDetailParser("bras-01")
    out: list[Parsed] = []
    for offset in range(0, len(data), 1000):
        out += parser.feed(data[offset:offset + 1000])
        assert parser.buffered <= MAX_BLOCK_BYTES + 1000
    out += parser.finish()
    assert [type(r).__name__ for r in out] == ["ReceivedRecord", "RowRejection", "ReceivedRecord"]
    too_long = out[1]
    assert isinstance(too_long, RowRejection)
    assert (too_long.field, too_long.reason, too_long.line) == ("block", "too_long", block().count("\n") + 1)
    assert huge.startswith(too_long.raw)
    assert out == parse(data)
    last = out[2]
    assert isinstance(last, ReceivedRecord)
    assert last.attributes["status"] == "stop"


def test_a_block_that_never_ends_is_dropped_as_it_streams() -> None:
    parser = RadiusDetailParser("nas")
    line = b"\tCisco-AVPair = \"" + b"z" * 200 + b"\"\n"
    out = parser.feed(block().encode())
    out += parser.feed(b"Mon Nov 24 10:00:00 2026\n")
    for _ in range(2000):
        out += parser.feed(line)
        assert parser.buffered <= MAX_BLOCK_BYTES + len(line)
    out += parser.finish()
    assert [r.reason for r in rejections(out)] == ["too_long"]
    assert len(records(out)) == 1
