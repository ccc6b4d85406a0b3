"""CDR files (CSV): a streaming parser driven by a column mapping (Asterisk, generic or custom)."""

from __future__ import annotations

import codecs
import csv
import io
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kernel.errors import InvalidInputError
from services.usage.domain import ReceivedRecord
from services.usage.formats import Parsed, RowRejection

RECORD_FIELDS = (
    "record_id", "account_id", "subscriber", "service_type", "quantity", "unit", "started_at",
    "ended_at", "duration", "price", "currency",
)
"""The record fields a mapping may feed, from columns or constants."""
REQUIRED_FIELDS = ("record_id", "service_type", "quantity", "unit", "started_at")
"""Fields every mapping must feed (and whose columns a header must name)."""
CUSTOMER_FIELDS = ("subscriber", "account_id")
"""A mapping must feed at least one of these."""
TIMESTAMP_FIELDS = ("started_at", "ended_at")
SHIPPED_MAPPINGS = ("asterisk", "generic")
MAPPING_KEYS = frozenset({
    "encoding", "delimiter", "header", "columns", "timezone", "timestamp_format", "constants",
    "fields", "attributes", "constant_attributes", "bill_only",
})
BILL_ONLY_KEYS = frozenset({"column", "equals", "reason"})
ISO = "iso"
"""timestamp_format for RFC 3339 timestamps (an offset is optional)."""
PLAIN_FORMAT = "%Y-%m-%d %H:%M:%S"
"""A strptime format with a fast path (datetime.fromisoformat)."""
BOM = codecs.BOM_UTF8
SECONDS = frozenset(f"{second:02d}" for second in range(60))
MAX_REMEMBERED_MINUTES = 100_000
ASCII = bytes(range(128))

_NAIVE_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?")
_SURROGATE = re.compile("[\\udc80-\\udcff]")

Sources = tuple[str, ...]
Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class BillOnly:
    """Bill a row only when its column equals the value; reject the others with the reason."""

    column: str
    equals: str
    reason: str = "not_billable"


@dataclass(frozen=True)
class CdrMapping:
    """How the columns of a CDR CSV layout become received records (docs/usage-formats.md)."""

    name: str
    fields: tuple[tuple[str, Sources], ...]
    constants: Pairs = ()
    attributes: tuple[tuple[str, Sources], ...] = ()
    constant_attributes: Pairs = ()
    bill_only: BillOnly | None = None
    header: bool = True
    columns: tuple[str, ...] = ()
    encoding: str = "utf-8"
    delimiter: str = ","
    timezone: str = "UTC"
    timestamp_format: str = ISO


@dataclass(frozen=True)
class Plan:
    """A mapping resolved against the columns of one file: what each row feeds."""

    width: int
    template: dict[str, Any]
    fields: tuple[tuple[str, int], ...]
    fallbacks: tuple[tuple[str, tuple[int, ...]], ...]
    timestamps: tuple[str, ...]
    attributes: tuple[tuple[str, int], ...]
    attribute_fallbacks: tuple[tuple[str, tuple[int, ...]], ...]
    constant_attributes: dict[str, str]
    record_id: tuple[int, ...]
    bill_index: int
    bill_equals: str
    bill_field: str
    bill_reason: str


def load_mapping(name_or_path: str) -> CdrMapping:
    """A shipped mapping by name ("asterisk", "generic"), else the mapping TOML file at that path."""
    try:
        data = tomllib.loads(mapping_text(name_or_path))
    except tomllib.TOMLDecodeError:
        raise InvalidInputError("mapping", "not_toml") from None
    return mapping_from_dict(Path(name_or_path).stem, data)


def mapping_text(name_or_path: str) -> str:
    """The TOML text of a shipped mapping or of a mapping file."""
    if name_or_path in SHIPPED_MAPPINGS:
        shipped = resources.files("services.usage") / "mappings" / f"{name_or_path}.toml"
        return shipped.read_text(encoding="utf-8")
    try:
        return Path(name_or_path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInputError("mapping", "not_found") from None
    except (OSError, UnicodeDecodeError):
        raise InvalidInputError("mapping", "unreadable") from None


def mapping_from_dict(name: str, data: Mapping[str, Any]) -> CdrMapping:
    """Check a parsed mapping document and build the mapping; raise InvalidInputError("mapping", ...)."""
    unknown = sorted(set(data) - MAPPING_KEYS)
    if unknown:
        raise bad_mapping(f"unknown_key:{unknown[0]}")
    header = data.get("header", True)
    if not isinstance(header, bool):
        raise bad_mapping("invalid:header")
    delimiter = text_option(data, "delimiter", ",")
    timezone = text_option(data, "timezone", "UTC")
    if load_zone(timezone) is None:
        raise bad_mapping("invalid:timezone")
    mapping = CdrMapping(
        name=name,
        fields=sources_table(data, "fields", RECORD_FIELDS),
        constants=text_table(data, "constants", RECORD_FIELDS),
        attributes=sources_table(data, "attributes", None),
        constant_attributes=text_table(data, "constant_attributes", None),
        bill_only=bill_only_option(data.get("bill_only")),
        header=header,
        columns=column_list(data.get("columns"), header),
        encoding=check_encoding(text_option(data, "encoding", "utf-8")),
        delimiter=check_delimiter(delimiter),
        timezone=timezone,
        timestamp_format=check_timestamp_format(text_option(data, "timestamp_format", ISO)),
    )
    check_coverage(mapping)
    return mapping


def bad_mapping(reason: str) -> InvalidInputError:
    """The error for a mapping file that cannot be used."""
    return InvalidInputError("mapping", reason)


def text_option(data: Mapping[str, Any], key: str, default: str) -> str:
    """A top-level text option."""
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise bad_mapping(f"invalid:{key}")
    return value


def text_table(data: Mapping[str, Any], key: str, allowed: Sequence[str] | None) -> Pairs:
    """A table of names to constant texts."""
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise bad_mapping(f"invalid:{key}")
    for name, value in table.items():
        if allowed is not None and name not in allowed:
            raise bad_mapping(f"unknown_field:{name}")
        if not isinstance(value, str):
            raise bad_mapping(f"invalid:{key}.{name}")
    return tuple(table.items())


def sources_table(
    data: Mapping[str, Any], key: str, allowed: Sequence[str] | None,
) -> tuple[tuple[str, Sources], ...]:
    """A table of names to a column or an ordered list of fallback columns."""
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise bad_mapping(f"invalid:{key}")
    sources = []
    for name, value in table.items():
        if allowed is not None and name not in allowed:
            raise bad_mapping(f"unknown_field:{name}")
        sources.append((name, column_sources(value, f"{key}.{name}")))
    return tuple(sources)


def column_sources(value: object, key: str) -> Sources:
    """A column name or a non-empty list of column names, lower-cased."""
    columns = [value] if isinstance(value, str) else value
    if not isinstance(columns, list) or not columns:
        raise bad_mapping(f"invalid:{key}")
    if not all(isinstance(column, str) and column.strip() for column in columns):
        raise bad_mapping(f"invalid:{key}")
    return tuple(column.strip().lower() for column in columns)


def column_list(value: object, header: bool) -> tuple[str, ...]:
    """The columns of a headerless layout, in file order (forbidden when the file has a header)."""
    if header:
        if value is not None:
            raise bad_mapping("invalid:columns")
        return ()
    if value is None:
        raise bad_mapping("missing:columns")
    columns = column_sources(value, "columns")
    duplicates = sorted({column for column in columns if columns.count(column) > 1})
    if duplicates:
        raise bad_mapping(f"duplicate_column:{duplicates[0]}")
    return columns


def bill_only_option(value: object) -> BillOnly | None:
    """The optional bill_only filter: { column, equals, reason }."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise bad_mapping("invalid:bill_only")
    unknown = sorted(set(value) - BILL_ONLY_KEYS)
    if unknown:
        raise bad_mapping(f"unknown_key:bill_only.{unknown[0]}")
    column = bill_only_text(value, "column", "")
    equals = bill_only_text(value, "equals", None)
    reason = bill_only_text(value, "reason", "not_billable")
    if not column.strip() or not reason.strip():
        raise bad_mapping("invalid:bill_only")
    return BillOnly(column.strip().lower(), equals, reason)


def bill_only_text(table: Mapping[str, Any], key: str, default: str | None) -> str:
    """A text entry of the bill_only table."""
    value = table.get(key, default)
    if not isinstance(value, str):
        raise bad_mapping(f"invalid:bill_only.{key}")
    return value


def check_encoding(name: str) -> str:
    """A known text encoding that keeps ASCII as is (so quotes, delimiters and newlines are bytes)."""
    try:
        codec = codecs.lookup(name).name
        compatible = ASCII.decode(codec) == ASCII.decode("ascii")
        compatible = compatible and ASCII.decode("ascii").encode(codec) == ASCII
    except (LookupError, UnicodeError, TypeError, ValueError):
        compatible = False
    if not compatible:
        raise bad_mapping("invalid:encoding")
    return "utf-8" if codec == "utf-8-sig" else codec


def check_delimiter(delimiter: str) -> str:
    """One ASCII character that is not a quote or a line break."""
    if len(delimiter) != 1 or not delimiter.isascii() or delimiter in '"\r\n':
        raise bad_mapping("invalid:delimiter")
    return delimiter


def check_timestamp_format(timestamp_format: str) -> str:
    """"iso" or a strptime format."""
    if timestamp_format != ISO and "%" not in timestamp_format:
        raise bad_mapping("invalid:timestamp_format")
    return timestamp_format


def check_coverage(mapping: CdrMapping) -> None:
    """Every required field is fed, nothing is fed twice, a headerless layout has every column."""
    fed = [name for name, _ in mapping.fields] + [name for name, _ in mapping.constants]
    duplicates = sorted({name for name in fed if fed.count(name) > 1})
    if duplicates:
        raise bad_mapping(f"duplicate_field:{duplicates[0]}")
    missing = [name for name in REQUIRED_FIELDS if name not in fed]
    if not any(name in fed for name in CUSTOMER_FIELDS):
        missing.append(CUSTOMER_FIELDS[0])
    if missing:
        raise bad_mapping(f"unmapped_field:{missing[0]}")
    named = [name for name, _ in mapping.attributes] + [name for name, _ in mapping.constant_attributes]
    duplicates = sorted({name for name in named if named.count(name) > 1})
    if duplicates:
        raise bad_mapping(f"duplicate_attribute:{duplicates[0]}")
    if not mapping.header:
        unknown = [column for column in referenced_columns(mapping) if column not in mapping.columns]
        if unknown:
            raise bad_mapping(f"unknown_column:{unknown[0]}")


def referenced_columns(mapping: CdrMapping) -> list[str]:
    """Every column the mapping reads, in mapping order."""
    columns = [column for _, sources in mapping.fields + mapping.attributes for column in sources]
    if mapping.bill_only is not None:
        columns.append(mapping.bill_only.column)
    return columns


def load_zone(key: str) -> tzinfo | None:
    """The IANA time zone of that name, or None."""
    if key == "UTC":
        return UTC
    try:
        return ZoneInfo(key)
    except (ValueError, KeyError, OSError):
        return None


def make_plan(mapping: CdrMapping, columns: Sequence[str], source: str) -> Plan:
    """Resolve the mapping against a file's columns; a header lacking a required column is an error."""
    index: dict[str, int] = {}
    for position, column in enumerate(columns):
        if column in index:
            raise InvalidInputError("file", f"duplicate_column:{column}")
        if column:
            index[column] = position
    require_columns(mapping, index)
    fields, fallbacks = resolve(mapping.fields, index)
    attributes, attribute_fallbacks = resolve(mapping.attributes, index)
    named = {name for name, _ in mapping.attributes + mapping.constant_attributes}
    known = set(referenced_columns(mapping))
    if mapping.header:
        extras = [(column, position) for column, position in index.items()
                  if column not in known and column not in named]
        attributes = extras + attributes
    fed = {name for name, _ in [*mapping.constants, *fields, *fallbacks]}
    bill = mapping.bill_only
    return Plan(
        width=len(columns),
        template={**dict.fromkeys(fed, ""), **dict(mapping.constants), "source": source},
        fields=tuple(fields),
        fallbacks=tuple(fallbacks),
        timestamps=tuple(name for name in TIMESTAMP_FIELDS if name in fed),
        attributes=tuple(attributes),
        attribute_fallbacks=tuple(attribute_fallbacks),
        constant_attributes=dict(mapping.constant_attributes),
        record_id=present(dict(mapping.fields).get("record_id", ()), index),
        bill_index=index[bill.column] if bill else -1,
        bill_equals=bill.equals if bill else "",
        bill_field=bill.column if bill else "",
        bill_reason=bill.reason if bill else "",
    )


def require_columns(mapping: CdrMapping, index: Mapping[str, int]) -> None:
    """The columns feeding required fields (and the bill_only filter) are present."""
    constants = {name for name, _ in mapping.constants}
    sources = dict(mapping.fields)
    needed = [sources[name] for name in REQUIRED_FIELDS if name not in constants]
    if not constants.intersection(CUSTOMER_FIELDS):
        needed.append(tuple(column for name in CUSTOMER_FIELDS for column in sources.get(name, ())))
    if mapping.bill_only is not None:
        needed.append((mapping.bill_only.column,))
    for columns in needed:
        if not present(columns, index):
            raise InvalidInputError("file", f"missing_column:{columns[0]}")


def present(columns: Sources, index: Mapping[str, int]) -> tuple[int, ...]:
    """The indexes of those columns that the file has, in order."""
    return tuple(index[column] for column in columns if column in index)


def resolve(
    sources: tuple[tuple[str, Sources], ...], index: Mapping[str, int],
) -> tuple[list[tuple[str, int]], list[tuple[str, tuple[int, ...]]]]:
    """Split sources into single-column ones and fallback lists, dropping absent columns."""
    single: list[tuple[str, int]] = []
    fallbacks: list[tuple[str, tuple[int, ...]]] = []
    for name, columns in sources:
        indexes = present(columns, index)
        if len(indexes) == 1:
            single.append((name, indexes[0]))
        elif indexes:
            fallbacks.append((name, indexes))
    return single, fallbacks


def first_filled(row: list[str], indexes: tuple[int, ...]) -> str:
    """The first non-empty value among those columns, or ""."""
    for index in indexes:
        if row[index]:
            return row[index]
    return ""


class Localizer:
    """Timestamps of a layout as RFC 3339 text with an offset; unparseable text is kept as is."""

    def __init__(self, timestamp_format: str, zone: tzinfo) -> None:
        self._format = timestamp_format
        self._zone = zone
        self._separators = {ISO: "Tt ", PLAIN_FORMAT: " "}.get(timestamp_format, "")
        # "YYYY-MM-DD HH:MM:" -> ("YYYY-MM-DDTHH:MM:", offset) for naive minutes with one offset:
        # most timestamps then skip datetime entirely (it costs more than parsing the row).
        self._minutes: dict[str, tuple[str, str]] = {}

    def convert(self, value: str) -> str:
        """The timestamp as RFC 3339 text."""
        minute = self._minutes.get(value[:17])
        if minute is not None and value[17:] in SECONDS:
            return minute[0] + value[17:] + minute[1]
        return self._convert(value)

    def _convert(self, value: str) -> str:
        """The slow path: parse, localize, format (and remember the minute's offset)."""
        instant = self._parse(value)
        if instant is None or (instant.tzinfo is not None and self._format == ISO):
            return value
        if instant.tzinfo is not None:
            return instant.isoformat()
        instant = instant.replace(tzinfo=self._zone)
        text = instant.isoformat()
        if self._is_plain(value) and same_offset_all_minute(instant):
            if len(self._minutes) >= MAX_REMEMBERED_MINUTES:
                self._minutes.clear()
            self._minutes[value[:17]] = (text[:17], text[19:])
        return text

    def _parse(self, value: str) -> datetime | None:
        """The timestamp as a datetime, or None."""
        if self._format == ISO:
            return parse_iso(value)
        if self._is_plain(value):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                pass
        try:
            return datetime.strptime(value, self._format)
        except ValueError:
            return None

    def _is_plain(self, value: str) -> bool:
        """Shaped like "YYYY-MM-DD HH:MM:SS" with the format's separator (digits are checked later)."""
        return (len(value) == 19 and value[10] in self._separators and value[4] == "-" and value[7] == "-"
                and value[13] == ":" and value[16] == ":")


def same_offset_all_minute(instant: datetime) -> bool:
    """Whether the zone's offset is the same at the start and at the end of that minute."""
    return instant.replace(second=0).utcoffset() == instant.replace(second=59).utcoffset()


def parse_iso(value: str) -> datetime | None:
    """An RFC 3339 timestamp (the offset may be missing), or None."""
    try:
        instant = datetime.fromisoformat(value)
    except ValueError:
        return None
    if instant.tzinfo is None and not _NAIVE_RFC3339.fullmatch(value):
        return None
    return instant


def record_pattern(delimiter: str) -> re.Pattern[str]:
    """A whole CSV record up to its line break, quoted fields included (csv module semantics)."""
    sep = re.escape(delimiter)
    field = f'(?:"(?:[^"]++|"")*+"[^{sep}\\n]*+|[^"{sep}\\n][^{sep}\\n]*+)?+'
    return re.compile(f"{field}(?:{sep}{field})*+\\n")


def has_surrogate(text: str) -> bool:
    """Whether the text holds bytes the encoding could not decode (surrogate escapes)."""
    return _SURROGATE.search(text) is not None


def strip_line_break(text: str) -> str:
    """The text without its final line break."""
    if text.endswith("\r\n"):
        return text[:-2]
    return text[:-1] if text.endswith("\n") else text


def tail_offset(region: bytes, lines: int) -> int:
    """Where the last `lines` lines of a region (each ending with a newline) begin."""
    position = len(region) - 1
    for _ in range(lines):
        position = region.rfind(b"\n", 0, position)
    return position + 1


class CdrParser:
    """Push parser for CDR CSV files: byte chunks in, received records and row rejections out."""

    def __init__(self, mapping: CdrMapping, source: str, timezone: str | None = None) -> None:
        zone = load_zone(timezone or mapping.timezone)
        if zone is None and timezone:
            raise InvalidInputError("timezone", "unknown_timezone")
        if zone is None:
            raise bad_mapping("invalid:timezone")
        self._mapping = mapping
        self._source = source
        self._localize = Localizer(mapping.timestamp_format, zone).convert
        self._complete = record_pattern(mapping.delimiter)
        self._plan = None if mapping.header else make_plan(mapping, mapping.columns, source)
        self._pending: list[bytes] = []
        self._line = 0
        self._started = False
        self._seen = False
        self._undecodable = False

    def feed(self, chunk: bytes) -> list[Parsed]:
        """Parse the complete rows the chunk finishes; keep the incomplete tail for later."""
        if b"\n" not in chunk:
            if chunk:
                self._pending.append(chunk)
            return []
        data = b"".join((*self._pending, chunk)) if self._pending else chunk
        cut = data.rfind(b"\n") + 1
        out, left = self._parse(data[:cut], unterminated=False)
        self._pending = [part for part in (left, data[cut:]) if part]
        return out

    def finish(self) -> list[Parsed]:
        """End of file: parse what is left (an incomplete last row is rejected as truncated)."""
        data = b"".join(self._pending)
        self._pending = []
        out: list[Parsed] = []
        if data:
            unterminated = not data.endswith(b"\n")
            out, left = self._parse(data + b"\n" if unterminated else data, unterminated)
            if left:
                out.append(self._truncated(left))
        if not self._seen and not out:
            raise InvalidInputError("file", "empty")
        return out

    def _parse(self, region: bytes, unterminated: bool) -> tuple[list[Parsed], bytes]:
        """Parse a region of whole lines; return what it gave and the bytes of an unfinished last row."""
        if not self._started:
            self._started = True
            region = region.removeprefix(BOM)
        try:
            text, self._undecodable = region.decode(self._mapping.encoding), False
        except UnicodeDecodeError:
            text, self._undecodable = region.decode(self._mapping.encoding, "surrogateescape"), True
        lines = io.StringIO(text, newline="\n").readlines()
        out: list[Parsed] = []
        start = self._rows(lines, unterminated, out)
        self._line += start
        self._seen = self._seen or bool(out)
        if start == len(lines):
            return out, b""
        return out, region[tail_offset(region, len(lines) - start):]

    def _rows(self, lines: list[str], unterminated: bool, out: list[Parsed]) -> int:
        """Parse the rows of whole lines into out; return the first line of an unfinished last row."""
        # The common row (right width, billable, not on the last line) takes the fast path;
        # everything else (blank, header, rejections, the possibly unfinished last row) goes to _row.
        reader = csv.reader(lines, delimiter=self._mapping.delimiter)
        count, start, append = len(lines), 0, out.append
        width, bill_index, bill_equals = self._fast_path()
        while True:
            try:
                for row in reader:
                    end = reader.line_num
                    if (end < count and len(row) == width
                            and (bill_index < 0 or row[bill_index] == bill_equals)):
                        append(self._record(row))
                    elif end == count and not self._complete.fullmatch("".join(lines[start:])):
                        return start
                    else:
                        self._row(row, lines, start, end, unterminated and end == count, out)
                        width, bill_index, bill_equals = self._fast_path()
                    start = end
                return start
            except csv.Error:
                end = reader.line_num
                append(self._reject([], lines, start, end, "malformed"))
                start = end

    def _fast_path(self) -> tuple[int, int, str]:
        """What the fast path checks: row width (-1: no fast path), bill_only column and value."""
        plan = self._plan
        if plan is None or self._undecodable:
            return -1, -1, ""
        return plan.width, plan.bill_index, plan.bill_equals

    def _row(self, row: list[str], lines: list[str], start: int, end: int, cut: bool,
             out: list[Parsed]) -> None:
        """One row off the fast path: blank, the header, a rejection or a record."""
        if not row or (len(row) == 1 and not row[0].strip()):
            return
        plan = self._plan
        if plan is None:
            self._plan = self._header(row, self._undecodable and has_surrogate("".join(lines[start:end])))
            self._seen = True
        elif self._undecodable and has_surrogate("".join(lines[start:end])):
            out.append(self._reject(row, lines, start, end, "bad_encoding"))
        elif len(row) != plan.width:
            out.append(self._reject(row, lines, start, end, "truncated" if cut else "wrong_column_count"))
        elif plan.bill_index >= 0 and row[plan.bill_index] != plan.bill_equals:
            out.append(self._reject(row, lines, start, end, plan.bill_reason, plan.bill_field))
        else:
            out.append(self._record(row))

    def _header(self, row: list[str], undecodable: bool) -> Plan:
        """The plan for a file whose first row names its columns."""
        if undecodable:
            raise InvalidInputError("file", "bad_encoding")
        return make_plan(self._mapping, [name.strip().lower() for name in row], self._source)

    def _record(self, row: list[str]) -> ReceivedRecord:
        """The received record of a row (values are validated later, by the domain)."""
        plan = self._plan
        assert plan is not None
        values = plan.template.copy()
        for name, index in plan.fields:
            values[name] = row[index]
        for name, indexes in plan.fallbacks:
            for index in indexes:
                if row[index]:
                    values[name] = row[index]
                    break
        localize = self._localize
        for name in plan.timestamps:
            if values[name]:
                values[name] = localize(values[name])
        attributes = {}
        for name, index in plan.attributes:
            if row[index]:
                attributes[name] = row[index]
        for name, indexes in plan.attribute_fallbacks:
            value = first_filled(row, indexes)
            if value:
                attributes[name] = value
        attributes.update(plan.constant_attributes)
        values["attributes"] = attributes
        return ReceivedRecord(**values)

    def _reject(self, row: list[str], lines: list[str], start: int, end: int, reason: str,
                field: str = "line") -> RowRejection:
        """A rejection of the row on lines[start:end]; before the header, the whole file fails."""
        if self._plan is None:
            raise InvalidInputError("file", reason)
        raw = strip_line_break("".join(lines[start:end]))
        readable = row[:-1] if reason == "truncated" else row
        return RowRejection(self._line + start + 1, self._record_id(readable), field, reason,
                            self._printable(raw))

    def _truncated(self, left: bytes) -> RowRejection:
        """The rejection of an incomplete last row (an unterminated quoted field)."""
        if self._plan is None:
            raise InvalidInputError("file", "truncated")
        text = left.decode(self._mapping.encoding, "surrogateescape")
        self._undecodable = has_surrogate(text)
        try:
            row = next(csv.reader([text], delimiter=self._mapping.delimiter), [])
        except csv.Error:
            row = []
        return RowRejection(self._line + 1, self._record_id(row[:-1]), "line", "truncated",
                            self._printable(strip_line_break(text)))

    def _record_id(self, row: list[str]) -> str:
        """The record id of a rejected row if its column could be read, else ""."""
        for index in self._plan.record_id if self._plan else ():
            if index < len(row) and row[index] and not (self._undecodable and has_surrogate(row[index])):
                return row[index]
        return ""

    def _printable(self, raw: str) -> str:
        """Raw row text with undecodable bytes shown as replacement characters."""
        if not (self._undecodable and has_surrogate(raw)):
            return raw
        encoding = self._mapping.encoding
        return raw.encode(encoding, "surrogateescape").decode(encoding, "replace")
