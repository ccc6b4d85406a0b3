"""The committed gRPC stubs are exactly what `make proto` generates."""

from __future__ import annotations

from pathlib import Path

from devstack.protogen import PROTO_ROOT, generate


def test_committed_stubs_match_a_fresh_generation(tmp_path: Path) -> None:
    generate(tmp_path)
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.py*")}
    committed = {
        p.relative_to(PROTO_ROOT): p.read_bytes()
        for p in PROTO_ROOT.rglob("*.py*") if "__pycache__" not in p.parts
    }
    assert fresh.keys() == committed.keys()
    stale = [str(path) for path, content in fresh.items() if committed[path] != content]
    assert stale == [], f"run `make proto`: {stale}"
