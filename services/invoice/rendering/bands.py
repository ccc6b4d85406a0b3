"""Bands: strips of a page that are never split, the items drawn in them, and pagination.

A band is one line of a paragraph, one table row, or a whole div.columns (so the header and
the totals block stay together). Pagination moves a band that does not fit to the next page
and repeats its table's header row there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

INK = (34, 34, 34)

Color = tuple[int, int, int]


class TextStyle(NamedTuple):
    """Size in points, weight and colour of a run of text."""

    size: float = 9.0
    bold: bool = False
    color: Color = INK


class Run(NamedTuple):
    """Text in one style."""

    text: str
    style: TextStyle


class Text(NamedTuple):
    """A run placed at x and at its baseline, y from the top of its band."""

    x: float
    y: float
    text: str
    style: TextStyle


class Rule(NamedTuple):
    """A horizontal line across x1..x2 at y."""

    x1: float
    x2: float
    y: float
    width: float
    color: Color


class Fill(NamedTuple):
    """A filled rectangle behind a row."""

    x: float
    y: float
    w: float
    h: float
    color: Color


Item = Text | Rule | Fill


@dataclass(frozen=True)
class Band:
    """A strip of a page never split; header is drawn first when it opens a page; a page break
    (no height, nothing drawn) makes the next band open a new page."""

    height: float
    items: tuple[Item, ...] = ()
    header: Band | None = None
    spacer: bool = False
    keep_with_next: bool = False
    page_break: bool = False


@dataclass(frozen=True)
class Footer:
    """The running footer: a left text and a right text with {page} and {pages}."""

    left: str
    right: str


def shifted(items: Iterable[Item], dx: float, dy: float) -> list[Item]:
    """Items moved by dx, dy."""
    moved: list[Item] = []
    for item in items:
        if isinstance(item, Text):
            moved.append(Text(item.x + dx, item.y + dy, item.text, item.style))
        elif isinstance(item, Fill):
            moved.append(Fill(item.x + dx, item.y + dy, item.w, item.h, item.color))
        else:
            moved.append(Rule(item.x1 + dx, item.x2 + dx, item.y + dy, item.width, item.color))
    return moved


def paginate(bands: list[Band], top: float, bottom: float) -> list[list[tuple[float, Band]]]:
    """Bands placed on pages: (y, band) per page; a table's header opens each page it continues on."""
    pages: list[list[tuple[float, Band]]] = [[]]
    y = top
    for index, band in enumerate(bands):
        if band.page_break:
            if pages[-1]:
                pages.append([])
                y = top
            continue
        if band.spacer and not pages[-1]:
            continue
        needed = band.height
        if band.keep_with_next and index + 1 < len(bands):
            needed += bands[index + 1].height
        if pages[-1] and y + needed > bottom:
            pages.append([])
            y = top
            if band.spacer:
                continue
            if band.header is not None:
                pages[-1].append((y, band.header))
                y += band.header.height
        pages[-1].append((y, band))
        y += band.height
    return pages
