"""Postal addresses read from accounts' address lines, and the order a print house wants."""

from __future__ import annotations

import pytest

from services.notify.printing.addresses import folded, postal_address


@pytest.mark.parametrize(("lines", "tax_region", "locale", "expected"), [
    (["1 High Street", "London", "N1 9GU"], "GB", "en", ("GB", "N1 9GU", "London")),
    (["221B Baker Street", "London NW1 6XE"], "", "en_GB", ("GB", "NW1 6XE", "London")),
    (["Friedrichstraße 200", "10117 Berlin"], "DE-BY", "de", ("DE", "10117", "Berlin")),
    (["Keizersgracht 1", "1012 AB Amsterdam", "nl"], "", "", ("NL", "1012 AB", "Amsterdam")),
    (["ul. Marszałkowska 104/122", "00-017 Warszawa"], "PL", "pl", ("PL", "00-017", "Warszawa")),
    (["Bahnhofstrasse 1", "CH-8001 Zürich"], "", "de_CH", ("CH", "CH-8001", "Zürich")),
    (["742 Evergreen Terrace", "Springfield, IL 62704"], "", "en-US", ("US", "62704", "Springfield, IL")),
    (["1 Rue de Rivoli", "75001 Paris", "FR"], "", "fr", ("FR", "75001", "Paris")),
    (["Farm Lane", "Nowhere"], "", "", ("", "", "Nowhere")),
    (["  ", "Only line  "], "", "", ("", "", "Only line")),
])
def test_country_postcode_and_city_are_read_from_the_lines(
    lines: list[str], tax_region: str, locale: str, expected: tuple[str, str, str]
) -> None:
    address = postal_address("Ada", lines, tax_region, locale)

    assert (address.country, address.postcode, address.city) == expected


def test_blank_lines_are_dropped_and_no_lines_means_no_address() -> None:
    assert postal_address(" Ada ", ["", " 1 High Street ", "  "]).lines == ("1 High Street",)
    assert postal_address("Ada", []).lines == ()


def test_comparison_ignores_case_spaces_and_punctuation() -> None:
    assert folded("N1 9GU") == folded("n19gu")
    assert folded("St. Mary's Road") == folded("st marys road")


def test_batches_sort_by_country_then_postcode_then_city_then_lines_then_name() -> None:
    addresses = [
        postal_address("Zed", ["2 Main Road", "London", "N1 9GU"], "GB"),
        postal_address("Amy", ["2 Main Road", "London", "N1 9GU"], "GB"),
        postal_address("Bob", ["1 Main Road", "London", "N1 9GU"], "GB"),
        postal_address("Cat", ["9 Side Street", "London", "E1 6AN"], "GB"),
        postal_address("Dan", ["Hauptstraße 1", "10117 Berlin"], "DE"),
        postal_address("Eve", ["Hauptstraße 1", "01067 Dresden"], "DE"),
        postal_address("Fay", ["Rue 1", "75001 Paris", "FR"]),
    ]

    ordered = sorted(addresses, key=lambda address: address.sort_key())

    assert [address.name for address in ordered] == ["Eve", "Dan", "Fay", "Cat", "Bob", "Amy", "Zed"]
