"""Free local ports chosen up front, for servers whose address others must know before they start."""

from __future__ import annotations

import socket
from contextlib import ExitStack

HOST = "127.0.0.1"


def free_ports(count: int) -> list[int]:
    """Ports on 127.0.0.1 the OS reports free now, all different: every probe stays bound until
    the last is chosen, since a port released at once may be handed out again on the next call."""
    with ExitStack() as held:
        probes = [held.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                  for _ in range(count)]
        for probe in probes:
            probe.bind((HOST, 0))
        return [int(probe.getsockname()[1]) for probe in probes]


def free_port() -> int:
    """One port on 127.0.0.1 the OS reports free now."""
    return free_ports(1)[0]
