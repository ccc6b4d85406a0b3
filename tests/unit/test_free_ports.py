"""Ports chosen up front for the stack's services: distinct, and free when handed out."""

from __future__ import annotations

import socket

from devstack.ports import HOST, free_ports
from devstack.stack import listen_addresses


def test_ports_chosen_together_are_all_different() -> None:
    ports = free_ports(500)
    assert len(set(ports)) == len(ports)


def test_every_chosen_port_can_be_bound() -> None:
    for port in free_ports(20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
            server.bind((HOST, port))


def test_each_service_listens_on_a_port_of_its_own() -> None:
    for _ in range(50):
        addresses = list(listen_addresses(fixed_ports=False).values())
        assert len(set(addresses)) == len(addresses)
