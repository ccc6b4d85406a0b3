"""SSRF guard: which resolved addresses a webhook may be sent to."""

from __future__ import annotations

import asyncio
import socket
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import Protocol

Address = IPv4Address | IPv6Address

CGNAT = IPv4Network("100.64.0.0/10")
UNIQUE_LOCAL = IPv6Network("fc00::/7")
SITE_LOCAL = IPv6Network("fec0::/10")
NAT64 = (IPv6Network("64:ff9b::/96"), IPv6Network("64:ff9b:1::/48"))
ALWAYS_BLOCKED = frozenset({"unspecified", "multicast"})
"""Never a peer to POST to, whatever the tenant is allowed."""


class UnresolvableHostError(Exception):
    """The host name has no address (or the resolver failed)."""


class Resolver(Protocol):
    """Turns a host name into the addresses a connection would try."""

    async def resolve(self, host: str, port: int) -> list[Address]: ...


class SystemResolver:
    """The operating system's resolver (getaddrinfo), off the event loop."""

    async def resolve(self, host: str, port: int) -> list[Address]:
        """Every TCP address of the host, in the order getaddrinfo gives them."""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError) as error:
            raise UnresolvableHostError(f"{host}: {error}") from None
        addresses = [ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
        if not addresses:
            raise UnresolvableHostError(host)
        return list(dict.fromkeys(addresses))


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, 6to4 or NAT64."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in NAT64):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def ipv6_category(address: IPv6Address) -> str | None:
    """Why an IPv6 address is not a public target, beyond what both families share."""
    if address in UNIQUE_LOCAL:
        return "unique_local"
    if address in SITE_LOCAL:
        return "site_local"
    if address.teredo is not None:
        return "tunnel"
    return None


def category(address: Address) -> str | None:
    """Why the address is not a public internet target ('loopback', 'private', ...), or None."""
    if isinstance(address, IPv6Address):
        embedded = embedded_ipv4(address)
        if embedded is not None:
            return category(embedded)
    checks = (
        ("unspecified", address.is_unspecified), ("loopback", address.is_loopback),
        ("link_local", address.is_link_local), ("multicast", address.is_multicast),
        ("cgnat", isinstance(address, IPv4Address) and address in CGNAT),
    )
    for name, hit in checks:
        if hit:
            return name
    family = ipv6_category(address) if isinstance(address, IPv6Address) else None
    if family is not None:
        return family
    if address.is_private:
        return "private"
    if address.is_reserved:
        return "reserved"
    return None if address.is_global else "not_global"


def refusal(address: Address, allow_private: bool) -> str | None:
    """Why a delivery may not go to this address for a tenant, or None when it may."""
    found = category(address)
    if found is None or (allow_private and found not in ALWAYS_BLOCKED):
        return None
    return found
