"""Destination CSV files: streamed from any chunking, bad rows listed by line, 50,000 rows fast."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from kernel.errors import InvalidInputError
from services.rating.catalog.destinations import DestinationFileError, parse_destinations
from services.rating.pricing import SmsRate, VoiceRate

HEADER = "prefix,destination,rate,connect_fee,first_increment,next_increment,minimum_charge,band\n"


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)]


def big_file(rows: int) -> bytes:
    lines = ["prefix,destination,rate,connect_fee,first_increment,next_increment"]
    lines += [f"{44_000_000 + n * 7},Destination {n},0.{n % 100:02d},0.01,30,6" for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_rows_parse_whatever_the_chunks() -> None:
    data = ("\ufeff" + HEADER + '44,"Royaume-Uni, fixe",0.04,,60,60,,\n'
            "336,France Mobile é,0.20,0.05,30,6,0.10,peak\n\n").encode()
    for size in (1, 2, 7, len(data)):
        table = parse_destinations(chunked(data, size), "voice")
        assert table.voice == [
            ("", VoiceRate("44", "Royaume-Uni, fixe", Decimal("0.04"))),
            ("peak", VoiceRate("336", "France Mobile é", Decimal("0.20"), Decimal("0.05"), 30, 6,
                               Decimal("0.10"))),
        ]


def test_every_bad_row_is_named_and_nothing_is_used() -> None:
    data = (HEADER + "44,UK,0.04,0,60,60,,\n"
            "4x,Bad,0.1,0,60,60,,\n"
            "45,,0.1,0,60,60,,\n"
            "46,Den,-1,0,60,60,,\n"
            "47,Swe,0.1,0,60,0,,\n"
            "44,UK again,0.04,0,60,60,,\n"
            "48,Short,0.1\n").encode()
    with pytest.raises(DestinationFileError) as refused:
        parse_destinations([data], "voice")
    assert refused.value.field == "file"
    assert [(e.line, e.field) for e in refused.value.errors] == [
        (3, "prefix"), (4, "destination"), (5, "rate"), (6, "next_increment"), (7, "prefix"), (8, "file"),
    ]
    assert "line 7 prefix: '44' is also on line 2" in refused.value.reason


def test_a_prefix_without_band_clashes_with_the_same_prefix_in_a_band() -> None:
    data = (HEADER + "44,UK,0.04,0,60,60,,peak\n44,UK,0.02,0,60,60,,offpeak\n44,UK,0.03,0,60,60,,\n").encode()
    with pytest.raises(DestinationFileError) as refused:
        parse_destinations([data], "voice")
    assert [(e.line, e.field) for e in refused.value.errors] == [(4, "prefix")]


def test_only_the_first_hundred_errors_are_listed() -> None:
    data = (HEADER + "".join(f"{n},X,bad,0,60,60,,\n" for n in range(1, 251))).encode()
    with pytest.raises(DestinationFileError) as refused:
        parse_destinations([data], "voice")
    assert len(refused.value.errors) == 100
    assert refused.value.total == 250
    assert refused.value.errors[0].line == 2
    assert "(and 150 more)" in refused.value.reason


@pytest.mark.parametrize(("data", "service_type", "reason"), [
    (b"", "voice", "empty"),
    (b"prefix,destination,rate\n44,UK,0.1\n", "voice", "missing column(s) connect_fee"),
    (b"prefix,destination,rate,colour\n", "sms", "unknown column 'colour'"),
    (b"prefix,destination,rate\n", "sms", "no rows"),
    (b"prefix,destination,rate\n44,\xff,0.1\n", "sms", "not UTF-8"),
])
def test_files_that_cannot_be_read_are_refused(data: bytes, service_type: str, reason: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_destinations([data], service_type)
    assert refused.value.field == "file"
    assert reason in refused.value.reason


def test_sms_files_need_three_columns_and_no_voice_values() -> None:
    table = parse_destinations([b"Prefix,Destination,Rate\n44,UK,0.04\n"], "sms")
    assert table.sms == [SmsRate("44", "UK", Decimal("0.04"))]
    with pytest.raises(DestinationFileError) as refused:
        parse_destinations([b"prefix,destination,rate,connect_fee\n44,UK,0.04,0.1\n"], "sms")
    assert refused.value.errors[0].field == "connect_fee"
    with pytest.raises(InvalidInputError):
        parse_destinations([b"prefix,destination,rate\n44,UK,0.04\n"], "data")


def test_fifty_thousand_rows_parse_in_well_under_a_second_or_two() -> None:
    data = big_file(50_000)
    started = time.perf_counter()
    table = parse_destinations(chunked(data, 1 << 20), "voice")
    elapsed = time.perf_counter() - started
    assert len(table) == 50_000
    assert table.voice[-1][1].prefix == str(44_000_000 + 49_999 * 7)
    assert elapsed < 2, elapsed
