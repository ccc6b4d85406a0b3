"""Postal addresses of paper bills, read from an account's free-form address lines, and their order.

Accounts keep up to six address lines in postal order, with no separate country or postcode
fields, so both are read from the lines (docs/print-batches.md):
- country: a last line of two letters (an ISO 3166-1 code such as "DE"); otherwise the first two
  letters of the tax region ("GB", "DE-BY"); otherwise the territory of the locale ("de_AT");
- postcode and city: from the last line holding a postcode, searched bottom-up: a UK postcode on
  its own line ("N1 9GU", the city is then the line above) or after the city ("London N1 9GU"),
  a leading postcode ("10115 Berlin", "1012 AB Amsterdam", "00-017 Warszawa"), or a trailing one
  ("Springfield, IL 62704"). Without one, the city is the last line.
The sort key is (country, postcode, city, address lines, name), each compared without case,
spaces or punctuation, so one postcode area's letters are printed, folded and posted together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"
UK_ALONE = re.compile(rf"^({UK_POSTCODE})$", re.IGNORECASE)
UK_AFTER_CITY = re.compile(rf"^(.+?)[,\s]+({UK_POSTCODE})$", re.IGNORECASE)
DASHED_POSTCODE = r"(?:[A-Z]{1,2}-)?\d{2,3}-\d{3}"
NUMERIC_POSTCODE = r"(?:[A-Z]{1,2}-)?\d{4,6}(?:\s?[A-Z]{2}(?=\s))?"
LEADING = re.compile(rf"^({DASHED_POSTCODE}|{NUMERIC_POSTCODE})\s+(.+)$", re.IGNORECASE)
TRAILING = re.compile(r"^(.+?)[,\s]+(\d{5}(?:-\d{4})?|\d{4,6})$")
COUNTRY_CODE = re.compile(r"^[A-Za-z]{2}$")


@dataclass(frozen=True)
class PostalAddress:
    """Who a paper bill goes to and where, with the parts the print house sorts by."""

    name: str
    lines: tuple[str, ...]
    country: str
    postcode: str
    city: str

    def sort_key(self) -> tuple[str, str, str, tuple[str, ...], str]:
        """(country, postcode, city, lines, name), normalised for comparison."""
        return (self.country, folded(self.postcode), folded(self.city),
                tuple(folded(line) for line in self.lines), folded(self.name))


def folded(text: str) -> str:
    """Text compared without case, spaces or punctuation."""
    return "".join(character for character in text.casefold() if character.isalnum())


def country_of(lines: tuple[str, ...], tax_region: str, locale: str) -> tuple[str, tuple[str, ...]]:
    """The country code and the lines that may hold postcode and city."""
    if lines and COUNTRY_CODE.match(lines[-1]):
        return lines[-1].upper(), lines[:-1]
    region = tax_region[:2]
    if COUNTRY_CODE.match(region):
        return region.upper(), lines
    territory = locale.replace("-", "_").partition("_")[2][:2]
    return (territory.upper() if COUNTRY_CODE.match(territory) else ""), lines


def postcode_and_city(lines: tuple[str, ...]) -> tuple[str, str]:
    """The postcode and city of the last line that holds a postcode; else no postcode, the last line."""
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if match := UK_ALONE.match(line):
            return match[1].upper(), lines[index - 1] if index > 0 else ""
        for pattern, postcode_group, city_group in ((UK_AFTER_CITY, 2, 1), (LEADING, 1, 2), (TRAILING, 2, 1)):
            if match := pattern.match(line):
                return match[postcode_group].upper(), match[city_group].strip(" ,")
    return "", lines[-1] if lines else ""


def postal_address(name: str, address_lines: list[str] | tuple[str, ...], tax_region: str = "",
                   locale: str = "") -> PostalAddress:
    """The postal address of an account's billing details."""
    lines = tuple(line.strip() for line in address_lines if line.strip())
    country, searched = country_of(lines, tax_region, locale)
    postcode, city = postcode_and_city(searched)
    return PostalAddress(name.strip(), lines, country, postcode, city)
