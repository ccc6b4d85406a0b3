"""CDR CSV parser: shipped layouts, timestamps, rejections, file errors and chunking."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from importlib import resources
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.errors import InvalidInputError
from services.usage.domain import ReceivedRecord, RecordRejectedError, TimeWindow, validate
from services.usage.formats import Parsed, RowRejection
from services.usage.formats.cdr import (
    CdrMapping,
    CdrParser,
    Localizer,
    load_mapping,
    mapping_from_dict,
)

ASTERISK = load_mapping("asterisk")
GENERIC = load_mapping("generic")

REAL_ROW = (
    b'"","1001","5551234","from-internal","""Alice"" <1001>","SIP/1001-00000001","SIP/trunk-00000002",'
    b'"Dial","SIP/trunk/5551234,60","2026-11-23 10:00:00","2026-11-23 10:00:05","2026-11-23 10:03:17",'
    b'197,192,"ANSWERED","DOCUMENTATION","1700000000.1",""\n'
)
CALL: dict[str, str | int] = {
    "accountcode": "", "src": "1001", "dst": "5551234", "dcontext": "from-internal",
    "clid": '"Alice" <1001>', "channel": "SIP/1001-00000001", "dstchannel": "SIP/trunk-00000002",
    "lastapp": "Dial", "lastdata": "SIP/trunk/5551234,60", "start": "2026-11-23 10:00:00",
    "answer": "2026-11-23 10:00:05", "end": "2026-11-23 10:03:17", "duration": 197, "billsec": 192,
    "disposition": "ANSWERED", "amaflags": "DOCUMENTATION", "uniqueid": "1700000000.1", "userfield": "",
}
GENERIC_HEADER = (b"record_id,subscriber,account_id,service_type,started_at,ended_at,duration,quantity,unit,"
                  b"origin,destination,direction,location,price,currency\n")


def cdr(line_break: bytes = b"\n", **changes: str | int) -> bytes:
    """An Asterisk Master.csv row as cdr_csv writes it: text quoted, durations bare.

    Surrogate escapes in values become raw (undecodable) bytes.
    """
    values = {**CALL, **changes}
    cells = [str(value) if isinstance(value, int) else '"' + value.replace('"', '""') + '"'
             for value in (values[column] for column in ASTERISK.columns)]
    return ",".join(cells).encode("utf-8", "surrogateescape") + line_break


def parse(mapping: CdrMapping, chunks: Iterable[bytes], timezone: str | None = None) -> list[Parsed]:
    """Everything a parser makes of the chunks of one file."""
    parser = CdrParser(mapping, "pbx-1", timezone)
    out: list[Parsed] = []
    for chunk in chunks:
        out += parser.feed(chunk)
    return out + parser.finish()


def only(mapping: CdrMapping, data: bytes, timezone: str | None = None) -> Parsed:
    """The single thing parsed out of a file."""
    [parsed] = parse(mapping, [data], timezone)
    return parsed


def record(mapping: CdrMapping, data: bytes, timezone: str | None = None) -> ReceivedRecord:
    """The single record parsed out of a file."""
    parsed = only(mapping, data, timezone)
    assert isinstance(parsed, ReceivedRecord), parsed
    return parsed


def rejection(mapping: CdrMapping, data: bytes) -> RowRejection:
    """The single rejection parsed out of a file."""
    parsed = only(mapping, data)
    assert isinstance(parsed, RowRejection), parsed
    return parsed


def file_error(mapping: CdrMapping, chunks: Iterable[bytes]) -> str:
    """The reason a file is refused as a whole."""
    with pytest.raises(InvalidInputError) as caught:
        parse(mapping, chunks)
    assert caught.value.field == "file"
    return caught.value.reason


def generic(*rows: bytes) -> bytes:
    """A generic-layout file: the full header and the rows."""
    return GENERIC_HEADER + b"".join(rows)


# --- Asterisk -------------------------------------------------------------------------------


def test_the_row_builder_writes_what_asterisk_writes() -> None:
    assert cdr() == REAL_ROW


def test_an_answered_asterisk_call_becomes_a_record_billed_from_answer() -> None:
    assert record(ASTERISK, REAL_ROW) == ReceivedRecord(
        record_id="1700000000.1",
        source="pbx-1",
        service_type="voice",
        quantity="192",
        unit="second",
        started_at="2026-11-23T10:00:05+00:00",
        subscriber="1001",
        ended_at="2026-11-23T10:03:17+00:00",
        duration="192",
        attributes={
            "origin": "1001", "destination": "5551234", "direction": "outbound",
            "context": "from-internal", "channel": "SIP/1001-00000001",
            "dstchannel": "SIP/trunk-00000002", "disposition": "ANSWERED", "clid": '"Alice" <1001>',
            "lastapp": "Dial", "amaflags": "DOCUMENTATION",
        },
    )


def test_an_asterisk_record_passes_domain_validation() -> None:
    window = TimeWindow(datetime(2026, 11, 24, tzinfo=UTC), timedelta(hours=1), timedelta(days=30))
    usage = validate(record(ASTERISK, REAL_ROW), window)
    assert usage.started_at == datetime(2026, 11, 23, 10, 0, 5, tzinfo=UTC)
    assert usage.subscriber == "1001"


def test_the_account_code_names_the_subscriber_when_set() -> None:
    assert record(ASTERISK, cdr(accountcode="acme-042")).subscriber == "acme-042"


def test_a_call_without_answer_time_starts_at_its_start() -> None:
    assert record(ASTERISK, cdr(answer="")).started_at == "2026-11-23T10:00:00+00:00"


def test_user_field_and_other_attributes_are_kept_when_not_empty() -> None:
    attributes = record(ASTERISK, cdr(userfield="vip", clid="")).attributes
    assert attributes["userfield"] == "vip"
    assert "clid" not in attributes


def test_caller_id_with_doubled_quotes_and_commas_is_one_field() -> None:
    row = cdr(clid='"Smith, Bob" <1002>')
    assert b'"""Smith, Bob"" <1002>"' in row
    assert record(ASTERISK, row).attributes["clid"] == '"Smith, Bob" <1002>'


@pytest.mark.parametrize("disposition", ["NO ANSWER", "BUSY", "FAILED", "CONGESTION"])
def test_calls_that_were_not_answered_are_rejected(disposition: str) -> None:
    row = cdr(disposition=disposition, answer="", billsec=0, uniqueid="1700000000.9")
    assert rejection(ASTERISK, row) == RowRejection(
        line=1, record_id="1700000000.9", field="disposition", reason="not_answered",
        raw=row.decode().rstrip("\n"),
    )


def test_a_mixed_asterisk_file_keeps_its_order_and_line_numbers() -> None:
    data = cdr(uniqueid="1") + cdr(uniqueid="2", disposition="BUSY") + b"\n" + cdr(uniqueid="3")
    parsed = parse(ASTERISK, [data])
    assert [type(item).__name__ for item in parsed] == ["ReceivedRecord", "RowRejection", "ReceivedRecord"]
    assert [item.record_id for item in parsed] == ["1", "2", "3"]
    assert isinstance(parsed[1], RowRejection) and parsed[1].line == 2


# --- timestamps -----------------------------------------------------------------------------


def test_local_times_get_the_summer_offset_of_the_zone() -> None:
    parsed = record(ASTERISK, cdr(answer="2026-07-01 10:00:05", end="2026-07-01 10:03:17"), "Europe/London")
    assert (parsed.started_at, parsed.ended_at) == ("2026-07-01T10:00:05+01:00", "2026-07-01T10:03:17+01:00")


def test_local_times_get_the_winter_offset_of_the_zone() -> None:
    assert record(ASTERISK, REAL_ROW, "Europe/London").started_at == "2026-11-23T10:00:05+00:00"


def test_the_mapping_timezone_applies_without_an_override() -> None:
    berlin = dataclasses.replace(ASTERISK, timezone="Europe/Berlin")
    assert record(berlin, REAL_ROW).started_at == "2026-11-23T10:00:05+01:00"
    assert record(berlin, REAL_ROW, "America/New_York").started_at == "2026-11-23T10:00:05-05:00"


def test_an_unparseable_timestamp_passes_through_for_validation_to_reject() -> None:
    parsed = record(ASTERISK, cdr(answer="23/11/2026 10:00"))
    assert parsed.started_at == "23/11/2026 10:00"
    window = TimeWindow(datetime(2026, 11, 24, tzinfo=UTC), timedelta(hours=1), timedelta(days=30))
    with pytest.raises(RecordRejectedError) as caught:
        validate(parsed, window)
    assert (caught.value.rejection.field, caught.value.rejection.reason) == ("started_at", "not_a_timestamp")


def test_an_impossible_time_passes_through_unchanged() -> None:
    assert record(ASTERISK, cdr(end="2026-11-23 10:61:00")).ended_at == "2026-11-23 10:61:00"


def test_an_empty_optional_timestamp_stays_empty() -> None:
    assert record(ASTERISK, cdr(end="")).ended_at == ""


def test_rfc3339_timestamps_with_an_offset_are_kept_as_they_are() -> None:
    row = b"r1,+15551234,,voice,2026-07-01T10:00:00Z,2026-07-01T10:01:00+02:00,60,60,second,,,,,,\n"
    parsed = record(GENERIC, generic(row), "Europe/London")
    assert (parsed.started_at, parsed.ended_at) == ("2026-07-01T10:00:00Z", "2026-07-01T10:01:00+02:00")


def test_rfc3339_timestamps_without_an_offset_are_localized() -> None:
    row = b"r1,+15551234,,voice,2026-07-01T10:00:00,2026-07-01 10:01:00.5,60,60,second,,,,,,\n"
    parsed = record(GENERIC, generic(row), "Europe/London")
    assert parsed.started_at == "2026-07-01T10:00:00+01:00"
    assert parsed.ended_at == "2026-07-01T10:01:00.500000+01:00"


def test_a_date_without_time_is_not_an_rfc3339_timestamp() -> None:
    row = b"r1,+15551234,,voice,2026-07-01,,,60,second,,,,,,\n"
    assert record(GENERIC, generic(row)).started_at == "2026-07-01"


@pytest.mark.parametrize(("day", "hours"), [("2026-03-29", range(0, 4)), ("2026-10-25", range(0, 3))])
def test_remembered_offsets_match_a_fresh_computation_across_daylight_saving_changes(
    day: str, hours: range,
) -> None:
    zone = ZoneInfo("Europe/London")
    localizer = Localizer("%Y-%m-%d %H:%M:%S", zone)
    for hour in hours:
        for minute in range(60):
            for second in (0, 30, 59):
                value = f"{day} {hour:02d}:{minute:02d}:{second:02d}"
                expected = datetime.fromisoformat(value).replace(tzinfo=zone).isoformat()
                assert localizer.convert(value) == expected
                assert localizer.convert(value) == expected


def test_other_strptime_formats_are_parsed_and_localized() -> None:
    localizer = Localizer("%d/%m/%Y %H:%M", ZoneInfo("Europe/Paris"))
    assert localizer.convert("01/07/2026 10:00") == "2026-07-01T10:00:00+02:00"
    assert localizer.convert("31/02/2026 10:00") == "31/02/2026 10:00"


def test_an_unknown_timezone_override_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        CdrParser(ASTERISK, "pbx-1", timezone="Mars/Olympus_Mons")
    assert (caught.value.field, caught.value.reason) == ("timezone", "unknown_timezone")


# --- generic layout -------------------------------------------------------------------------


def test_a_generic_row_maps_every_column() -> None:
    row = (b"r1,+15551234,,voice,2026-07-01T10:00:00Z,2026-07-01T10:01:00Z,60,60,second,"
           b"+15551234,+4420,outbound,cell-7,0.12,EUR\n")
    assert record(GENERIC, generic(row)) == ReceivedRecord(
        record_id="r1", source="pbx-1", service_type="voice", quantity="60", unit="second",
        started_at="2026-07-01T10:00:00Z", subscriber="+15551234", ended_at="2026-07-01T10:01:00Z",
        duration="60", price="0.12", currency="EUR",
        attributes={
            "origin": "+15551234", "destination": "+4420", "direction": "outbound", "location": "cell-7",
        },
    )


def test_generic_extra_columns_become_attributes_under_their_lower_cased_name() -> None:
    data = (b"Record_ID,Account_ID,Service_Type,Started_At,Quantity,Unit,Cell_Tower,Roaming,Origin\n"
            b"r1,6f1c0a52-9d3b-4a57-8b1e-0d8b8f1e2a10,data,2026-07-01T10:00:00Z,1048576,byte,T-17,,me\n")
    parsed = record(GENERIC, data)
    assert parsed.account_id == "6f1c0a52-9d3b-4a57-8b1e-0d8b8f1e2a10"
    assert parsed.subscriber == ""
    assert parsed.attributes == {"cell_tower": "T-17", "origin": "me"}


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (b"subscriber,service_type,started_at,quantity,unit", "record_id"),
        (b"record_id,subscriber,started_at,quantity,unit", "service_type"),
        (b"record_id,subscriber,service_type,quantity,unit", "started_at"),
        (b"record_id,subscriber,service_type,started_at,unit", "quantity"),
        (b"record_id,subscriber,service_type,started_at,quantity", "unit"),
        (b"record_id,service_type,started_at,quantity,unit,origin", "subscriber"),
    ],
)
def test_a_header_without_a_required_column_refuses_the_file(header: bytes, missing: str) -> None:
    assert file_error(GENERIC, [header + b"\nr1,a,b,c,d,e\n"]) == f"missing_column:{missing}"


def test_a_header_naming_a_column_twice_refuses_the_file() -> None:
    data = b"record_id,subscriber,service_type,started_at,quantity,unit,Unit\n"
    assert file_error(GENERIC, [data]) == "duplicate_column:unit"


def test_a_header_alone_is_a_file_without_rows() -> None:
    assert parse(GENERIC, [GENERIC_HEADER]) == []


# --- rejections -----------------------------------------------------------------------------


def test_undecodable_bytes_reject_only_their_row() -> None:
    bad = cdr(uniqueid="2", clid="Zo\udcff")
    parsed = parse(ASTERISK, [cdr(uniqueid="1") + bad + cdr(uniqueid="3")])
    assert [item.record_id for item in parsed] == ["1", "2", "3"]
    assert parsed[1] == RowRejection(
        line=2, record_id="2", field="line", reason="bad_encoding",
        raw=bad.decode("utf-8", "replace").rstrip("\n"),
    )
    assert "\ufffd" in parsed[1].raw
    assert isinstance(parsed[2], ReceivedRecord)


def test_an_undecodable_record_id_is_not_reported() -> None:
    bad = cdr(uniqueid="id-\udcfe")
    assert rejection(ASTERISK, bad).record_id == ""


def test_a_row_with_the_wrong_number_of_columns_is_rejected() -> None:
    short = b'"","1001","5551234"\n'
    assert rejection(ASTERISK, short) == RowRejection(
        1, "", "line", "wrong_column_count", '"","1001","5551234"',
    )
    long = cdr(line_break=b',"extra"\n')
    assert rejection(ASTERISK, long).reason == "wrong_column_count"
    assert rejection(ASTERISK, long).record_id == "1700000000.1"


def test_a_last_row_cut_short_without_a_line_break_is_truncated() -> None:
    cut = REAL_ROW[:150]
    parsed = parse(ASTERISK, [cdr(uniqueid="1"), cut])
    assert parsed[1] == RowRejection(2, "", "line", "truncated", cut.decode())


def test_a_last_row_inside_an_open_quote_is_truncated() -> None:
    cut = REAL_ROW[:100] + b"\nmore"
    assert rejection(ASTERISK, cut) == RowRejection(1, "", "line", "truncated", cut.decode())


def test_a_truncated_row_reports_its_record_id_when_the_column_was_complete() -> None:
    cut = "r9,+1555,,voice,2026-07-01T10:00:00Z,,,6"
    assert rejection(GENERIC, generic(cut.encode())) == RowRejection(2, "r9", "line", "truncated", cut)


def test_a_complete_last_row_without_a_line_break_is_a_record() -> None:
    assert record(ASTERISK, REAL_ROW.rstrip(b"\n")).record_id == "1700000000.1"


def test_a_carriage_return_inside_an_unquoted_field_is_malformed() -> None:
    data = cdr(uniqueid="1") + b'"a"\r"b"\n' + cdr(uniqueid="3")
    parsed = parse(ASTERISK, [data])
    assert parsed[1] == RowRejection(2, "", "line", "malformed", '"a"\r"b"')
    assert isinstance(parsed[2], ReceivedRecord) and parsed[2].record_id == "3"


# --- file framing ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\n\n", b"  \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"])
def test_a_file_without_rows_is_refused_as_empty(data: bytes) -> None:
    assert file_error(ASTERISK, [data]) == "empty"
    assert file_error(GENERIC, [data]) == "empty"


def test_a_byte_order_mark_is_ignored() -> None:
    data = b"\xef\xbb\xbf" + generic(b"r1,+1555,,voice,2026-07-01T10:00:00Z,,,6,second,,,,,,\n")
    assert record(GENERIC, data).record_id == "r1"
    assert [item.record_id for item in parse(GENERIC, [bytes([byte]) for byte in data])] == ["r1"]


def test_crlf_line_endings_are_accepted() -> None:
    data = cdr(uniqueid="1", line_break=b"\r\n") + cdr(uniqueid="2", disposition="BUSY", line_break=b"\r\n")
    parsed = parse(ASTERISK, [data])
    assert isinstance(parsed[0], ReceivedRecord) and parsed[0].ended_at == "2026-11-23T10:03:17+00:00"
    assert isinstance(parsed[1], RowRejection)
    assert parsed[1].raw == cdr(uniqueid="2", disposition="BUSY", line_break=b"").decode()


def test_crlf_line_endings_in_a_header_file() -> None:
    data = generic(b"r1,+1555,,voice,2026-07-01T10:00:00Z,,,6,second,,,,,,\n").replace(b"\n", b"\r\n")
    parsed = record(GENERIC, data)
    assert (parsed.unit, parsed.currency) == ("second", "")


def test_a_quoted_field_may_span_lines_and_blank_lines_still_count() -> None:
    data = (b"\n" + cdr(uniqueid="1", userfield="note\r\nsecond line") + b"\n"
            + cdr(uniqueid="2", disposition="BUSY"))
    parsed = parse(ASTERISK, [data])
    assert isinstance(parsed[0], ReceivedRecord)
    assert parsed[0].attributes["userfield"] == "note\r\nsecond line"
    assert isinstance(parsed[1], RowRejection) and parsed[1].line == 5


def test_memory_stays_bounded_by_a_chunk_and_a_row() -> None:
    parser = CdrParser(ASTERISK, "pbx-1")
    data = REAL_ROW * 2000
    count = 0
    for offset in range(0, len(data), 4096):
        count += len(parser.feed(data[offset:offset + 4096]))
        assert sum(len(part) for part in parser._pending) <= 4096 + len(REAL_ROW)
    assert count + len(parser.finish()) == 2000


# --- chunking -------------------------------------------------------------------------------


POOL = [
    cdr(uniqueid="1"),
    cdr(uniqueid="2", accountcode="acme"),
    cdr(uniqueid="3", disposition="NO ANSWER", answer=""),
    cdr(uniqueid="4", clid="\"Zoë ☎ 山田\" <1004>", line_break=b"\r\n"),
    cdr(uniqueid="5", lastdata="multi\nline,\"quoted\"\r\nvalue"),
    cdr(uniqueid="6", answer="yesterday"),
    cdr(uniqueid="7", clid="bad\udce9byte"),
    b'"short","row"\n',
    b'"a"\r"b"\n',
    b"\n",
    b"\r\n",
]
TAILS = [b"", REAL_ROW.rstrip(b"\n"), REAL_ROW[:120], REAL_ROW[:60] + b"\nstill quoted", b'"\xe2\x98']


def outcome(mapping: CdrMapping, chunks: Iterable[bytes]) -> list[Parsed] | str:
    """What a parser makes of a file, or the reason it refuses it."""
    try:
        return parse(mapping, chunks, "Europe/London")
    except InvalidInputError as error:
        return f"{error.field}:{error.reason}"


def split(data: bytes, cuts: Iterable[int]) -> list[bytes]:
    """The data cut at those offsets."""
    points = [0, *sorted(set(cuts)), len(data)]
    return [data[start:end] for start, end in pairwise(points)]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_chunk_boundaries_never_change_what_is_parsed(data: st.DataObject) -> None:
    rows = data.draw(st.lists(st.sampled_from(POOL), max_size=12))
    content = (b"\xef\xbb\xbf" if data.draw(st.booleans()) else b"") + b"".join(rows)
    content += data.draw(st.sampled_from(TAILS))
    cuts = data.draw(st.lists(st.integers(0, len(content)), max_size=25))
    assert outcome(ASTERISK, split(content, cuts)) == outcome(ASTERISK, [content])


@pytest.mark.parametrize("mapping", [ASTERISK, GENERIC])
def test_one_byte_chunks_parse_like_the_whole_file(mapping: CdrMapping) -> None:
    content = b"".join(POOL) + TAILS[3]
    if mapping is GENERIC:
        content = b"\xef\xbb\xbf" + generic(
            b"r1,+1555,,voice,2026-07-01T10:00:00,,,6,second,\"a\nb\",,,,,\r\n",
            b"r2,+1555,,voice,2026-07-01T10:00:00Z,,,6,second,\xff,,,,,\n",
            b"r3,short\n\n",
            b"r4,+1555,,voice,2026-07-01T10:00:00Z,,,6,second,,,,,,",
        )
    whole = outcome(mapping, [content])
    assert isinstance(whole, list) and len(whole) >= 4
    assert outcome(mapping, [bytes([byte]) for byte in content]) == whole


# --- mappings -------------------------------------------------------------------------------


def test_shipped_mappings_load_by_name_and_by_path() -> None:
    path = resources.files("services.usage") / "mappings" / "generic.toml"
    assert load_mapping(str(path)) == dataclasses.replace(GENERIC, name="generic")
    assert ASTERISK.columns[-2:] == ("uniqueid", "userfield")
    assert ASTERISK.bill_only is not None and ASTERISK.bill_only.reason == "not_answered"


MINIMAL = """
header = true
[constants]
service_type = "voice"
unit = "second"
[fields]
record_id = "id"
subscriber = "who"
quantity = "secs"
started_at = "at"
"""


def mapping_error(text: str) -> str:
    """The reason a mapping document is refused."""
    with pytest.raises(InvalidInputError) as caught:
        mapping_from_dict("test", tomllib.loads(text))
    assert caught.value.field == "mapping"
    return caught.value.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("colour = 'red'\n" + MINIMAL, "unknown_key:colour"),
        ("encoding = 'utf-16'\n" + MINIMAL, "invalid:encoding"),
        ("encoding = 'klingon'\n" + MINIMAL, "invalid:encoding"),
        ("delimiter = ';;'\n" + MINIMAL, "invalid:delimiter"),
        ("delimiter = '\"'\n" + MINIMAL, "invalid:delimiter"),
        ("timezone = 'Nowhere/City'\n" + MINIMAL, "invalid:timezone"),
        ("timestamp_format = 'yyyy-mm-dd'\n" + MINIMAL, "invalid:timestamp_format"),
        ("columns = ['id']\n" + MINIMAL, "invalid:columns"),
        (MINIMAL.replace("header = true", "header = false"), "missing:columns"),
        (MINIMAL.replace("header = true", "header = 'yes'"), "invalid:header"),
        (MINIMAL.replace('record_id = "id"', 'record_id = []'), "invalid:fields.record_id"),
        (MINIMAL.replace('record_id = "id"', 'colour = "id"'), "unknown_field:colour"),
        (MINIMAL.replace('record_id = "id"\n', ""), "unmapped_field:record_id"),
        (MINIMAL.replace('subscriber = "who"\n', ""), "unmapped_field:subscriber"),
        (MINIMAL + 'unit = "u"\n', "duplicate_field:unit"),
        (MINIMAL + "[attributes]\nx = 'a'\n[constant_attributes]\nx = 'b'\n", "duplicate_attribute:x"),
        (MINIMAL + "[bill_only]\ncolumn = 'state'\n", "invalid:bill_only.equals"),
        (MINIMAL + "[bill_only]\ncolumn = 'state'\nequals = 'ok'\nwhy = 'x'\n", "unknown_key:bill_only.why"),
        (MINIMAL.replace("header = true", "header = false\ncolumns = ['id', 'who', 'secs']"),
         "unknown_column:at"),
        (MINIMAL.replace("header = true", "header = false\ncolumns = ['id', 'who', 'secs', 'at', 'id']"),
         "duplicate_column:id"),
    ],
)
def test_invalid_mappings_are_refused(text: str, reason: str) -> None:
    assert mapping_error(text) == reason


def test_a_custom_headerless_layout_with_its_own_delimiter_and_encoding() -> None:
    document: dict[str, Any] = tomllib.loads(MINIMAL.replace("header = true", "header = false"))
    document.update(columns=["id", "who", "secs", "at", "state"], delimiter=";", encoding="latin-1",
                    timestamp_format="%d.%m.%Y %H:%M:%S", timezone="Europe/Vienna",
                    bill_only={"column": "state", "equals": "ok"})
    mapping = mapping_from_dict("custom", document)
    text = "c1;Jürgen;60;01.07.2026 10:00:00;ok\nc2;x;1;01.07.2026 10:00:00;ko\n"
    parsed = parse(mapping, [text.encode("latin-1")])
    assert isinstance(parsed[0], ReceivedRecord)
    assert (parsed[0].subscriber, parsed[0].started_at) == ("Jürgen", "2026-07-01T10:00:00+02:00")
    assert parsed[1] == RowRejection(2, "c2", "state", "not_billable", "c2;x;1;01.07.2026 10:00:00;ko")
