"""FreeRADIUS detail files: a streaming parser of accounting requests into data session records.

A detail file is a sequence of blocks separated by blank lines, one per accounting request: a ctime
date line, then one `Attribute-Name = value` line per attribute (docs/usage-formats.md). Each Start,
Interim-Update or Stop block becomes a record carrying the cumulative counters of its session; the
store turns them into per-interval deltas (services/usage/sessions.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from itertools import repeat

from kernel.errors import InvalidInputError
from services.usage.domain import ReceivedRecord
from services.usage.formats import Parsed, RowRejection

GIGAWORD = 2**32
"""What one Acct-*-Gigawords counts: the times the 32-bit octet counter wrapped."""
MAX_BLOCK_BYTES = 65_536
"""Longest believable block (a RADIUS packet is at most 4096 bytes); longer ones are rejected."""
STAMP_CACHE = 4096
"""How many Event-Timestamp texts a parser remembers the conversion of."""
MAX_RAW_BYTES = 4096
"""How much of a block too long to keep is shown in its rejection."""

STATUSES = {
    "Start": "start", "Interim-Update": "interim", "Alive": "interim", "Stop": "stop",
    "1": "start", "3": "interim", "2": "stop",
}
"""Acct-Status-Type values of session accounting (names or RFC 2866 numbers) to the record status."""
NOT_SESSION = frozenset({"Accounting-On", "Accounting-Off", "7", "8"})
"""Acct-Status-Type values a NAS sends about itself, carrying no session usage."""
OPTIONAL_ATTRIBUTES = (
    ("framed_ip", "Framed-IP-Address"),
    ("calling_station", "Calling-Station-Id"),
    ("terminate_cause", "Acct-Terminate-Cause"),
    ("session_id", "Acct-Session-Id"),
)
"""Record attributes copied from the block when present."""
NAS_ATTRIBUTES = ("NAS-IP-Address", "NAS-IPv6-Address", "NAS-Identifier")
"""Where the NAS of a request is named, in order of preference."""
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MONTHS = {
    name: number for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)
}
ZONES: dict[str, int] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 3600, "BST": 3600,
    "CET": 3600, "CEST": 7200, "MET": 3600, "MEST": 7200, "EET": 7200, "EEST": 10800, "MSK": 10800,
    "EST": -18000, "EDT": -14400, "CDT": -18000, "MST": -25200, "MDT": -21600,
    "PST": -28800, "PDT": -25200, "AKST": -32400, "AKDT": -28800, "HST": -36000,
    "JST": 32400, "KST": 32400, "HKT": 28800, "SGT": 28800, "AWST": 28800,
    "AEST": 36000, "AEDT": 39600, "ACST": 34200, "ACDT": 37800, "NZST": 43200, "NZDT": 46800,
    "SAST": 7200, "WAT": 3600, "CAT": 7200, "EAT": 10800, "BRT": -10800, "ART": -10800,
}
"""Unambiguous zone abbreviations (offsets in seconds) an Event-Timestamp text may end with.

Ambiguous ones (CST, IST, AST, ...) are refused unless the parser is given their meaning."""

_SEPARATOR = re.compile(rb"\n([ \t\r]*)\n(?:[ \t\r]*\n)*")
"""The blank lines after a block; the first one's whitespace is group 1."""
_LEADING = re.compile(rb"[ \t\r\n]*")
_ESCAPE = re.compile(rb"\\([0-7]{3}|.)", re.DOTALL)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t"}
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})?")
_BLANK = b" \t\r"
_WHITESPACE = b" \t\r\n"
_SEPARATOR_TEXT = " = "
_DAY = 86_400


class Rejected(Exception):
    """A block cannot become a record: the attribute at fault and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def attributes_of(body: str) -> dict[str, str] | None:
    """The attributes of a block's lines after its date, values as written (to strip); None if a line
    is no `Name = value`. When a name repeats, its last line wins."""
    if not body:
        return {}
    lines = body[1:].split("\n\t") if body[0] == "\t" else []
    if len(lines) != body.count("\n") + 1:
        lines = [line.strip() for line in body.split("\n")]
    try:
        return dict(map(str.split, lines, repeat(_SEPARATOR_TEXT), repeat(1)))
    except ValueError:
        return None


def readable_attributes(body: str) -> dict[str, str]:
    """The attributes of the lines that read `Name = value` (to name a rejected block's record)."""
    pairs = (line.strip().split(_SEPARATOR_TEXT, 1) for line in body.split("\n"))
    return {pair[0]: pair[1] for pair in pairs if len(pair) == 2}


def value_of(attributes: Mapping[str, str], name: str) -> str | None:
    """An attribute's value without quotes and escapes, or None when absent."""
    value = attributes.get(name)
    if value is None:
        return None
    value = value.strip()
    return unquote(value) if value[:1] == '"' else value


def unquote(value: str) -> str:
    """A double-quoted value's text, its backslash escapes (\\n, \\", octal \\302, ...) resolved."""
    inner = value[1:-1]
    if len(value) < 2 or value[-1] != '"':
        raise Rejected("block", "malformed_line")
    if "\\" not in inner:
        return inner
    if (len(inner) - len(inner.rstrip("\\"))) % 2:
        raise Rejected("block", "malformed_line")
    try:
        return _ESCAPE.sub(escaped_byte, inner.encode()).decode()
    except UnicodeDecodeError:
        raise Rejected("block", "bad_encoding") from None


def escaped_byte(match: re.Match[bytes]) -> bytes:
    """The byte one escape sequence stands for."""
    code = match.group(1)
    if len(code) == 3:
        return bytes((int(code, 8) & 0xFF,))
    return _ESCAPES.get(code, code)


def filled(attributes: Mapping[str, str], name: str) -> str:
    """An attribute's value, or "" when absent or blank."""
    value = attributes.get(name)
    if not value:
        return ""
    value = value.strip()
    if value[:1] == '"':
        value = unquote(value)
        return "" if value.isspace() else value
    return value


def integer(value: str) -> int | None:
    """A non-negative integer written in decimal digits, or None."""
    if value.isdigit() and value.isascii() and len(value) <= 30:
        return int(value)
    return None


def counter(attributes: Mapping[str, str], name: str) -> int:
    """A counter attribute (0 when absent); anything but a non-negative integer is rejected."""
    value = attributes.get(name)
    if value is None:
        return 0
    if value.isdigit() and value.isascii() and len(value) <= 30:
        return int(value)
    number = integer(value_of(attributes, name) or "")
    if number is None:
        raise Rejected(name, "not_a_number")
    return number


def octets(attributes: Mapping[str, str], octets_name: str, gigawords_name: str) -> int:
    """A cumulative octet count, its 32-bit wraps (gigawords) included."""
    return counter(attributes, gigawords_name) * GIGAWORD + counter(attributes, octets_name)


def nas_of(attributes: Mapping[str, str]) -> str:
    """The NAS that sent the request: its IP address, else its identifier, or ""."""
    for name in NAS_ATTRIBUTES:
        value = filled(attributes, name)
        if value:
            return value
    return ""


def session_of(attributes: Mapping[str, str], nas: str) -> str:
    """Acct-Unique-Session-Id, else "<NAS>:<Acct-Session-Id>" (a session id is unique per NAS only)."""
    unique = filled(attributes, "Acct-Unique-Session-Id")
    if unique:
        return unique
    session_id = filled(attributes, "Acct-Session-Id")
    if not session_id:
        raise Rejected("Acct-Session-Id", "required")
    if not nas:
        raise Rejected("NAS-IP-Address", "required")
    return f"{nas}:{session_id}"


def status_of(attributes: Mapping[str, str]) -> str:
    """start, interim or stop."""
    value = filled(attributes, "Acct-Status-Type")
    status = STATUSES.get(value)
    if status is None:
        if not value:
            raise Rejected("Acct-Status-Type", "required")
        reason = "not_session_accounting" if value in NOT_SESSION else "unknown_status"
        raise Rejected("Acct-Status-Type", reason)
    return status


def event_time(attributes: Mapping[str, str], header: str, zones: Mapping[str, int]) -> tuple[int, str]:
    """When the event happened, as epoch seconds and RFC 3339 UTC text."""
    stamp = value_of(attributes, "Event-Timestamp")
    if stamp is not None:
        return instant(event_epoch(stamp, zones), "Event-Timestamp")
    for name in ("Timestamp", "Donestamp"):
        stamp = value_of(attributes, name)
        if stamp is not None:
            received = integer(stamp)
            if received is None:
                raise Rejected(name, "not_a_timestamp")
            return instant(received - counter(attributes, "Acct-Delay-Time"), name)
    return instant(header_epoch(header) - counter(attributes, "Acct-Delay-Time"), "Event-Timestamp")


def instant(epoch: int, field: str) -> tuple[int, str]:
    """Epoch seconds with their RFC 3339 UTC text ("2026-11-24T10:00:00+00:00")."""
    day, second = divmod(epoch, _DAY)
    hour, second = divmod(second, 3600)
    minute, second = divmod(second, 60)
    return epoch, f"{day_text(day, field)}T{hour:02d}:{minute:02d}:{second:02d}+00:00"


@lru_cache(maxsize=1024)
def day_text(day: int, field: str) -> str:
    """The UTC date of a day counted from the epoch; beyond the calendar is not a timestamp."""
    try:
        return (EPOCH + timedelta(days=day)).date().isoformat()
    except OverflowError:
        raise Rejected(field, "not_a_timestamp") from None


def event_epoch(value: str, zones: Mapping[str, int]) -> int:
    """An Event-Timestamp: epoch seconds, "Nov 24 2026 10:00:00 CET" or RFC 3339 with an offset."""
    number = integer(value)
    if number is not None:
        return number
    parts = value.split()
    if len(parts) == 5:
        offset = zone_offset(parts[4], zones)
        return midnight(parts[2], parts[0], parts[1]) + seconds_of_day(parts[3]) - offset
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Rejected("Event-Timestamp", "not_a_timestamp") from None
    if moment.tzinfo is None:
        raise Rejected("Event-Timestamp", "not_a_timestamp")
    return int(moment.timestamp())


def zone_offset(zone: str, zones: Mapping[str, int]) -> int:
    """The UTC offset in seconds of a zone abbreviation or of a numeric offset (+01, +0530, -05:00)."""
    offset = zones.get(zone)
    if offset is not None:
        return offset
    match = _OFFSET.fullmatch(zone)
    if match is None:
        raise Rejected("Event-Timestamp", "not_a_timestamp")
    sign = -1 if match.group(1) == "-" else 1
    return sign * (int(match.group(2)) * 3600 + int(match.group(3) or 0) * 60)


def header_epoch(header: str) -> int:
    """The block's date line ("Mon Nov 24 10:00:00 2026", the server's local time) taken as UTC."""
    parts = header.split()
    if len(parts) != 5:
        raise Rejected("Event-Timestamp", "not_a_timestamp")
    return midnight(parts[4], parts[1], parts[2]) + seconds_of_day(parts[3])


@lru_cache(maxsize=1024)
def midnight(year: str, month: str, day: str) -> int:
    """Epoch seconds of the start of a UTC calendar day given as text ("2026", "Nov", "24")."""
    y, d = integer(year), integer(day)
    if y is None or d is None or month not in MONTHS:
        raise Rejected("Event-Timestamp", "not_a_timestamp")
    try:
        return int(datetime(y, MONTHS[month], d, tzinfo=UTC).timestamp())
    except ValueError:
        raise Rejected("Event-Timestamp", "not_a_timestamp") from None


def seconds_of_day(clock: str) -> int:
    """Seconds since midnight of "HH:MM:SS"."""
    digits = clock[:2] + clock[3:5] + clock[6:]
    if len(clock) == 8 and clock[2] == ":" and clock[5] == ":" and digits.isdigit() and digits.isascii():
        hour, minute, second = int(clock[:2]), int(clock[3:5]), int(clock[6:])
        if hour < 24 and minute < 60 and second < 61:
            return hour * 3600 + minute * 60 + second
    raise Rejected("Event-Timestamp", "not_a_timestamp")


def record_id_of(header: str, attributes: Mapping[str, str], zones: Mapping[str, int]) -> str:
    """The record id of a block if its status, session and event time can be read, else ""."""
    try:
        session = session_of(attributes, nas_of(attributes))
        return f"{session}:{status_of(attributes)}:{event_time(attributes, header, zones)[0]}"
    except Rejected:
        return ""


def past_whitespace(data: bytes, pos: int, end: int) -> int:
    """Where the whitespace (blank lines included) starting at pos ends, at most at end."""
    match = _LEADING.match(data, pos, end)
    return match.end() if match else pos


def printable(data: bytes) -> str:
    """Block bytes as text, undecodable bytes shown as replacement characters."""
    return data.decode("utf-8", "replace")


class RadiusDetailParser:
    """Push parser for FreeRADIUS detail files: byte chunks in, session records and rejections out."""

    def __init__(self, source: str, *, zones: Mapping[str, int] | None = None) -> None:
        self._source = source
        self._zones: Mapping[str, int] = {**ZONES, **zones} if zones else ZONES
        self._buffer = b""
        self._scan = 0
        self._line = 1
        self._skipping = False
        self._seen = False
        self._stamped = False
        self._stamps: dict[str, tuple[int, str]] = {}

    @property
    def buffered(self) -> int:
        """Bytes held back until the rest of their block arrives."""
        return len(self._buffer)

    def feed(self, chunk: bytes) -> list[Parsed]:
        """Parse the blocks the chunk completes; keep the incomplete last block for later."""
        data = self._buffer + chunk if self._buffer else chunk
        out: list[Parsed] = []
        pos, scan = 0, self._scan
        while True:
            if self._skipping:
                pos = self._skip(data, pos)
                if pos < 0:
                    return out
                scan = pos
            pos = self._blocks(data, pos, scan, out)
            if self._hold(data, pos, out):
                return out
            pos = scan = self._scan

    def finish(self) -> list[Parsed]:
        """End of file: the last block, or its rejection as truncated when it was cut short."""
        data, self._buffer, self._scan = self._buffer, b"", 0
        out: list[Parsed] = []
        if data and not self._skipping:
            ended = data.rstrip(_BLANK)
            if ended.endswith(b"\n"):
                out.append(self._block(ended[:-1], self._line, last=True, cut=False))
            else:
                out.append(self._block(data, self._line, last=True, cut=True))
        self._skipping = False
        if not self._seen:
            raise InvalidInputError("file", "empty")
        return out

    def _blocks(self, data: bytes, pos: int, scan: int, out: list[Parsed]) -> int:
        """Parse every block ended by blank lines from pos on; return where the rest begins."""
        for match in _SEPARATOR.finditer(data, scan):
            end = match.start()
            start = pos
            if data[start] in _WHITESPACE:
                start = past_whitespace(data, pos, end)
                self._line += data.count(b"\n", pos, start)
            if start < end:
                if end - start + 1 + match.end(1) - match.start(1) > MAX_BLOCK_BYTES:
                    out.append(self._too_long(data[start:min(end, start + MAX_RAW_BYTES)]))
                else:
                    out.append(self._block(data[start:end], self._line, last=False, cut=False))
            self._line += data.count(b"\n", start, match.end())
            pos = match.end()
        return pos

    def _hold(self, data: bytes, pos: int, out: list[Parsed]) -> bool:
        """Keep the unfinished block for the next chunk; False when it is too long and must be skipped."""
        start = past_whitespace(data, pos, len(data))
        self._line += data.count(b"\n", pos, start)
        if start == len(data):
            self._buffer, self._scan = b"", 0
            return True
        if len(data) - start > MAX_BLOCK_BYTES:
            out.append(self._too_long(data[start:start + MAX_RAW_BYTES]))
            self._skipping = True
            self._scan = start
            return False
        self._buffer = data[start:]
        last = self._buffer.rfind(b"\n")
        self._scan = last if last >= 0 and not self._buffer[last + 1:].strip(_BLANK) else len(self._buffer)
        return True

    def _skip(self, data: bytes, pos: int) -> int:
        """Drop a block too long to keep up to the blank line ending it; -1 when it goes on."""
        match = _SEPARATOR.search(data, pos)
        if match is not None:
            self._line += data.count(b"\n", pos, match.end())
            self._skipping = False
            return match.end()
        last = data.rfind(b"\n", pos)
        keep = last >= 0 and not data[last + 1:].strip(_BLANK)
        self._line += data.count(b"\n", pos, last if keep else len(data))
        self._buffer, self._scan = (b"\n", 0) if keep else (b"", 0)
        return -1

    def _too_long(self, head: bytes) -> RowRejection:
        """The rejection of a block longer than MAX_BLOCK_BYTES, showing its beginning."""
        self._seen = True
        return RowRejection(self._line, "", "block", "too_long", printable(head).rstrip())

    def _block(self, data: bytes, line: int, last: bool, cut: bool) -> Parsed:
        """One block: a received record, or the rejection naming the attribute at fault."""
        self._seen = True
        try:
            text, undecodable = data.decode(), False
        except UnicodeDecodeError:
            text, undecodable = printable(data), True
        header, _, body = text.partition("\n")
        attributes = attributes_of(body)
        readable = readable_attributes(body) if attributes is None else attributes
        if last and (cut or "Acct-Status-Type" not in readable or self._cut_before_timestamp(readable)):
            whole_lines = readable_attributes(body.rpartition("\n")[0]) if cut else readable
            return self._reject(text, line, Rejected("block", "truncated"), header, whole_lines)
        if "Timestamp" in readable:
            self._stamped = True
        if undecodable:
            return self._reject(text, line, Rejected("block", "bad_encoding"), header, readable)
        if attributes is None or _SEPARATOR_TEXT in header:
            return self._reject(text, line, Rejected("block", "malformed_line"), header, readable)
        try:
            return self._record(header, attributes)
        except Rejected as rejected:
            return self._reject(text, line, rejected, header, attributes)

    def _cut_before_timestamp(self, attributes: Mapping[str, str]) -> bool:
        """Whether a last block lacks the Timestamp line FreeRADIUS ends every block of this file with."""
        return self._stamped and "Timestamp" not in attributes and "Donestamp" not in attributes

    def _record(self, header: str, attributes: Mapping[str, str]) -> ReceivedRecord:
        """The received record of a session accounting block (values are validated later)."""
        status = STATUSES.get(attributes.get("Acct-Status-Type", "")) or status_of(attributes)
        subscriber = filled(attributes, "User-Name")
        if not subscriber:
            raise Rejected("User-Name", "required")
        nas = nas_of(attributes)
        session = session_of(attributes, nas)
        input_octets = octets(attributes, "Acct-Input-Octets", "Acct-Input-Gigawords")
        output_octets = octets(attributes, "Acct-Output-Octets", "Acct-Output-Gigawords")
        duration = str(counter(attributes, "Acct-Session-Time")) if "Acct-Session-Time" in attributes else ""
        epoch, started_at = self._event_time(attributes, header)
        return ReceivedRecord(
            record_id=f"{session}:{status}:{epoch}",
            source=self._source,
            service_type="data",
            quantity=str(input_octets + output_octets),
            unit="byte",
            started_at=started_at,
            subscriber=subscriber,
            duration=duration,
            session=session,
            attributes=record_attributes(attributes, status, nas, input_octets, output_octets),
        )

    def _event_time(self, attributes: Mapping[str, str], header: str) -> tuple[int, str]:
        """event_time, remembered per Event-Timestamp text (a busy NAS sends many in the same second)."""
        stamp = attributes.get("Event-Timestamp")
        if stamp is None:
            return event_time(attributes, header, self._zones)
        known = self._stamps.get(stamp)
        if known is None:
            known = event_time(attributes, header, self._zones)
            if len(self._stamps) >= STAMP_CACHE:
                self._stamps.clear()
            self._stamps[stamp] = known
        return known

    def _reject(self, text: str, line: int, rejected: Rejected, header: str = "",
                attributes: Mapping[str, str] | None = None) -> RowRejection:
        """A block's rejection, with its record id when one can be formed."""
        record_id = record_id_of(header, attributes, self._zones) if attributes else ""
        if "\ufffd" in record_id:
            record_id = ""
        return RowRejection(line, record_id, rejected.field, rejected.reason, text)


def record_attributes(
    attributes: Mapping[str, str], status: str, nas: str, input_octets: int, output_octets: int,
) -> dict[str, str]:
    """The record's attributes: status, cumulative octets each way, and what the block names."""
    result = {"status": status, "input_octets": str(input_octets), "output_octets": str(output_octets)}
    if nas:
        result["nas"] = nas
    for key, name in OPTIONAL_ATTRIBUTES:
        value = filled(attributes, name)
        if value:
            result[key] = value
    return result
