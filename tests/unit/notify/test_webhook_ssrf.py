"""The SSRF guard: which addresses and URLs webhooks may be sent to."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from kernel.errors import InvalidInputError
from services.notify.webhooks.ssrf import Address, UnresolvableHostError, category, refusal
from services.notify.webhooks.targets import (
    TargetRefusedError,
    check_registration,
    checked_address,
    parse_target,
)

BLOCKED = [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("10.1.2.3", "private"),
    ("172.16.0.1", "private"), ("172.31.255.254", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "link_local"), ("100.64.0.1", "cgnat"), ("100.127.255.254", "cgnat"),
    ("224.0.0.1", "multicast"), ("239.255.255.250", "multicast"), ("0.0.0.0", "unspecified"),
    ("255.255.255.255", "private"), ("240.0.0.1", "private"), ("198.18.0.1", "private"),
    ("192.0.2.10", "private"),
    ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link_local"), ("fc00::1", "unique_local"),
    ("fd12:3456::1", "unique_local"), ("fec0::1", "site_local"), ("ff02::1", "multicast"),
    ("2001:db8::1", "private"), ("100::1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"),
    ("::ffff:169.254.169.254", "link_local"),
    ("::ffff:100.64.1.1", "cgnat"), ("64:ff9b::7f00:1", "loopback"), ("64:ff9b::a00:1", "private"),
    ("2002:7f00:1::", "loopback"), ("2002:c0a8:101::", "private"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "tunnel"), ("::127.0.0.1", "reserved"),
]
PUBLIC = ["8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.32.0.1", "2606:4700::1111",
          "2a00:1450:4001:82a::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::"]


@pytest.mark.parametrize(("text", "expected"), BLOCKED)
def test_non_public_addresses_are_named(text: str, expected: str) -> None:
    assert category(ip_address(text)) == expected


@pytest.mark.parametrize("text", PUBLIC)
def test_public_addresses_pass(text: str) -> None:
    assert category(ip_address(text)) is None
    assert refusal(ip_address(text), allow_private=False) is None


@pytest.mark.parametrize(("text", "_"), BLOCKED)
def test_without_permission_every_non_public_address_is_refused(text: str, _: str) -> None:
    assert refusal(ip_address(text), allow_private=False) is not None


@pytest.mark.parametrize("text", ["127.0.0.1", "10.0.0.1", "::1", "fd00::1", "169.254.1.1", "100.64.0.1"])
def test_a_tenant_allowed_private_targets_may_use_them(text: str) -> None:
    assert refusal(ip_address(text), allow_private=True) is None


@pytest.mark.parametrize("text", ["0.0.0.0", "::", "224.0.0.1", "ff02::1", "::ffff:0.0.0.0"])
def test_unspecified_and_multicast_are_refused_even_when_allowed(text: str) -> None:
    assert refusal(ip_address(text), allow_private=True) is not None


class FakeResolver:
    """Answers from a table of host names."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    async def resolve(self, host: str, port: int) -> list[Address]:
        if host not in self.table:
            raise UnresolvableHostError(host)
        return [ip_address(text) for text in self.table[host]]


RESOLVER = FakeResolver({
    "hooks.example.net": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
    "rebind.example.net": ["93.184.216.34", "127.0.0.1"],
    "internal.example.net": ["10.0.0.7"],
    "127.0.0.1": ["127.0.0.1"],
    "::1": ["::1"],
})


async def test_a_public_https_url_registers() -> None:
    target = await check_registration("https://hooks.example.net/in?x=1", False, RESOLVER)

    assert (target.host, target.port, target.path) == ("hooks.example.net", 443, "/in?x=1")


@pytest.mark.parametrize(("url", "reason"), [
    ("http://hooks.example.net/in", "https_required"),
    ("ftp://hooks.example.net/in", "not_an_http_url"),
    ("https:///nohost", "not_an_http_url"),
    ("hooks.example.net/in", "not_an_http_url"),
    ("https://user:pw@hooks.example.net/", "credentials_not_allowed"),
    ("https://hooks.example.net/#frag", "fragment_not_allowed"),
    ("https://hooks.example.net:99999/", "not_a_url"),
    ("https://internal.example.net/", "ssrf_blocked"),
    ("https://rebind.example.net/", "ssrf_blocked"),
    ("https://127.0.0.1/", "ssrf_blocked"),
    ("https://[::1]:8443/", "ssrf_blocked"),
    ("https://nowhere.invalid/", "unresolvable_host"),
    ("https://hooks.example.net/" + "a" * 2000, "at_most_2000_characters"),
])
async def test_refused_urls_name_the_url_field_and_the_reason(url: str, reason: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        await check_registration(url, False, RESOLVER)

    assert (refused.value.field, refused.value.reason) == ("url", reason)


async def test_a_tenant_allowed_private_targets_may_register_plain_http_to_loopback() -> None:
    target = await check_registration("http://127.0.0.1:8080/hook", True, RESOLVER)

    assert target.pinned_url(ip_address("127.0.0.1")) == "http://127.0.0.1:8080/hook"


async def test_send_time_check_refuses_when_the_name_now_resolves_to_loopback() -> None:
    target = parse_target("https://hooks.example.net/in", False)
    RESOLVER.table["hooks.example.net"] = ["127.0.0.1"]
    try:
        with pytest.raises(TargetRefusedError, match=r"^ssrf_blocked: loopback 127\.0\.0\.1$"):
            await checked_address(target, False, RESOLVER)
    finally:
        RESOLVER.table["hooks.example.net"] = ["93.184.216.34"]


async def test_the_request_is_pinned_to_the_checked_address_with_the_name_in_host() -> None:
    target = parse_target("https://hooks.example.net:8443/in", False)
    address = await checked_address(target, False, RESOLVER)

    assert target.pinned_url(address) == "https://93.184.216.34:8443/in"
    assert target.host_header == "hooks.example.net:8443"
    assert target.pinned_url(ip_address("2606:4700::1111")) == "https://[2606:4700::1111]:8443/in"
    assert parse_target("https://[2606:4700::1111]/", False).host_header == "[2606:4700::1111]"
