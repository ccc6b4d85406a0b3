"""The PDF layout of the template's markup: paragraphs, columns and tables cut into bands.

The markup's vocabulary is the one the template's opening comment lists (div.columns, h1, p,
table with col widths, th/td, td.num, tr.grand/due/included, table.ruled, div.page-break); other
elements are containers. Styles mirror the template's stylesheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from typing import Protocol
from xml.etree.ElementTree import Element

from services.invoice.rendering.bands import (
    INK,
    Band,
    Fill,
    Footer,
    Item,
    Rule,
    Run,
    Text,
    TextStyle,
    shifted,
)

PT = 25.4 / 72
LINE_HEIGHT = 1.3
BASELINE = 1.0
PAD_X = 1.6
PAD_Y = 1.1
EPSILON = 0.01

MUTED = (110, 110, 110)
HEADING = (85, 85, 85)
RULE_LIGHT = (200, 200, 200)
SHADE = (239, 239, 239)

SKIPPED = frozenset({"head", "style", "title", "script", "footer"})
CELLS = frozenset({"td", "th"})
RIGHT = frozenset({"num", "right"})
WHITESPACE = re.compile(r"[ \t\n\r\f]+")
TOKEN = re.compile(r"[^ ]+ *| +")
WIDTH = re.compile(r"width:\s*([\d.]+)%")
SPACE_AFTER = {"p": 2.0, "h1": 3.0, "columns": 6.0, "lines": 4.0}
SPACE_BEFORE = {"note": 1.5}


class Metrics(Protocol):
    """Widths of text in the PDF's fonts, and text cut to what those fonts can print."""

    def width(self, text: str, style: TextStyle) -> float:
        """Width in millimetres."""
        ...

    def clean(self, text: str) -> str:
        """Text with characters the fonts lack replaced."""
        ...


def classes(element: Element) -> frozenset[str]:
    """The element's class names."""
    return class_names(element.get("class", ""))


@lru_cache(maxsize=256)
def class_names(attribute: str) -> frozenset[str]:
    """The class names of a class attribute."""
    return frozenset(attribute.split())


def styled(element: Element, style: TextStyle) -> TextStyle:
    """The text style inside an element, from its tag and classes (the template's CSS)."""
    return tag_style(element.tag, element.get("class", ""), style)


@lru_cache(maxsize=1024)
def tag_style(tag: str, attribute: str, style: TextStyle) -> TextStyle:
    """The text style inside a tag of these classes, within a style."""
    names = class_names(attribute)
    size, bold, color = style.size, style.bold, style.color
    if tag == "h1":
        size, bold = 18.0, True
    elif tag == "th":
        size, bold, color = 8.0, True, HEADING
    if tag in ("b", "strong") or "strong" in names or "due" in names:
        bold = True
    if "party-name" in names:
        size = 11.0
    if "muted" in names or "included" in names:
        color = MUTED
    if "small" in names:
        size = 7.5
    if "grand" in names:
        size, bold = 10.5, True
    return TextStyle(size, bold, color)


@dataclass(frozen=True)
class Layout:
    """Lays the template's markup out into bands within a content width."""

    metrics: Metrics

    def document(self, body: Element, x: float, width: float) -> tuple[list[Band], Footer | None]:
        """The bands of the body and its running footer."""
        footer = body.find("footer")
        return self.blocks(body, x, width, TextStyle()), self.footer(footer) if footer is not None else None

    def footer(self, element: Element) -> Footer:
        """The page footer's left and right texts."""
        parts = ["".join(run.text for line in self.lines(span, TextStyle()) for run in line)
                 for span in element]
        return Footer(*[*parts, "", ""][:2])

    def blocks(self, element: Element, x: float, width: float, style: TextStyle) -> list[Band]:
        """The bands of an element's block children, top to bottom."""
        bands: list[Band] = []
        for child in element:
            if child.tag in SKIPPED:
                continue
            names = classes(child)
            if "page-break" in names:
                bands.append(Band(0.0, page_break=True))
                continue
            inner = styled(child, style)
            bands += [Band(SPACE_BEFORE[name], spacer=True) for name in names & SPACE_BEFORE.keys()]
            if "columns" in names:
                bands.append(self.columns(child, x, width, inner))
            elif child.tag in ("p", "h1", "h2"):
                bands += self.paragraph(child, x, width, inner)
            elif child.tag == "table":
                bands += self.table(child, x, width, inner)
            else:
                bands += self.blocks(child, x, width, inner)
            after = [SPACE_AFTER[key] for key in (child.tag, *names) if key in SPACE_AFTER]
            if after:
                bands.append(Band(max(after), spacer=True))
        return bands

    def columns(self, element: Element, x: float, width: float, style: TextStyle) -> Band:
        """Side-by-side divs, each as wide as its style's percentage, as one band."""
        items: list[Item] = []
        height = 0.0
        left = x
        for child in element:
            match = WIDTH.search(child.get("style", ""))
            share = width * float(match.group(1)) / 100 if match else width
            y = 0.0
            placed = self.blocks(child, left, share, styled(child, style))
            while placed and placed[-1].spacer:
                placed.pop()
            for band in placed:
                items += shifted(band.items, 0, y)
                y += band.height
            height = max(height, y)
            left += share
        return Band(height, tuple(items))

    def paragraph(self, element: Element, x: float, width: float, style: TextStyle) -> list[Band]:
        """One band per printed line of a paragraph or heading."""
        align_right = element.tag == "h1" or not RIGHT.isdisjoint(classes(element))
        bands = []
        for line in self.lines(element, style):
            for wrapped, line_width in self.wrap(line, width):
                items: list[Item] = []
                height = self.place(items, wrapped, line_width, x, 0.0, width, align_right)
                bands.append(Band(height, tuple(items)))
        return bands

    def table(self, element: Element, x: float, width: float, style: TextStyle) -> list[Band]:
        """A band for the header rows, repeated on each page, and one per body row."""
        shares = [float(m.group(1)) for col in element.iter("col")
                  if (m := WIDTH.search(col.get("style", "")))]
        rows = [(section.tag, row) for section in element for row in
                (section if section.tag in ("thead", "tbody", "tfoot") else [section])
                if row.tag == "tr"]
        if not shares:
            shares = [1.0] * max((len(row) for _, row in rows), default=1)
        lefts = list(accumulate((width * share / sum(shares) for share in shares), initial=x))
        head = [self.row(row, lefts, style, "head", None) for tag, row in rows if tag == "thead"]
        header = None
        if head:
            items: list[Item] = []
            y = 0.0
            for band in head:
                items += shifted(band.items, 0, y)
                y += band.height
            header = Band(y, tuple(items), keep_with_next=True)
        rule = "ruled" if "ruled" in classes(element) else ""
        body = [self.row(row, lefts, style, rule, header) for tag, row in rows if tag != "thead"]
        return ([header] if header else []) + body

    def row(self, row: Element, lefts: list[float], style: TextStyle, rule: str,
            header: Band | None) -> Band:
        """One table row: cells side by side, padded, numbers right-aligned."""
        row_style = styled(row, style)
        last = len(lefts) - 1
        texts: list[Item] = []
        height = 0.0
        column = 0
        for cell in row:
            if cell.tag not in CELLS:
                continue
            left = lefts[column] + (PAD_X if column else 0.0)
            column = min(column + int(cell.get("colspan", 1)), last)
            inner = lefts[column] - (PAD_X if column < last else 0.0) - left
            align_right = not RIGHT.isdisjoint(classes(cell))
            y = PAD_Y
            for line in self.lines(cell, styled(cell, row_style)):
                for wrapped, line_width in self.wrap(line, inner):
                    y += self.place(texts, wrapped, line_width, left, y, inner, align_right)
            height = max(height, y + PAD_Y)
        x, right = lefts[0], lefts[-1]
        names = classes(row)
        decor: list[Item] = []
        if "due" in names:
            decor.append(Fill(x, 0, right - x, height, SHADE))
        if "grand" in names:
            decor.append(Rule(x, right, 0, 0.3, INK))
        if rule == "head":
            decor.append(Rule(x, right, height, 0.3, INK))
        elif rule == "ruled":
            decor.append(Rule(x, right, height, 0.1, RULE_LIGHT))
        return Band(height, tuple(decor + texts), header)

    def lines(self, element: Element, style: TextStyle) -> list[list[Run]]:
        """The element's inline content as runs, split into lines at <br/>."""
        if not len(element):
            text = WHITESPACE.sub(" ", element.text or "").strip(" ")
            return [[Run(self.metrics.clean(text), style)]] if text else []
        lines: list[list[Run]] = [[]]

        def add(text: str | None, run_style: TextStyle) -> None:
            if text:
                collapsed = WHITESPACE.sub(" ", text)
                lines[-1].append(Run(self.metrics.clean(collapsed), run_style))

        def walk(node: Element, node_style: TextStyle) -> None:
            add(node.text, node_style)
            for child in node:
                if child.tag == "br":
                    lines.append([])
                else:
                    walk(child, styled(child, node_style))
                add(child.tail, node_style)

        walk(element, style)
        trimmed = [trim(line) for line in lines]
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        return trimmed

    def wrap(self, line: list[Run], width: float) -> list[tuple[list[Run], float]]:
        """A line broken at spaces (words wider than the width at characters) to fit the width."""
        width_of = self.metrics.width
        total = sum(width_of(run.text, run.style) for run in line)
        if total <= width + EPSILON:
            return [(line, total)]
        wrapped: list[list[Run]] = []
        current: list[Run] = []
        used = 0.0
        for run in line:
            for token in TOKEN.findall(run.text):
                for piece in self.pieces(token, run.style, width):
                    word = width_of(piece.rstrip(" "), run.style)
                    if current and used + word > width + EPSILON:
                        wrapped.append(trim(current))
                        current, used = [], 0.0
                        piece = piece.lstrip(" ")
                    if piece:
                        append_run(current, Run(piece, run.style))
                        used += width_of(piece, run.style)
        if current:
            wrapped.append(trim(current))
        return [(line, sum(width_of(run.text, run.style) for run in line))
                for line in wrapped if line] or [([], 0.0)]

    def pieces(self, token: str, style: TextStyle, width: float) -> list[str]:
        """A token, or for a word wider than the width, that word cut at characters."""
        if self.metrics.width(token.rstrip(" "), style) <= width + EPSILON:
            return [token]
        pieces = [""]
        for char in token:
            if pieces[-1] and self.metrics.width(pieces[-1] + char, style) > width + EPSILON:
                pieces.append("")
            pieces[-1] += char
        return pieces

    def place(self, items: list[Item], line: list[Run], line_width: float, x: float, y: float,
              width: float, align_right: bool) -> float:
        """Add a line's runs to items, left or right in the width, its top at y; its height."""
        size = max((run.style.size for run in line), default=TextStyle().size)
        left = x + width - line_width if align_right else x
        baseline = y + size * PT * BASELINE
        if len(line) == 1:
            items.append(Text(left, baseline, line[0].text, line[0].style))
        else:
            for run in line:
                items.append(Text(left, baseline, run.text, run.style))
                left += self.metrics.width(run.text, run.style)
        return size * PT * LINE_HEIGHT


def trim(line: list[Run]) -> list[Run]:
    """A line without leading and trailing spaces, and without empty runs."""
    if len(line) == 1 and line[0].text and line[0].text[0] != " " and line[0].text[-1] != " ":
        return line
    runs = [run for run in line if run.text]
    if runs and runs[0].text.startswith(" "):
        runs[0] = Run(runs[0].text.lstrip(" "), runs[0].style)
    if runs and runs[-1].text.endswith(" "):
        runs[-1] = Run(runs[-1].text.rstrip(" "), runs[-1].style)
    return [run for run in runs if run.text]


def append_run(line: list[Run], run: Run) -> None:
    """Add a run to a line, merging it into the last run of the same style."""
    if line and line[-1].style == run.style:
        line[-1] = Run(line[-1].text + run.text, run.style)
    else:
        line.append(run)
