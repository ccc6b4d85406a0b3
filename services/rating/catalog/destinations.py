"""CSV destination rate tables: parsed streaming from bytes, every bad row named, refused whole.

Header (any order, case-insensitive): prefix, destination, rate, connect_fee, first_increment,
next_increment, optional minimum_charge, optional band. For SMS only prefix, destination and
rate are needed (rate is the price per message); the voice-only columns must then be empty.
A row's band names the time band its voice rate applies in; without one it applies in every band.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from kernel.errors import InvalidInputError
from services.rating.pricing import SmsRate, VoiceRate
from services.rating.pricing.prefixes import is_prefix

MAX_LISTED_ERRORS = 100
"""A refused file lists this many of its bad rows, first first."""
VOICE_COLUMNS = ("prefix", "destination", "rate", "connect_fee", "first_increment", "next_increment")
SMS_COLUMNS = ("prefix", "destination", "rate")
OPTIONAL_COLUMNS = ("minimum_charge", "band")
SERVICE_TYPES = ("voice", "sms")


@dataclass(frozen=True, slots=True)
class RowError:
    """What is wrong with one line of the file (line 1 is the header)."""

    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line} {self.field}: {self.reason}"


class DestinationFileError(InvalidInputError):
    """A destination file with bad rows: nothing of it is used. Lists the first 100 bad rows."""

    def __init__(self, errors: list[RowError], total: int) -> None:
        more = f" (and {total - len(errors)} more)" if total > len(errors) else ""
        super().__init__("file", f"{total} bad row(s){more}: " + "; ".join(map(str, errors)))
        self.errors = errors
        self.total = total


@dataclass
class DestinationTable:
    """The rows of a good file: voice rates with their band ('' for every band), or SMS rates."""

    service_type: str
    voice: list[tuple[str, VoiceRate]] = field(default_factory=list)
    sms: list[SmsRate] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.voice) if self.service_type == "voice" else len(self.sms)


def lines_of(chunks: Iterable[bytes]) -> Iterator[str]:
    """The text lines (with their endings) of UTF-8 bytes arriving in chunks of any size."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    rest = ""
    try:
        for chunk in chunks:
            rest += decoder.decode(chunk)
            if "\n" in rest:
                complete, _, rest = rest.rpartition("\n")
                yield from (complete + "\n").splitlines(keepends=True)
        rest += decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise InvalidInputError("file", f"not UTF-8 text: {error.reason}") from None
    if rest:
        yield rest


def parse_destinations(chunks: Iterable[bytes], service_type: str) -> DestinationTable:
    """Parse a destination CSV; any bad row refuses the whole file (DestinationFileError)."""
    if service_type not in SERVICE_TYPES:
        raise InvalidInputError("service_type", "must be voice or sms")
    reader = csv.reader(lines_of(chunks), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise InvalidInputError("file", f"line 1: {error}") from None
    if header is None:
        raise InvalidInputError("file", "is empty: a header line is needed")
    columns = column_positions(header, service_type)
    table = DestinationTable(service_type)
    errors: list[RowError] = []
    total = 0
    seen: dict[str, dict[str, int]] = {}
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            try:
                band, rate = (voice_row if service_type == "voice" else sms_row)(row, columns, len(header))
                clash = clashing_line(seen.get(rate.prefix), band)
                if clash:
                    raise BadCell("prefix", f"{rate.prefix!r} is also on line {clash}")
            except BadCell as bad:
                total += 1
                if len(errors) < MAX_LISTED_ERRORS:
                    errors.append(RowError(line, bad.field, bad.reason))
                continue
            seen.setdefault(rate.prefix, {})[band] = line
            if isinstance(rate, VoiceRate):
                table.voice.append((band, rate))
            else:
                table.sms.append(rate)
    except csv.Error as error:
        total += 1
        if len(errors) < MAX_LISTED_ERRORS:
            errors.append(RowError(reader.line_num, "file", str(error)))
    if errors:
        raise DestinationFileError(errors, total)
    if not len(table):
        raise InvalidInputError("file", "has no rows")
    return table


Columns = dict[str, int]


def clashing_line(bands: dict[str, int] | None, band: str) -> int | None:
    """The line already giving the prefix a rate in the band (a row without a band is in all)."""
    if not bands:
        return None
    if band in bands:
        return bands[band]
    if "" in bands:
        return bands[""]
    return min(bands.values()) if band == "" else None


class BadCell(Exception):
    """A cell of a row that cannot be used (caught per row, collected as a RowError)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field = field
        self.reason = reason


def column_positions(header: list[str], service_type: str) -> Columns:
    """Where each known column is; unknown, repeated or missing columns refuse the file."""
    names = [name.strip().lower() for name in header]
    known = VOICE_COLUMNS + OPTIONAL_COLUMNS
    columns: Columns = {}
    for index, name in enumerate(names):
        if name not in known:
            raise InvalidInputError("file", f"line 1: unknown column {name!r} (known: {', '.join(known)})")
        if name in columns:
            raise InvalidInputError("file", f"line 1: column {name!r} appears twice")
        columns[name] = index
    required = VOICE_COLUMNS if service_type == "voice" else SMS_COLUMNS
    missing = [name for name in required if name not in columns]
    if missing:
        raise InvalidInputError("file", f"line 1: missing column(s) {', '.join(missing)}")
    return columns


def cell(row: list[str], columns: Columns, name: str) -> str:
    index = columns.get(name)
    return row[index].strip() if index is not None else ""


def amount(raw: str, name: str) -> Decimal:
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise BadCell(name, f"{raw!r} is not a decimal number") from None
    if not value.is_finite() or value < 0:
        raise BadCell(name, "must be a non-negative number")
    return value


def seconds(raw: str, name: str, least: int) -> int:
    if not raw.isascii() or not raw.isdigit() or int(raw) < least:
        raise BadCell(name, f"{raw!r} is not a whole number of seconds from {least}")
    return int(raw)


def common(row: list[str], columns: Columns, width: int) -> tuple[str, str, Decimal]:
    """The prefix, destination name and rate every row has."""
    if len(row) != width:
        raise BadCell("file", f"has {len(row)} fields, the header {width}")
    prefix = cell(row, columns, "prefix")
    if not is_prefix(prefix):
        raise BadCell("prefix", f"{prefix!r} is not 1 to 15 digits")
    name = cell(row, columns, "destination")
    if not name:
        raise BadCell("destination", "must not be empty")
    return prefix, name, amount(cell(row, columns, "rate"), "rate")


def voice_row(row: list[str], columns: Columns, width: int) -> tuple[str, VoiceRate]:
    """One voice row: its band ('' for every band) and rate."""
    prefix, name, rate = common(row, columns, width)
    return cell(row, columns, "band"), VoiceRate(
        prefix, name, rate,
        connect_fee=amount(cell(row, columns, "connect_fee") or "0", "connect_fee"),
        first_increment=seconds(cell(row, columns, "first_increment"), "first_increment", 0),
        next_increment=seconds(cell(row, columns, "next_increment"), "next_increment", 1),
        minimum_charge=amount(cell(row, columns, "minimum_charge") or "0", "minimum_charge"),
    )


def sms_row(row: list[str], columns: Columns, width: int) -> tuple[str, SmsRate]:
    """One SMS row; the voice-only columns must be empty."""
    prefix, name, rate = common(row, columns, width)
    for column in ("connect_fee", "first_increment", "next_increment", "minimum_charge", "band"):
        if cell(row, columns, column):
            raise BadCell(column, "is not used for SMS rates: leave it empty")
    return "", SmsRate(prefix, name, rate)
