"""Rating workers' shares of the usage partitions: every partition owned exactly once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from devstack.stack import partition_split
from services.rating.consumer import owned_partitions


def test_two_workers_take_halves() -> None:
    assert partition_split(2, 8) == ["0-3", "4-7"]
    assert partition_split(1, 8) == ["0-7"]


@given(st.integers(1, 16), st.integers(1, 64))
def test_every_partition_has_exactly_one_owner(workers: int, partitions: int) -> None:
    shares = partition_split(workers, partitions)

    owned = [p for share in shares for p in owned_partitions(share, partitions)]

    assert sorted(owned) == list(range(partitions))
    assert len(shares) == min(workers, partitions)
