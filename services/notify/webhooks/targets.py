"""Webhook URLs: what is accepted, where it resolves, and the request pinned to a checked address."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv6Address
from urllib.parse import urlsplit

from kernel.errors import InvalidInputError
from services.notify.webhooks.ssrf import Address, Resolver, UnresolvableHostError, refusal

MAX_URL_LENGTH = 2000
DEFAULT_PORTS = {"https": 443, "http": 80}
SSRF_BLOCKED = "ssrf_blocked"
UNRESOLVABLE_HOST = "unresolvable_host"


class TargetRefusedError(Exception):
    """A target the guard will not send to: the reason names why (ssrf_blocked: loopback ...)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Target:
    """A parsed webhook URL."""

    url: str
    scheme: str
    host: str
    port: int
    path: str

    @property
    def host_header(self) -> str:
        """The Host header: the name as written, with the port when it is not the default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if DEFAULT_PORTS[self.scheme] == self.port else f"{host}:{self.port}"

    def pinned_url(self, address: Address) -> str:
        """The URL with the host replaced by a checked address, so no second lookup happens."""
        host = f"[{address}]" if isinstance(address, IPv6Address) else str(address)
        return f"{self.scheme}://{host}:{self.port}{self.path}"


def parse_target(url: str, allow_private: bool) -> Target:
    """An absolute https URL (http too when private targets are allowed), without credentials."""
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInputError("url", f"at_most_{MAX_URL_LENGTH}_characters")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise InvalidInputError("url", "not_a_url") from None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise InvalidInputError("url", "not_an_http_url")
    if parts.scheme == "http" and not allow_private:
        raise InvalidInputError("url", "https_required")
    if parts.username is not None or parts.password is not None:
        raise InvalidInputError("url", "credentials_not_allowed")
    if parts.fragment:
        raise InvalidInputError("url", "fragment_not_allowed")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url.strip(), parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme], path)


async def checked_address(target: Target, allow_private: bool, resolver: Resolver) -> Address:
    """The address to connect to: every address the host resolves to must be allowed."""
    try:
        addresses = await resolver.resolve(target.host, target.port)
    except UnresolvableHostError as error:
        raise TargetRefusedError(f"{UNRESOLVABLE_HOST}: {error}") from None
    for address in addresses:
        reason = refusal(address, allow_private)
        if reason is not None:
            raise TargetRefusedError(f"{SSRF_BLOCKED}: {reason} {address}")
    return addresses[0]


async def check_registration(url: str, allow_private: bool, resolver: Resolver) -> Target:
    """A URL an endpoint may be registered with; refusals name the url field and the reason."""
    target = parse_target(url, allow_private)
    try:
        await checked_address(target, allow_private, resolver)
    except TargetRefusedError as error:
        raise InvalidInputError("url", error.reason.split(":", 1)[0]) from None
    return target
