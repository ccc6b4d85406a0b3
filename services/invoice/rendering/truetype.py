"""A TrueType font read once and cut, per document, to the glyphs that document prints.

The cut keeps every glyph id (unused glyphs become empty outlines), so the PDF's CID-to-glyph
map uses the ids of the shipped font and no table but glyf and loca changes: a few hundred
microseconds where fontTools' general subsetter takes tens of milliseconds.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

ARG_1_AND_2_ARE_WORDS = 0x0001
WE_HAVE_A_SCALE = 0x0008
MORE_COMPONENTS = 0x0020
WE_HAVE_AN_X_AND_Y_SCALE = 0x0040
WE_HAVE_A_TWO_BY_TWO = 0x0080
CHECKSUM_MAGIC = 0xB1B0AFBA


class FontFileError(ValueError):
    """A font file this module cannot cut: not TrueType outlines, or damaged."""


def checksum(data: bytes) -> int:
    """The OpenType checksum of a table: the sum of its big-endian 32-bit words."""
    padded = _padded(data)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


@dataclass(frozen=True)
class TrueTypeFile:
    """A parsed TrueType font: its tables, each glyph's padded bytes and composite components."""

    tables: dict[str, bytes]
    glyphs: tuple[bytes, ...]
    components: dict[int, tuple[int, ...]]
    checksums: dict[str, int]

    @classmethod
    def parse(cls, data: bytes) -> TrueTypeFile:
        """Read the table directory, loca and glyf of a TrueType font."""
        if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
            raise FontFileError("not a TrueType-outline font")
        (count,) = struct.unpack_from(">H", data, 4)
        tables = {}
        for index in range(count):
            tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
            tables[tag.decode("latin-1")] = data[offset:offset + length]
        if not {"glyf", "loca", "head", "maxp"} <= tables.keys():
            raise FontFileError("no glyf, loca, head or maxp table")
        offsets = _loca_offsets(tables)
        glyf = tables["glyf"]
        glyphs = tuple(_padded(glyf[start:end]) for start, end in zip(offsets, offsets[1:], strict=False))
        components = {gid: _components(glyph) for gid, glyph in enumerate(glyphs)
                      if len(glyph) >= 10 and struct.unpack_from(">h", glyph)[0] < 0}
        head = bytearray(tables["head"])
        struct.pack_into(">I", head, 8, 0)
        struct.pack_into(">h", head, 50, 1)
        tables["head"] = bytes(head)
        return cls(tables, glyphs, components, {tag: checksum(table) for tag, table in tables.items()})

    def closure(self, glyph_ids: Iterable[int]) -> set[int]:
        """The glyphs to keep: .notdef, the given ones and the components of composites."""
        kept: set[int] = set()
        pending = [0, *glyph_ids]
        while pending:
            gid = pending.pop()
            if gid in kept or not 0 <= gid < len(self.glyphs):
                continue
            kept.add(gid)
            pending.extend(self.components.get(gid, ()))
        return kept

    def cut(self, glyph_ids: Iterable[int]) -> bytes:
        """The font with only these glyphs' outlines, every glyph id unchanged."""
        kept = sorted(self.closure(glyph_ids))
        lengths = [0] * len(self.glyphs)
        for gid in kept:
            lengths[gid] = len(self.glyphs[gid])
        offsets = list(accumulate(lengths, initial=0))
        tables = dict(self.tables)
        tables["glyf"] = b"".join(self.glyphs[gid] for gid in kept)
        tables["loca"] = struct.pack(f">{len(offsets)}I", *offsets)
        sums = dict(self.checksums)
        sums["glyf"] = checksum(tables["glyf"])
        sums["loca"] = checksum(tables["loca"])
        return _assemble(tables, sums)


def _padded(data: bytes) -> bytes:
    """Bytes padded with zeros to a multiple of four."""
    return data + b"\0" * (-len(data) % 4)


def _loca_offsets(tables: dict[str, bytes]) -> tuple[int, ...]:
    """Glyph offsets into glyf from loca, in the short or long format head declares."""
    (long_format,) = struct.unpack_from(">h", tables["head"], 50)
    (glyph_count,) = struct.unpack_from(">H", tables["maxp"], 4)
    loca = tables["loca"]
    if long_format:
        return struct.unpack_from(f">{glyph_count + 1}I", loca)
    return tuple(2 * offset for offset in struct.unpack_from(f">{glyph_count + 1}H", loca))


def _components(glyph: bytes) -> tuple[int, ...]:
    """The glyph ids a composite glyph is built from."""
    found = []
    position = 10
    while True:
        flags, gid = struct.unpack_from(">HH", glyph, position)
        found.append(gid)
        position += 4 + (4 if flags & ARG_1_AND_2_ARE_WORDS else 2)
        if flags & WE_HAVE_A_SCALE:
            position += 2
        elif flags & WE_HAVE_AN_X_AND_Y_SCALE:
            position += 4
        elif flags & WE_HAVE_A_TWO_BY_TWO:
            position += 8
        if not flags & MORE_COMPONENTS:
            return tuple(found)


def _assemble(tables: dict[str, bytes], sums: dict[str, int]) -> bytes:
    """An sfnt file from its tables and their checksums, with head's checkSumAdjustment."""
    tags = sorted(tables)
    power = 1
    while power * 2 <= len(tags):
        power *= 2
    header = struct.pack(">4sHHHH", b"\x00\x01\x00\x00", len(tags), power * 16,
                         power.bit_length() - 1, len(tags) * 16 - power * 16)
    offset = len(header) + 16 * len(tags)
    directory = []
    body = []
    total = 0
    for tag in tags:
        data = tables[tag]
        total += sums[tag]
        directory.append(struct.pack(">4sIII", tag.encode("latin-1"), sums[tag], offset, len(data)))
        padded = _padded(data)
        body.append(padded)
        offset += len(padded)
    head_directory = header + b"".join(directory)
    adjustment = (CHECKSUM_MAGIC - (total + checksum(head_directory))) & 0xFFFFFFFF
    font = bytearray(head_directory + b"".join(body))
    head_offset = struct.unpack_from(">I", font, len(header) + 16 * tags.index("head") + 8)[0]
    struct.pack_into(">I", font, head_offset + 8, adjustment)
    return bytes(font)
