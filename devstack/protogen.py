"""Generate Python stubs from proto/ into a folder that mirrors the proto packages."""

from __future__ import annotations

import sys
from pathlib import Path

from grpc_tools import protoc

PROTO_ROOT = Path(__file__).resolve().parent.parent / "proto"


def proto_files(root: Path = PROTO_ROOT) -> list[Path]:
    """Every .proto under the proto root, sorted."""
    return sorted(root.rglob("*.proto"))


def generate(out_dir: Path, root: Path = PROTO_ROOT) -> None:
    """Run protoc for messages, type stubs and gRPC services; add package __init__ files."""
    files = [str(path.relative_to(root)) for path in proto_files(root)]
    include = str(Path(protoc.__file__).parent / "_proto")
    args = [
        "protoc",
        f"-I{root}",
        f"-I{include}",
        f"--python_out={out_dir}",
        f"--pyi_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        *files,
    ]
    if protoc.main(args) != 0:
        raise RuntimeError("protoc failed")
    for folder in {(out_dir / f).parent for f in files}:
        while folder != out_dir:
            (folder / "__init__.py").touch()
            folder = folder.parent


if __name__ == "__main__":
    generate(Path(sys.argv[1]) if len(sys.argv) > 1 else PROTO_ROOT)
